"""This deployment's adaptation state: how its labelled repairs ended (DESIGN.md decision 10).

Each feedback label with an outcome adds one to the deployment's counts overall, for the
repair's product category, and (for End of life) for its barrier; `assess_repair` reads them
before every prediction, so the very next analysis uses them (`chalicelib.ml.adaptation` has the
formula). The counts item's attributes are flat names, so ``ADD`` can create any of them:
``labels`` (every counted label: the state's version), ``status|<outcome>``,
``category|<category>|<outcome>`` and ``barrier|<barrier>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from chalicelib import resources
from repaircore.vocabulary import canonical_barrier

if TYPE_CHECKING:  # numpy stays out of the API handler's cold start (feedback imports this)
    from chalicelib.ml.adaptation import OutcomeCounts

LABELS = "labels"


def increments(category: str | None, outcome: str | None, barrier: str | None) -> dict[str, int]:
    """What one label adds to the counts (nothing without an outcome)."""
    if not outcome:
        return {}
    added = {LABELS: 1, f"status|{outcome}": 1}
    if category:
        added[f"category|{category}|{outcome}"] = 1
    if barrier:
        added[f"barrier|{barrier}"] = 1
    return added


def label_category(label: Mapping[str, Any], analysis: Mapping[str, Any]) -> str | None:
    """The repair's category: the repairer's correction, else the one asked, else the photo's."""
    truth = label.get("truth") or {}
    if truth.get("productCategory"):
        return str(truth["productCategory"])
    inputs = analysis.get("inputs") or {}
    if inputs.get("productCategory"):
        return str(inputs["productCategory"])
    photo = analysis.get("productCategory") or {}
    return str(photo["label"]) if photo.get("recognised") and photo.get("label") else None


def record_label(label: dict[str, Any], analysis: Mapping[str, Any]) -> None:
    """Store a feedback label and count it, once (a retried label is a ``Conflict``)."""
    truth = label.get("truth") or {}
    added = increments(label_category(label, analysis), truth.get("outcome"), truth.get("barrier"))
    resources.label_store().add(label, added)


def counts_from_item(item: Mapping[str, Any], model_barriers: Iterable[str] = ()) -> OutcomeCounts:
    """The stored counts as `OutcomeCounts`, barriers in the model's own spelling."""
    from chalicelib.ml.adaptation import OutcomeCounts

    spelling = {canonical_barrier(name) or name: name for name in model_barriers}
    overall: dict[str, float] = {}
    by_category: dict[str, dict[str, float]] = {}
    barriers: dict[str, float] = {}
    for name, value in item.items():
        kind, _, rest = name.partition("|")
        if kind == "status":
            overall[rest] = float(value)
        elif kind == "category":
            category, _, outcome = rest.rpartition("|")
            by_category.setdefault(category, {})[outcome] = float(value)
        elif kind == "barrier":
            barriers[spelling.get(rest, rest)] = float(value)
    return OutcomeCounts(int(item.get(LABELS, 0)), overall, by_category, barriers)


def current_counts(model_barriers: Iterable[str] = ()) -> OutcomeCounts:
    return counts_from_item(resources.label_store().counts(), model_barriers)
