"""The correlation id: one id per user request, in every log line and metric of both apps.

Taken from the request (``X-Correlation-Id`` if a caller sent a well-formed one, else
CloudFront's ``X-Amz-Cf-Id``, else API Gateway's request id) or made up, bound per thread for the
request's life (``request_context.bind_request``), and passed on by RepairApp to SmartRe in the
``X-Correlation-Id`` header. SmartRe logs it with the analysis id, which every workflow task logs:
one Logs Insights query then follows a triage from CloudFront to the workflow's branches.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token
from typing import Any

HEADER = "X-Correlation-Id"
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:=+/-]{8,128}")
_current: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def correlation_id_for(request: Any) -> str:
    headers = {k.lower(): v for k, v in (getattr(request, "headers", None) or {}).items()}
    for name in (HEADER.lower(), "x-amz-cf-id"):
        value = str(headers.get(name) or "")
        if _WELL_FORMED.fullmatch(value):
            return value
    context = getattr(request, "context", None) or {}
    request_id = str(context.get("requestId") or "")
    return request_id if _WELL_FORMED.fullmatch(request_id) else uuid.uuid4().hex


def bind(correlation_id: str | None) -> Token[str | None]:
    return _current.set(correlation_id)


def unbind(token: Token[str | None]) -> None:
    _current.reset(token)


def current_correlation_id() -> str | None:
    return _current.get()
