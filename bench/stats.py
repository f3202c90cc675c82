"""Small helpers to summarise timings the same way in every benchmark."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float], unit: str = "ms") -> str:
    if not values:
        return "no samples"
    median, p95 = statistics.median(values), percentile(values, 95)
    return (
        f"n={len(values)} median={median:.1f}{unit} p95={p95:.1f}{unit} "
        f"min={min(values):.1f}{unit} max={max(values):.1f}{unit}"
    )
