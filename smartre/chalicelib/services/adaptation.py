"""This deployment's adaptation state: how its labelled repairs ended (DESIGN.md decision 10).

Each feedback label with an outcome adds one to the deployment's counts overall, for the
repair's product category, and (for End of life) for its barrier, and adds the model's
pre-adaptation probabilities that the analysis stored (``unadapted``) to the matching sums;
`assess_repair` reads them before every prediction, so the very next analysis uses them
(`chalicelib.ml.adaptation` has the formula). The counts item's attributes are flat names, so
``ADD`` can create any of them: ``labels`` (every counted label: the state's version),
``status|<outcome>``, ``category|<category>|<outcome>``, ``barrier|<barrier>``, and the sums
``predicted|<outcome>``, ``predicted-category|<category>|<outcome>`` and
``predicted-barrier|<barrier>``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from chalicelib import resources
from chalicelib.label_store import STATE_MAX_AGE_SECONDS
from repaircore.vocabulary import canonical_barrier

if TYPE_CHECKING:  # numpy stays out of the API handler's cold start (feedback imports this)
    from chalicelib.ml.adaptation import OutcomeCounts

LABELS = "labels"
OUTCOME_KEYS = {"Fixed": "fixed", "Repairable": "repairable", "End of life": "endOfLife"}
# Six decimals: plenty for a mean over many labels, and the summed decimals stay short.
DECIMALS = 6


def increments(
    category: str | None,
    outcome: str | None,
    barrier: str | None,
    unadapted: Mapping[str, Any] | None = None,
) -> dict[str, float]:
    """What one label adds to the state (nothing without an outcome).

    ``unadapted`` is what the analysis stored of the model's pre-adaptation prediction:
    ``{"category", "outcome": {fixed, repairable, endOfLife}, "barriers": {barrier: p}}``.
    Its outcome probabilities add to the overall sums, and to the category's sums only when
    they were predicted for the label's category; its barrier probabilities add only with a
    counted barrier.
    """
    if not outcome:
        return {}
    added: dict[str, float] = {LABELS: 1, f"status|{outcome}": 1}
    if category:
        added[f"category|{category}|{outcome}"] = 1
    if barrier:
        added[f"barrier|{barrier}"] = 1
    predicted = (unadapted or {}).get("outcome") or {}
    if all(isinstance(predicted.get(key), int | float) for key in OUTCOME_KEYS.values()):
        same = category and str((unadapted or {}).get("category") or "").casefold() == (
            category.casefold()
        )
        for status, key in OUTCOME_KEYS.items():
            p = round(float(predicted[key]), DECIMALS)
            added[f"predicted|{status}"] = p
            if same:
                added[f"predicted-category|{category}|{status}"] = p
    barriers = (unadapted or {}).get("barriers") or {}
    if barrier and barriers:
        for name, p in barriers.items():
            added[f"predicted-barrier|{name}"] = round(float(p), DECIMALS)
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
    added = increments(
        label_category(label, analysis),
        truth.get("outcome"),
        truth.get("barrier"),
        analysis.get("unadapted"),
    )
    resources.label_store().add(label, added)


def counts_from_item(item: Mapping[str, Any], model_barriers: Iterable[str] = ()) -> OutcomeCounts:
    """The stored counts as `OutcomeCounts`, barriers in the model's own spelling."""
    from chalicelib.ml.adaptation import OutcomeCounts

    spelling = {canonical_barrier(name) or name: name for name in model_barriers}
    flat: dict[str, dict[str, float]] = {"status": {}, "predicted": {}}
    flat.update({"barrier": {}, "predicted-barrier": {}})
    nested: dict[str, dict[str, dict[str, float]]] = {"category": {}, "predicted-category": {}}
    for name, value in item.items():
        kind, _, rest = name.partition("|")
        if kind in nested:
            category, _, outcome = rest.rpartition("|")
            nested[kind].setdefault(category, {})[outcome] = float(value)
        elif kind in ("barrier", "predicted-barrier"):
            flat[kind][spelling.get(rest, rest)] = float(value)
        elif kind in flat:
            flat[kind][rest] = float(value)
    return OutcomeCounts(
        labels=int(item.get(LABELS, 0)),
        overall=flat["status"],
        by_category=nested["category"],
        barriers=flat["barrier"],
        predicted=flat["predicted"],
        predicted_by_category=nested["predicted-category"],
        predicted_barriers=flat["predicted-barrier"],
    )


def current_counts(
    model_barriers: Iterable[str] = (), max_age: float = STATE_MAX_AGE_SECONDS
) -> OutcomeCounts:
    """The state, as read by this container at most ``max_age`` seconds ago."""
    return counts_from_item(resources.label_store().counts(max_age), model_barriers)
