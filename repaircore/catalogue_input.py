"""A catalogue entry's editable part (the advice per category), read from a request body.

SmartRe's ``PUT /api/products/{id}`` and RepairApp's coordinators' ``PUT
/api/staff/products/{id}`` take the same body (``contracts.smartre.ProductInput``); this is the
one reading of it, so the staff door and the catalogue cannot disagree on what they accept.
"""

from __future__ import annotations

from typing import Any

import msgspec

from repaircore.contracts.smartre import LocalisedTexts, ProductInput
from repaircore.errors import InvalidInput
from repaircore.validation import decode
from repaircore.vocabulary import canonical_category


def product_changes(body: dict[str, Any]) -> dict[str, Any]:
    """``{category, name, typicalRepair, commonFaults}`` in the catalogue's shape, or
    ``InvalidInput`` with the code of the first problem."""
    declared = decode(body, ProductInput)
    category = canonical_category(declared.category)
    if category is None:
        raise InvalidInput(
            f"category {declared.category!r} is not an Open Repair Data category",
            code="UnknownCategory",
        )
    return {
        "category": category,
        "name": _present(msgspec.structs.asdict(declared.name)),
        "typicalRepair": _present(msgspec.structs.asdict(declared.typical_repair)),
        "commonFaults": _faults(declared.common_faults),
    }


def _present(texts: dict[str, str | None]) -> dict[str, str]:
    return {lang: text for lang, text in texts.items() if text}


def _faults(faults: LocalisedTexts | None) -> dict[str, list[str]]:
    if faults is None:
        return {}
    result: dict[str, list[str]] = {}
    for lang, lines in msgspec.structs.asdict(faults).items():
        if lines is not None:
            result[lang] = [" ".join(line.split()) for line in lines if line.strip()]
    return result
