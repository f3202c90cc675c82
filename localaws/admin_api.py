"""The emulator's own HTTP endpoints under `/_localaws/`, beside the AWS APIs moto serves.

- `GET /_localaws/health`: liveness, and what a client needs to know (endpoint, region).
- `POST /_localaws/faults`: install a fault plan `{"seed": int, "rules": [...]}`
  (see `localaws.faults.FaultRule`); replaces any previous plan.
- `GET /_localaws/faults`: the active rules with how often each matched and was injected.
- `DELETE /_localaws/faults`: remove the plan; answers with its final counters.
- `GET /_localaws/lambda/workers`: PIDs of the warm Lambda workers.
- `GET /_localaws/ses/messages`: the mail SES accepted (moto records it, sends nothing):
  `{"messages": [{"id", "source", "to", "subject", "body"}]}`, oldest first; `?to=ADDRESS`
  keeps the mail to one address. What the tests read to follow a link in a mail.
Errors use the `{"Code", "Message"}` shape the apps use. Every endpoint but the health check
needs a request signed with the stack's credentials (`localaws.sigv4.signed_headers`, as
`Emulator` does): the mail is personal data, and the fault plan can stop the stack.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from localaws.faults import FaultInjector, FaultPlan, InvalidFaultRuleError
from localaws.lambda_pool import LambdaRuntime

PREFIX = "/_localaws/"
HEALTH = PREFIX + "health"
StartResponse = Callable[..., Any]


class AdminApi:
    def __init__(
        self, faults: FaultInjector, runtime: LambdaRuntime, facts: dict[str, Any]
    ) -> None:
        self._faults = faults
        self._runtime = runtime
        self._facts = facts

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route = (environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""))
        try:
            status, body = self._dispatch(route, environ)
        except InvalidFaultRuleError as exc:
            status, body = 400, {"Code": "InvalidFaultRule", "Message": str(exc)}
        except (ValueError, TypeError) as exc:
            status, body = 400, {"Code": "BadRequest", "Message": str(exc)}
        payload = json.dumps(body).encode()
        start_response(
            f"{status} {'OK' if status < 400 else 'Error'}",
            [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
        )
        return [payload]

    def _dispatch(self, route: tuple[str, str], environ: dict[str, Any]) -> tuple[int, Any]:
        match route:
            case ("GET", "/_localaws/health"):
                return 200, {"status": "ok", **self._facts}
            case ("GET", "/_localaws/faults"):
                return 200, self._faults.summary()
            case ("POST", "/_localaws/faults"):
                plan = FaultPlan.parse(_json_body(environ))
                self._faults.install(plan)
                return 200, plan.summary()
            case ("DELETE", "/_localaws/faults"):
                return 200, self._faults.clear()
            case ("GET", "/_localaws/lambda/workers"):
                return 200, {"pids": self._runtime.worker_pids()}
            case ("GET", "/_localaws/ses/messages"):
                return 200, {"messages": sent_mail(_query(environ).get("to"))}
        return 404, {"Code": "NotFound", "Message": f"no localaws endpoint {route[0]} {route[1]}"}


def sent_mail(to: str | None = None) -> list[dict[str, Any]]:
    """Every mail moto's SES backends recorded (all accounts and regions), oldest first."""
    from moto.ses.models import ses_backends

    found: list[dict[str, Any]] = []
    for account in list(ses_backends):
        for region in list(ses_backends[account]):
            for message in list(ses_backends[account][region].sent_messages):
                recipients = list(getattr(message, "destinations", {}).get("ToAddresses", []))
                if to is not None and to not in recipients:
                    continue
                found.append(
                    {
                        "id": message.id,
                        "source": message.source,
                        "to": recipients,
                        "subject": getattr(message, "subject", None),
                        "body": getattr(message, "body", None),
                    }
                )
    return found


def _query(environ: dict[str, Any]) -> dict[str, str]:
    from urllib.parse import parse_qs

    return {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}


def _json_body(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    document = json.loads(environ["wsgi.input"].read(length) or b"{}")
    if not isinstance(document, dict):
        raise ValueError("the body must be a JSON object")
    return document
