"""Environmental impact of fixed items, from The Restart Project's published Fixometer data.

The factors (average weight and pre-use CO2e per category, and the 50 % displacement rate) sit
in ``data/impact_factors.json`` with their source URL, licence and dates; nothing here invents a
number. A fixed item counts its weight as waste avoided and ``pre-use CO2e x displacement rate``
as emissions avoided. Categories without a published figure are reported as not estimated.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FACTORS_FILE = Path(__file__).resolve().parent / "data" / "impact_factors.json"


@functools.cache
def factors() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(FACTORS_FILE.read_text(encoding="utf-8"))
    return loaded


def source_label() -> str:
    source = factors()["source"]
    return f"{source['title']}, {source['licence']}, data of {source['dataDate']}"


def estimate(fixed_by_category: Mapping[str, int]) -> dict[str, Any]:
    """kg of waste and of CO2e avoided by ``fixed_by_category`` (category -> fixed items)."""
    table = factors()
    rate = float(table["displacementRate"])
    waste = co2e = 0.0
    not_estimated: list[str] = []
    for category, count in sorted(fixed_by_category.items()):
        if count <= 0:
            continue
        factor = table["categories"].get(category)
        if factor is None or factor["kgCo2ePreUse"] is None:
            not_estimated.append(category)
        if factor is not None:
            waste += count * float(factor["kgWeight"])
            if factor["kgCo2ePreUse"] is not None:
                co2e += count * float(factor["kgCo2ePreUse"]) * rate
    return {
        "kgWasteAvoided": round(waste, 1),
        "kgCo2eAvoided": round(co2e, 1),
        "source": source_label(),
        # The parts of `source`, so each UI language can word and date the line itself.
        "sourceTitle": table["source"]["title"],
        "sourceLicence": table["source"]["licence"],
        "sourceDate": table["source"]["dataDate"],
        "sourceUrl": table["source"]["url"],
        "displacementRate": rate,
        "notEstimated": not_estimated,
    }
