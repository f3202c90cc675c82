"""Under ``chalice local``, answer API Gateway's own refusals in the ``{Code, Message}`` shape.

``chalice local`` is Chalice's stand-in for API Gateway. Its refusals before a view runs (no such
route: 403 ``{"message": "Missing Authentication Token"}``; an authorizer's 401/403) carry API
Gateway's *default* bodies, which production replaces with gateway responses
(``repaircore.gateway_responses``, installed by ``deploy.sh``). An unknown route is
``MISSING_AUTHENTICATION_TOKEN`` there (404 ``NoSuchRoute``), not the authorizer's 403: the route
matcher's refusal is told apart where Chalice raises it (``LocalGateway._generate_lambda_event``).
A developer's bare ``cd smartre && chalice local --stage local`` must see what ``make run`` and
AWS answer, so each app calls ``use_gateway_responses()`` at import: it acts only when the Chalice
CLI loads the app (``AWS_CHALICE_CLI_MODE``, which Chalice sets and Lambda never does) and costs
one environment lookup otherwise. The classes it hooks must exist: a Chalice upgrade that moves
them fails loudly.
"""

from __future__ import annotations

import os
from typing import Any

from repaircore.gateway_responses import GATEWAY_RESPONSES

# chalice.local exception class → the gateway response production answers instead.
_TARGETS = {
    "NotAuthorizedError": GATEWAY_RESPONSES["UNAUTHORIZED"],
    "ForbiddenError": GATEWAY_RESPONSES["ACCESS_DENIED"],
}
_MARK = "_repaircore_gateway_response"


def use_gateway_responses(environ: dict[str, str] | None = None) -> bool:
    """Install the bodies when running under the Chalice CLI; True when it did."""
    env = os.environ if environ is None else environ
    if env.get("AWS_CHALICE_CLI_MODE") != "true":
        return False
    import chalice.local

    for name, response in _TARGETS.items():
        owner = getattr(chalice.local, name, None)
        if not (isinstance(owner, type) and issubclass(owner, chalice.local.LocalGatewayException)):
            raise RuntimeError(f"chalice.local.{name} moved: revisit repaircore.local_gateway")
        if getattr(owner, _MARK, False):
            continue
        _replace_init(owner, response.body().encode())
    _answer_unknown_routes(chalice.local)
    return True


def _answer_unknown_routes(local: Any) -> None:
    gateway = getattr(local, "LocalGateway", None)
    generate = getattr(gateway, "_generate_lambda_event", None)
    if generate is None:
        raise RuntimeError("chalice.local.LocalGateway moved: revisit repaircore.local_gateway")
    if getattr(generate, _MARK, False):
        return
    response = GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"]

    class NoSuchRouteError(local.LocalGatewayException):
        CODE = response.status

    def _generate_lambda_event(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return generate(self, *args, **kwargs)
        except ValueError as exc:  # RouteMatcher.match_route: no route has this path
            headers = {
                "Content-Type": "application/json",
                "x-amzn-ErrorType": "MissingAuthenticationTokenException",
            }
            raise NoSuchRouteError(headers, response.body().encode()) from exc

    setattr(_generate_lambda_event, _MARK, True)
    gateway._generate_lambda_event = _generate_lambda_event  # type: ignore[union-attr]


def _replace_init(owner: Any, body: bytes) -> None:
    base_init = owner.__init__

    def __init__(self: Any, headers: dict[str, str], _body: bytes | None = None) -> None:  # noqa: N807
        base_init(self, {**headers, "Content-Type": "application/json"}, body)

    owner.__init__ = __init__
    setattr(owner, _MARK, True)
