"""Coordinators keep the per-category advice up to date: SmartRe's catalogue, edited from RepairApp.

The catalogue belongs to SmartRe (the triage reads it); RepairApp is only the staff door to it.
The body is read here exactly as SmartRe reads it (``repaircore.catalogue_input``, one reading
for both), so malformed input never leaves RepairApp, and the version travels as ``If-Match``.
A stale version (another coordinator saved first) is SmartRe's 409 ``VersionConflict``; it
becomes our 412 ``PreconditionFailed``, the same answer a stale repair update gets, so the SPA
handles both alike: keep the text, offer to reload.
"""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from chalicelib.identifiers import PRODUCT_ID
from chalicelib.services.repair_updates import expected_version
from repaircore.catalogue_input import product_changes
from repaircore.errors import Conflict, NotFound, PreconditionFailed

MAX_PAGES = 10  # 46 ORDS categories fit in one page of 100; a bound, not an expectation
PRODUCT_FIELDS = (
    "productId",
    "category",
    "name",
    "typicalRepair",
    "commonFaults",
    "version",
    "updatedAt",
)


def _product(item: dict[str, Any]) -> dict[str, Any]:
    return {name: item[name] for name in PRODUCT_FIELDS if name in item}


def _check_id(product_id: str) -> None:
    if not PRODUCT_ID.fullmatch(product_id):
        raise NotFound("no such product", code="ProductNotFound")


def list_products() -> dict[str, Any]:
    """Every catalogue entry, sorted by category (one page of SmartRe's list holds them all)."""
    client = resources.smartre()
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for _ in range(MAX_PAGES):
        page = client.list_products(cursor)
        items += [_product(item) for item in page.get("items", [])]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    return {"items": sorted(items, key=lambda item: str(item.get("category", "")))}


def get_product(product_id: str) -> dict[str, Any]:
    _check_id(product_id)
    return _product(resources.smartre().get_product(product_id))


def update_product(product_id: str, if_match: str | None, body: dict[str, Any]) -> dict[str, Any]:
    version = expected_version(if_match)
    _check_id(product_id)
    product = product_changes(body)
    try:
        updated = resources.smartre().update_product(product_id, product, version)
    except Conflict as exc:
        if exc.code != "VersionConflict":
            raise
        raise PreconditionFailed(
            f"another coordinator saved this advice after version {version}: "
            "reload it and apply your changes again",
            code="PreconditionFailed",
        ) from exc
    return _product(updated)
