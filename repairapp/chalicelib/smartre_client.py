"""The one door to SmartRe: every call RepairApp makes to the ML service goes through here.

Keeping SmartRe behind this module lets another ML service replace it without touching routes or
services. It speaks HTTP with urllib3 (already shipped with botocore), explicit connect/read
timeouts and SmartRe's bearer service key from SSM. SmartRe's 4xx answers that mean something to
the citizen (an unusable photo, an unknown analysis, a reused idempotency key) come back as the
same status and ``Code``; a SmartRe that is down, slow, throttling or answering nonsense becomes a
503 ``ServiceUnavailable`` with a retry hint, raised before the caller writes anything. Personal
data never crosses this door: requests naming contact fields are refused outright.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import urllib3

from repaircore.correlation import HEADER as CORRELATION_HEADER
from repaircore.correlation import current_correlation_id
from repaircore.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    ServiceUnavailable,
    Unprocessable,
    UnsupportedMediaType,
)
from repaircore.vocabulary import LANGUAGES

logger = logging.getLogger(__name__)

MAX_RESPONSE_BYTES = 1024 * 1024
DEFAULT_RETRY_AFTER_SECONDS = 2
# Fields that would carry personal data; SmartRe never needs them.
PERSONAL_FIELDS = frozenset({"contact", "name", "email", "postcode", "phone"})
# SmartRe statuses a citizen can act on, passed through with SmartRe's own Code and Message.
_PASSED_THROUGH: dict[int, type[DomainError]] = {
    400: InvalidInput,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: Unprocessable,
}


@dataclass(frozen=True)
class Timeouts:
    """Seconds. ``analysis`` covers the synchronous workflow run inside ``POST /api/analyses``;
    it stays under API Gateway's 29 s so the citizen gets our 503 rather than a gateway error."""

    connect: float = 2.0
    read: float = 5.0
    analysis: float = 25.0


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str]


class SmartReClient:
    def __init__(
        self,
        base_url: str,
        service_key: Callable[[], str],
        *,
        timeouts: Timeouts | None = None,
        pool: urllib3.PoolManager | None = None,
    ) -> None:
        self._base = base_url.rstrip("/")
        self._service_key = service_key
        self._timeouts = timeouts or Timeouts()
        # No automatic retries: a retried POST could outlive API Gateway's deadline, and the
        # caller's idempotency key makes the citizen's own retry safe.
        self._pool = pool or urllib3.PoolManager(retries=False, maxsize=10)

    # --- SmartRe's API ----------------------------------------------------------------------
    def check_health(self) -> None:
        """Raise ``ServiceUnavailable`` unless SmartRe answers its health route with 2xx."""
        self._call("GET", "/api/health", operation="health", authenticated=False)

    def create_upload(self, content_type: str) -> dict[str, Any]:
        return self._call(
            "POST", "/api/images", operation="images", body={"contentType": content_type}
        ).body

    def get_image_link(self, image_id: str) -> dict[str, Any]:
        """A short-lived link to view a photo (``404 PhotoGone`` once it is deleted)."""
        path = f"/api/images/{quote(image_id, safe='')}/link"
        return self._call("GET", path, operation="image-link").body

    def create_analysis(
        self, request: Mapping[str, Any], idempotency_key: str
    ) -> tuple[dict[str, Any], bool]:
        """The analysis and whether SmartRe replayed it for this key (nothing ran twice)."""
        reply = self._call(
            "POST",
            "/api/analyses",
            operation="analyses",
            body=request,
            headers={"Idempotency-Key": idempotency_key},
            read_timeout=self._timeouts.analysis,
        )
        return reply.body, reply.headers.get("idempotent-replayed", "").lower() == "true"

    def get_analysis(self, analysis_id: str) -> dict[str, Any]:
        path = f"/api/analyses/{quote(analysis_id, safe='')}"
        return self._call("GET", path, operation="analysis").body

    def send_feedback(
        self, analysis_id: str, feedback: Mapping[str, Any], idempotency_key: str
    ) -> dict[str, Any]:
        path = f"/api/analyses/{quote(analysis_id, safe='')}/feedback"
        return self._call(
            "POST",
            path,
            operation="feedback",
            body=feedback,
            headers={"Idempotency-Key": idempotency_key},
        ).body

    def list_products(self, cursor: str | None = None) -> dict[str, Any]:
        path = "/api/products?limit=100" + (f"&cursor={quote(cursor, safe='')}" if cursor else "")
        return self._call("GET", path, operation="products").body

    def get_product(self, product_id: str) -> dict[str, Any]:
        path = f"/api/products/{quote(product_id, safe='')}"
        return self._call("GET", path, operation="product").body

    def update_product(
        self, product_id: str, product: Mapping[str, Any], version: int
    ) -> dict[str, Any]:
        """SmartRe's optimistic update: a stale ``version`` is a 409 ``VersionConflict``."""
        path = f"/api/products/{quote(product_id, safe='')}"
        return self._call(
            "PUT", path, operation="product", body=product, headers={"If-Match": f'"{version}"'}
        ).body

    # --- the wire ---------------------------------------------------------------------------
    def _call(
        self,
        method: str,
        path: str,
        *,
        operation: str,
        body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        read_timeout: float | None = None,
        authenticated: bool = True,
    ) -> Reply:
        request_headers = {"Accept": "application/json", **(headers or {})}
        correlation_id = current_correlation_id()
        if correlation_id:  # SmartRe logs the same id: one query follows the request
            request_headers[CORRELATION_HEADER] = correlation_id
        payload = None
        if body is not None:
            _refuse_personal_data(body)
            payload = json.dumps(body, separators=(",", ":")).encode()
            request_headers["Content-Type"] = "application/json"
        if authenticated:
            request_headers["Authorization"] = f"Bearer {self._service_key()}"
        timeout = urllib3.Timeout(
            connect=self._timeouts.connect, read=read_timeout or self._timeouts.read
        )
        try:
            response = self._pool.request(
                method,
                self._base + path,
                body=payload,
                headers=request_headers,
                timeout=timeout,
                preload_content=False,
                redirect=False,
            )
            try:
                raw = response.read(MAX_RESPONSE_BYTES + 1)
            finally:
                response.release_conn()
        except urllib3.exceptions.HTTPError as exc:
            logger.warning("smartre %s unreachable: %s", operation, type(exc).__name__)
            raise _unavailable() from exc
        status = response.status
        reply_headers = {k.lower(): v for k, v in response.headers.items()}
        parsed = _json_object(raw)
        if 200 <= status < 300:
            if parsed is None:
                logger.warning("smartre %s answered %s without a JSON object", operation, status)
                raise _unavailable()
            return Reply(status, parsed, reply_headers)
        raise _error(operation, status, parsed, reply_headers.get("retry-after"))


def _refuse_personal_data(body: Mapping[str, Any]) -> None:
    # A catalogue entry's `name` is the item's name per language ({"en": "Kettle"}), not a
    # person's: only that shape passes.
    leaked = {
        field
        for field in PERSONAL_FIELDS & set(body)
        if not (field == "name" and _is_localised_text(body[field]))
    }
    if leaked:
        raise ValueError(f"refusing to send personal data to SmartRe: {sorted(leaked)}")


def _is_localised_text(value: Any) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and set(value) <= set(LANGUAGES)
        and all(isinstance(text, str) for text in value.values())
    )


def _json_object(raw: bytes) -> dict[str, Any] | None:
    if len(raw) > MAX_RESPONSE_BYTES:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _unavailable(retry_after: int = DEFAULT_RETRY_AFTER_SECONDS) -> ServiceUnavailable:
    return ServiceUnavailable(
        "the analysis service is unavailable; try again shortly",
        code="ServiceUnavailable",
        retry_after_seconds=retry_after,
    )


def _error(
    operation: str, status: int, body: dict[str, Any] | None, retry_after: str | None
) -> DomainError:
    code = body.get("Code") if body else None
    message = body.get("Message") if body else None
    kind = _PASSED_THROUGH.get(status)
    if kind is not None and isinstance(code, str) and isinstance(message, str):
        return kind(message[:500], code=code[:100])
    if status in (401, 403):
        # Our own credential was refused: an operator's problem (e.g. a key mid-rotation).
        logger.error("smartre refused RepairApp's service key (%s %s)", operation, status)
    else:
        logger.warning("smartre %s answered %s", operation, status)
    return _unavailable(_retry_after_seconds(retry_after))


def _retry_after_seconds(value: str | None) -> int:
    if value and re.fullmatch(r"[0-9]{1,5}", value.strip()):
        return min(max(int(value.strip()), 1), 60)
    return DEFAULT_RETRY_AFTER_SECONDS
