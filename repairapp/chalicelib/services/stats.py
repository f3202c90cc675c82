"""The staff dashboard's numbers, from the counters kept with every write (no scan).

Counts by status and by category, the share of closed-with-an-outcome requests that were fixed,
and the impact estimate of the fixed ones (see ``chalicelib.impact``).
"""

from __future__ import annotations

from typing import Any

from chalicelib import impact, resources
from chalicelib.repairs import STATUSES, Status

_OUTCOME_KEYS = {
    Status.FIXED.value: "fixed",
    Status.REPAIRABLE.value: "repairable",
    Status.END_OF_LIFE.value: "endOfLife",
}


def repair_stats() -> dict[str, Any]:
    counters = resources.repairs().counters()
    by_status = {status: max(0, counters.get(f"status:{status}", 0)) for status in STATUSES}
    by_category: dict[str, dict[str, Any]] = {}
    for name, value in counters.items():
        if not name.startswith("category:") or value <= 0:
            continue
        category, _, status = name[len("category:") :].rpartition(":")
        row = by_category.setdefault(
            category,
            {"category": category, "total": 0, "fixed": 0, "repairable": 0, "endOfLife": 0},
        )
        row["total"] += value
        if status in _OUTCOME_KEYS:
            row[_OUTCOME_KEYS[status]] += value
    outcomes = sum(by_status[s] for s in _OUTCOME_KEYS)
    return {
        "byStatus": by_status,
        "byCategory": sorted(by_category.values(), key=lambda r: (-r["total"], r["category"])),
        "shareFixed": round(by_status[Status.FIXED.value] / outcomes, 4) if outcomes else 0.0,
        "impact": impact.estimate({r["category"]: r["fixed"] for r in by_category.values()}),
    }
