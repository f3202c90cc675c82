"""Coordinators keep the per-category advice up to date: SmartRe's catalogue, edited from RepairApp.

The catalogue belongs to SmartRe (the triage reads it); RepairApp is only the staff door to it.
The body is validated here as SmartRe would, so malformed input never leaves RepairApp, and the
version travels as ``If-Match``. A stale version (another coordinator saved first) is SmartRe's
409 ``VersionConflict``; it becomes our 412 ``PreconditionFailed``, the same answer a stale repair
update gets, so the SPA handles both alike: keep the text, offer to reload.
"""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from chalicelib.identifiers import PRODUCT_ID
from chalicelib.services.repair_updates import expected_version
from repaircore.errors import Conflict, InvalidInput, NotFound, PreconditionFailed
from repaircore.validation import Fields
from repaircore.vocabulary import LANGUAGES, canonical_category

NAME_MAX_CHARS = 100
TYPICAL_REPAIR_MAX_CHARS = 2000
FAULT_MAX_CHARS = 200
MAX_FAULTS = 12
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


def _texts(fields: Fields, name: str, max_length: int) -> dict[str, str]:
    text = fields.object(name, allowed=LANGUAGES, required=True)
    assert text is not None
    values = {lang: text.string(lang, max_length=max_length) for lang in LANGUAGES}
    if not values.get("en"):
        raise InvalidInput(f"{name}.en is required", code="MissingField")
    return {lang: value for lang, value in values.items() if value}


def _faults(fields: Fields) -> dict[str, list[str]]:
    if fields.object("commonFaults", allowed=LANGUAGES) is None:
        return {}
    raw: dict[str, Any] = fields.raw("commonFaults")
    result: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        values = raw.get(lang)
        if values is None:
            continue
        if not isinstance(values, list) or len(values) > MAX_FAULTS:
            raise InvalidInput(
                f"commonFaults.{lang} must be a list of at most {MAX_FAULTS} texts",
                code="InvalidType",
            )
        cleaned = []
        for value in values:
            if not isinstance(value, str) or len(value) > FAULT_MAX_CHARS:
                raise InvalidInput(
                    f"commonFaults.{lang} items must be texts of at most {FAULT_MAX_CHARS} "
                    "characters",
                    code="InvalidType",
                )
            if value.strip():  # an emptied line in the form is a fault removed, not an error
                cleaned.append(" ".join(value.split()))
        result[lang] = cleaned
    return result


def parse_product(body: dict[str, Any]) -> dict[str, Any]:
    fields = Fields(body, allowed={"category", "name", "typicalRepair", "commonFaults"})
    category_name = fields.string("category", required=True, max_length=100)
    category = canonical_category(category_name or "")
    if category is None:
        raise InvalidInput(
            f"category {category_name!r} is not an Open Repair Data category",
            code="UnknownCategory",
        )
    return {
        "category": category,
        "name": _texts(fields, "name", NAME_MAX_CHARS),
        "typicalRepair": _texts(fields, "typicalRepair", TYPICAL_REPAIR_MAX_CHARS),
        "commonFaults": _faults(fields),
    }


def update_product(product_id: str, if_match: str | None, body: dict[str, Any]) -> dict[str, Any]:
    version = expected_version(if_match)
    _check_id(product_id)
    product = parse_product(body)
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
