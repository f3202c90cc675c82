"""The staff queue: one page of requests at a time, read from an index, never a scan.

With a status filter the page comes from the ``by-status`` index (a category filter then narrows
it), with only a category from ``by-category``. Without filters the queue walks the statuses in
workflow order (submitted first: the next thing to do), oldest first within each. The cursor is
opaque to clients; it carries the position and is bound to the filters it was issued for, so a
cursor reused with other filters is refused rather than silently mixing pages. Cursors are signed
(HMAC-SHA256 with a stage secret from SSM): whatever a client changes in one, even with the right
filters digest, is 400 ``InvalidCursor`` before any of it reaches DynamoDB.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from typing import Any

from chalicelib import resources
from chalicelib.repairs import STATUSES, summary_view
from chalicelib.signatures import sign
from repaircore.errors import InvalidInput
from repaircore.vocabulary import canonical_category

DEFAULT_LIMIT = 25
MAX_LIMIT = 100
MAX_CURSOR_CHARS = 4096
LIMIT = re.compile(r"[0-9]{1,3}")


def list_repairs(
    status: str | None, category: str | None, cursor: str | None, limit: str | None
) -> dict[str, Any]:
    status = status or None
    if status is not None and status not in STATUSES:
        raise InvalidInput(f"status {status!r} is unknown", code="UnknownStatus")
    chosen = canonical_category(category) if category else None
    if category and chosen is None:
        raise InvalidInput(f"category {category!r} is unknown", code="UnknownCategory")
    size = _limit(limit)
    filters = _filters_digest(status, chosen)
    position, inner = _decode(cursor, filters)
    if chosen is not None and status is None:
        page = resources.repairs().by_category(chosen, limit=size, cursor=inner)
        return _answer(page.items, _encode(filters, 0, page.next_cursor))
    statuses = [status] if status else list(STATUSES)
    items: list[dict[str, Any]] = []
    while position < len(statuses) and len(items) < size:
        page = resources.repairs().by_status(
            statuses[position], category=chosen, limit=size - len(items), cursor=inner
        )
        items.extend(page.items)
        if page.next_cursor is not None:
            return _answer(items, _encode(filters, position, page.next_cursor))
        position, inner = position + 1, None
    more = position < len(statuses)
    return _answer(items, _encode(filters, position, None) if more else None)


def _answer(items: list[dict[str, Any]], next_cursor: str | None) -> dict[str, Any]:
    return {"items": [summary_view(item) for item in items], "nextCursor": next_cursor}


def _limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not LIMIT.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIMIT:
        raise InvalidInput(
            f"limit must be a whole number from 1 to {MAX_LIMIT}", code="InvalidLimit"
        )
    return int(raw)


def _filters_digest(status: str | None, category: str | None) -> str:
    return hashlib.sha256(f"{status}|{category}".encode()).hexdigest()[:16]


def _signature(payload: str) -> str:
    return sign("queue-cursor", payload)


def _encode(filters: str, position: int, inner: str | None) -> str | None:
    raw = json.dumps({"f": filters, "p": position, "c": inner}, separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    return f"{payload}.{_signature(payload)}"


def _decode(cursor: str | None, filters: str) -> tuple[int, str | None]:
    if not cursor:
        return 0, None
    bad = InvalidInput("cursor is not one this API issued for these filters", code="InvalidCursor")
    payload, _, signature = cursor.partition(".")
    if len(cursor) > MAX_CURSOR_CHARS or not signature:
        raise bad
    if not hmac.compare_digest(signature.encode(), _signature(payload).encode()):
        raise bad
    try:
        value = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(value, dict) or value.get("f") != filters:
        raise bad
    position, inner = value.get("p"), value.get("c")
    if not isinstance(position, int) or isinstance(position, bool) or not 0 <= position < 16:
        raise bad
    if inner is not None and not isinstance(inner, str):
        raise bad
    return position, inner
