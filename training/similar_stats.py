"""Count, per product category, how past repairs ended (the artifact behind `similar.py`)."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from training.ords import STATUSES, Record

ATTRIBUTION = (
    "Open Repair Data, Open Repair Alliance (openrepair.org), compiled by The Restart Project, "
    "CC BY-SA 4.0"
)


def _shares(counts: dict[str, float]) -> dict[str, float]:
    total = sum(counts.get(s, 0.0) for s in STATUSES)
    return {
        key: round(counts.get(status, 0.0) / total, 4) if total else 0.0
        for key, status in zip(("fixed", "repairable", "end_of_life"), STATUSES, strict=True)
    }


def similar_statistics(
    records: Sequence[Record], unpowered: dict[str, dict[str, float]], version: str
) -> dict[str, Any]:
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    barriers: dict[str, Counter[str]] = defaultdict(Counter)
    for record in records:
        statuses[record.category][record.status] += 1
        if record.status == "End of life" and record.barrier:
            barriers[record.category][record.barrier] += 1
    categories: dict[str, Any] = {}
    for category, counts in sorted(statuses.items()):
        if not category:
            continue
        with_barrier = sum(barriers[category].values())
        categories[category] = {
            "records": sum(counts.values()),
            **_shares(dict(counts)),
            "top_barriers": [
                [name, round(n / with_barrier, 4)] for name, n in barriers[category].most_common(3)
            ],
        }
    for category, shares in sorted(unpowered.items()):
        categories[category] = {
            "records": int(sum(shares.values())),
            **_shares(shares),
            "top_barriers": [],
        }
    return {"version": version, "attribution": ATTRIBUTION, "categories": categories}
