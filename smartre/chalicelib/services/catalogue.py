"""The product catalogue: repair advice per Open Repair Data category, in four languages.

Coordinators edit entries with optimistic concurrency (``If-Match`` on a version number). The
workflow reads the whole (small) catalogue once per container and refreshes it every few
minutes to know which entry serves which category; the one entry an analysis needs is then read
again (one consistent GetItem), because the workflow's Lambdas are other containers than the one
that saved an edit and the next triage must show a coordinator's new text.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import PRODUCT_ID
from repaircore.catalogue_input import product_changes
from repaircore.errors import Conflict, InvalidInput, NotFound, PreconditionRequired
from repaircore.vocabulary import LANGUAGES

CACHE_SECONDS = 300.0
_VERSION = re.compile(r'(?:W/)?"?(\d{1,9})"?')

_cache: dict[str, Any] = {"at": None, "by_category": {}}
_cache_lock = threading.Lock()


def _localised(value: Any, language: str) -> Any:
    if isinstance(value, dict):
        return value.get(language) or value.get("en")
    return value


def _texts(product: dict[str, Any], language: str) -> dict[str, Any]:
    return {
        "name": _localised(product["name"], language),
        "typicalRepair": _localised(product["typicalRepair"], language),
        "commonFaults": list(_localised(product.get("commonFaults", {}), language) or []),
    }


def to_advice(product: dict[str, Any], language: str) -> dict[str, Any]:
    """The advice in ``language``, plus every language under ``translations``: the SPA switches
    language on a result without asking again (a missing language falls back to English)."""
    return {
        "productId": product["productId"],
        "category": product["category"],
        **_texts(product, language),
        "translations": {lang: _texts(product, lang) for lang in LANGUAGES},
    }


def _all_products() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = resources.products().scan(limit=100, cursor=cursor)
        items += page.items
        cursor = page.next_cursor
        if cursor is None:
            return items


def advice_for(category: str | None, language: str) -> dict[str, Any] | None:
    if category is None:
        return None
    with _cache_lock:
        at = _cache["at"]
        if at is None or time.monotonic() - at > CACHE_SECONDS:
            _cache["by_category"] = {p["category"]: p for p in _all_products()}
            _cache["at"] = time.monotonic()
        cached = _cache["by_category"].get(category)
    if cached is None:
        return None
    product = resources.products().find({"productId": cached["productId"]}) or cached
    return to_advice(product, language)


def reset_cache() -> None:
    with _cache_lock:
        _cache["at"] = None


def list_products(cursor: str | None, limit: int) -> dict[str, Any]:
    page = resources.products().scan(limit=limit, cursor=cursor)
    items = sorted(page.items, key=lambda p: p["productId"])
    return {"items": items, "nextCursor": page.next_cursor}


def _check_id(product_id: str) -> None:
    if not PRODUCT_ID.fullmatch(product_id):
        raise NotFound("no such product", code="ProductNotFound")


def get_product(product_id: str) -> dict[str, Any]:
    _check_id(product_id)
    item = resources.products().find({"productId": product_id})
    if item is None:
        raise NotFound("no such product", code="ProductNotFound")
    return item


def parse_version(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    match = _VERSION.fullmatch(if_match.strip())
    if not match:
        raise InvalidInput(
            'If-Match must be the product\'s version, e.g. "3"', code="InvalidIfMatch"
        )
    return int(match.group(1))


def save_product(
    product_id: str, body: dict[str, Any], *, if_match: str | None, if_none_match: str | None
) -> dict[str, Any]:
    """Update with ``If-Match: <version>`` (409 when stale) or create with ``If-None-Match: *``."""
    _check_id(product_id)
    changes = product_changes(body)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    table = resources.products()
    if if_none_match is not None:
        if if_none_match.strip() != "*":
            raise InvalidInput("If-None-Match only accepts *", code="InvalidIfNoneMatch")
        item = {"productId": product_id, **changes, "version": 1, "updatedAt": now}
        try:
            table.put(item, if_absent=True)
        except Conflict as exc:
            raise Conflict("this product already exists", code="ProductExists") from exc
        reset_cache()
        return item
    version = parse_version(if_match)
    if version is None:
        raise PreconditionRequired(
            "send If-Match with the version you read (or If-None-Match: * to create)"
        )
    try:
        updated = table.update_versioned(
            {"productId": product_id}, {**changes, "updatedAt": now}, expected_version=version
        )
    except NotFound as exc:
        raise NotFound("no such product", code="ProductNotFound") from exc
    reset_cache()
    return updated
