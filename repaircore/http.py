"""Errors to HTTP responses for both Chalice apps: ``{"Code", "Message"}`` with the status.

Domain errors carry their own status and code; an app may translate its own other exception
types into domain errors (``handles_errors(view, translate=...)``). Anything else is a bug or an
outage: it is logged with its stack trace and answered with a 500 that reveals nothing. Chalice
catches view exceptions before middleware sees them, so views are wrapped one by one
(``handles_errors``) instead.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.exceptions import NoCredentialsError, NoRegionError, PartialCredentialsError
from chalice import Response

from repaircore.errors import ConfigurationError, DomainError, ServiceUnavailable
from repaircore.validation import parse_json_object

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def error_response(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        body={"Code": code, "Message": message},
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def to_response(error: DomainError) -> Response:
    headers = {}
    retry_after = getattr(error, "retry_after_seconds", None)
    if isinstance(error, ServiceUnavailable) or isinstance(retry_after, int):
        headers["Retry-After"] = str(retry_after)
    return error_response(error.status, error.code, error.message, headers)


Translator = Callable[[Exception], DomainError | None]


def handles_errors(view: F, translate: Translator | None = None) -> F:
    """Wrap a view so domain errors become their responses and surprises a logged 500."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except Exception as raised:
            error = raised if isinstance(raised, DomainError) else None
            if error is None and translate is not None:
                error = translate(raised)
            if error is None:
                return _unexpected(raised)
            if error.status >= 500:
                logger.warning("%s: %s", error.code, error.message)
            return to_response(error)

    return wrapped  # type: ignore[return-value]


# No region or credentials in this process: only a developer's own `chalice local` can get here
# (Lambda always has both). Say what to set instead of an anonymous 500.
_AWS_NOT_CONFIGURED = (NoRegionError, NoCredentialsError, PartialCredentialsError)


def _unexpected(raised: Exception) -> Response:
    if isinstance(raised, _AWS_NOT_CONFIGURED):
        logger.error("AWS is not configured for this process: %s", raised)
        return error_response(
            503,
            "AwsNotConfigured",
            f"{raised} Set AWS_REGION and AWS credentials (the app's local stage sets both in "
            ".chalice/config.json; see docs/develop.md).",
            {"Retry-After": "5"},
        )
    if isinstance(raised, ConfigurationError):
        logger.error("misconfigured deployment: %s", raised)
        return error_response(500, "InternalServerError", "The service is misconfigured.")
    logger.error("unhandled error", exc_info=raised)
    return error_response(500, "InternalServerError", "An internal error occurred.")


def json_object(request: Any, **limits: Any) -> dict[str, Any]:
    """The request body as a validated JSON object (see ``repaircore.validation``)."""
    return parse_json_object(request.raw_body, **limits)


def header(request: Any, name: str) -> str | None:
    value = (request.headers or {}).get(name.lower())
    return str(value) if value is not None else None


def query_param(request: Any, name: str) -> str | None:
    params = request.query_params or {}
    value = params.get(name)
    return str(value) if value is not None else None


def health_response(service: str, version: str, checks: dict[str, str]) -> Response:
    ok = all(status == "ok" for status in checks.values())
    return Response(
        body={"service": service, "version": version, "ok": ok, "checks": checks},
        status_code=200 if ok else 503,
        headers={"Content-Type": "application/json", "Cache-Control": "no-store"},
    )
