"""Fault injection: answer chosen AWS requests with an error in the service's own wire format.

Reliability code (retries, backoff, adapters that map throttling to shared errors) is only tested
if the emulator can throttle. A `FaultPlan` holds rules such as "dynamodb PutItem fails with
ProvisionedThroughputExceededException 30 % of the time", a seeded random generator (the same
seed and request order give the same faults) and per-rule counters. Errors are rendered per
protocol so botocore parses them into the intended `ClientError` code, exactly as from AWS:
JSON protocols get `{"__type", "message"}` plus `x-amzn-ErrorType`, REST-JSON the header and a
`message` body, REST-XML (S3) an `<Error>` document, query protocols an `<ErrorResponse>`.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from localaws import aws_request
from localaws.aws_request import AwsRequest

LOG = logging.getLogger(__name__)

# Status codes AWS uses for well-known server-side and throttling errors; anything else is 400.
DEFAULT_STATUS = {
    "SlowDown": 503,
    "ServiceUnavailable": 503,
    "ServiceUnavailableException": 503,
    "InternalError": 500,
    "InternalServerError": 500,
    "InternalFailure": 500,
    "InternalServerException": 500,
    "TooManyRequestsException": 429,
    "RequestLimitExceeded": 503,
}


class InvalidFaultRuleError(ValueError):
    pass


@dataclass
class FaultRule:
    """One rule; `operation` "*" matches every operation of the service."""

    service: str
    operation: str = "*"
    error: str | None = None
    status: int = 400
    message: str = ""
    rate: float = 1.0
    latency_ms: int = 0
    limit: int | None = None
    matched: int = 0
    injected: int = 0
    signing_name: str = field(default="", repr=False)

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> FaultRule:
        if not isinstance(raw, Mapping):
            raise InvalidFaultRuleError("each rule must be an object")
        unknown = set(raw) - {"service", "operation", "error", "status", "message", "rate",
                              "latency_ms", "limit"}  # fmt: skip
        if unknown:
            raise InvalidFaultRuleError(f"unknown rule fields: {sorted(unknown)}")
        service = str(raw.get("service", ""))
        try:
            model = aws_request.service_model(service)
        except KeyError:
            raise InvalidFaultRuleError(f"unknown service {service!r} (use boto3's name)") from None
        operation = str(raw.get("operation", "*"))
        if operation != "*" and operation not in model.operation_names:
            raise InvalidFaultRuleError(f"{service} has no operation {operation!r}")
        error = raw.get("error")
        latency_ms = int(raw.get("latency_ms", 0))
        if error is None and latency_ms <= 0:
            raise InvalidFaultRuleError("a rule needs an error, a latency_ms, or both")
        rate = float(raw.get("rate", 1.0))
        if not 0.0 <= rate <= 1.0:
            raise InvalidFaultRuleError("rate must be between 0 and 1")
        limit = raw.get("limit")
        return cls(
            service=service,
            operation=operation,
            error=None if error is None else str(error),
            status=int(raw.get("status", DEFAULT_STATUS.get(str(error), 400))),
            message=str(raw.get("message") or f"Injected by localaws: {error}"),
            rate=rate,
            latency_ms=latency_ms,
            limit=None if limit is None else int(limit),
            signing_name=model.signing_name,
        )

    def applies_to(self, request: AwsRequest) -> bool:
        if request.signing_name != self.signing_name:
            return False
        operation = aws_request.operation_of(request, self.service)
        if self.operation == "*":
            # A JSON request for another service sharing the signing name has no operation here.
            return operation is not None or request.target is None
        return operation == self.operation

    def summary(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "operation": self.operation,
            "error": self.error,
            "status": self.status,
            "rate": self.rate,
            "latency_ms": self.latency_ms,
            "limit": self.limit,
            "matched": self.matched,
            "injected": self.injected,
        }


class FaultPlan:
    """The active rules, their random generator and counters (thread-safe)."""

    def __init__(self, rules: list[FaultRule], seed: int) -> None:
        self.rules = rules
        self.seed = seed
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    @classmethod
    def parse(cls, document: Mapping[str, Any]) -> FaultPlan:
        rules = document.get("rules")
        if not isinstance(rules, list) or not rules:
            raise InvalidFaultRuleError('"rules" must be a non-empty list')
        return cls([FaultRule.parse(rule) for rule in rules], int(document.get("seed", 0)))

    def choose(self, request: AwsRequest) -> FaultRule | None:
        """The first matching rule that fires for this request (counters updated), or None."""
        if request.signing_name is None:
            return None
        for rule in self.rules:
            if not rule.applies_to(request):
                continue
            with self._lock:
                rule.matched += 1
                exhausted = rule.limit is not None and rule.injected >= rule.limit
                if exhausted or self._random.random() >= rule.rate:
                    continue
                rule.injected += 1
            return rule
        return None

    def summary(self) -> dict[str, Any]:
        with self._lock:
            rules = [rule.summary() for rule in self.rules]
        return {
            "seed": self.seed,
            "injected": sum(rule["injected"] for rule in rules),
            "rules": rules,
        }


class FaultInjector:
    """Holds the current plan; the emulator asks it about every AWS request."""

    def __init__(self) -> None:
        self._plan: FaultPlan | None = None
        self._lock = threading.Lock()

    def install(self, plan: FaultPlan) -> None:
        with self._lock:
            self._plan = plan

    def clear(self) -> dict[str, Any]:
        with self._lock:
            plan, self._plan = self._plan, None
        return plan.summary() if plan else {"seed": None, "injected": 0, "rules": []}

    def summary(self) -> dict[str, Any]:
        with self._lock:
            plan = self._plan
        return plan.summary() if plan else {"seed": None, "injected": 0, "rules": []}

    def intercept(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """An error response to send instead of moto's, or None to let the request through."""
        with self._lock:
            plan = self._plan
        if plan is None:
            return None
        request = aws_request.describe(environ)
        rule = plan.choose(request)
        if rule is None:
            return None
        LOG.info("fault: %s %s -> %s", rule.service, request.target or request.path, rule.error)
        if rule.latency_ms:
            time.sleep(rule.latency_ms / 1000)
        if rule.error is None:
            return None
        return render_error(rule, request)


def render_error(rule: FaultRule, request: AwsRequest) -> tuple[int, list[tuple[str, str]], bytes]:
    """The error as the service would send it, so botocore yields `ClientError(rule.error)`."""
    assert rule.error is not None
    request_id = str(uuid.uuid4())
    code, message = rule.error, rule.message
    model = aws_request.service_model(rule.service)
    headers = [("x-amzn-RequestId", request_id), ("x-amz-request-id", request_id)]
    if request.target is not None:
        json_version = model.metadata.get("jsonVersion", "1.0")
        body = json.dumps({"__type": code, "message": message}).encode()
        headers += [
            ("Content-Type", f"application/x-amz-json-{json_version}"),
            ("x-amzn-ErrorType", code),
        ]
    elif request.action is not None:
        wrapper = "Response" if model.metadata.get("protocol") == "ec2" else "ErrorResponse"
        errors_open, errors_close = ("<Errors>", "</Errors>") if wrapper == "Response" else ("", "")
        fault = "Receiver" if rule.status >= 500 else "Sender"
        body = (
            f"<{wrapper}>{errors_open}<Error><Type>{fault}</Type><Code>{escape(code)}</Code>"
            f"<Message>{escape(message)}</Message></Error>{errors_close}"
            f"<RequestId>{request_id}</RequestId></{wrapper}>"
        ).encode()
        headers.append(("Content-Type", "text/xml"))
    elif model.metadata.get("protocol") == "rest-xml":
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<Error><Code>{escape(code)}</Code><Message>{escape(message)}</Message>"
            f"<RequestId>{request_id}</RequestId><HostId>localaws</HostId></Error>"
        ).encode()
        headers.append(("Content-Type", "application/xml"))
    else:
        body = json.dumps({"message": message, "Type": "User"}).encode()
        headers += [("Content-Type", "application/json"), ("x-amzn-ErrorType", code)]
    if request.method == "HEAD":
        # HEAD responses carry no body; botocore then derives the code from the status alone.
        body = b""
    headers.append(("Content-Length", str(len(body))))
    return rule.status, headers, body
