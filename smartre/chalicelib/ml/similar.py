"""What similar past repairs looked like: outcome shares and common barriers per category.

The numbers are counted by `training/` from Open Repair Data (CC BY-SA 4.0, Open Repair
Alliance, compiled by The Restart Project) and shipped as `artifacts/similar_repairs.json`, which
carries that attribution. Unpowered categories come from the published unpowered counts, which
have no barriers.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).resolve().parent / "artifacts" / "similar_repairs.json"


@dataclass(frozen=True)
class SimilarRepairs:
    category: str
    records: int
    fixed: float
    repairable: float
    end_of_life: float
    top_barriers: tuple[tuple[str, float], ...]  # share among end-of-life records with a barrier
    attribution: str


@lru_cache(maxsize=4)
def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def similar_repairs(category: str | None, path: Path = DEFAULT_PATH) -> SimilarRepairs | None:
    """The statistics for `category` (case-insensitive), or None when unknown or missing."""
    if not category:
        return None
    data = _load(path)
    wanted = category.strip().casefold()
    for name, stats in data["categories"].items():
        if name.casefold() == wanted:
            return SimilarRepairs(
                category=name,
                records=int(stats["records"]),
                fixed=float(stats["fixed"]),
                repairable=float(stats["repairable"]),
                end_of_life=float(stats["end_of_life"]),
                top_barriers=tuple((b, float(s)) for b, s in stats["top_barriers"]),
                attribution=str(data["attribution"]),
            )
    return None


def version(path: Path = DEFAULT_PATH) -> str:
    return str(_load(path)["version"])
