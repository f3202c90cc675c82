"""Prior-shift correction of the outcome model by one deployment's own closed repairs (pure).

Every repair network has its own proportions of Fixed / Repairable / End of life (DESIGN.md
decision 10), and the barriers its end-of-life items meet. Bayes' rule with an unchanged
likelihood p(x|y) gives the correction for a new prior (Saerens, Latinne and Decaestecker,
"Adjusting the outputs of a classifier to new a priori probabilities", 2002)::

    p'(y|x, c)  ∝  p(y|x, c) · pi_local(y|c) / pbar(y|c)

where the denominator is the prior the model already *reports on this deployment*: the running
mean of its own pre-adaptation probabilities over the labelled requests, not the training prior.
Part of a deployment's shift is visible in its texts and categories, and the model already
follows that part; dividing by the training prior would apply it twice (EM/Saerens: the model's
mean prediction on the new data stands in for the prior it was fitted under). Both are
Dirichlet-smoothed sums, shrunk toward the training prior while labels are scarce, in two levels
(overall, then per product category)::

    pi_local(y)    = (n_y + K · pi_train(y)) / (n + K)
    pbar(y)        = (S_y + K · pi_train(y)) / (S + K)     S_y = sum of p(y|x) so far, S = sum S_y
    shift(y)       = pi_local(y) / pbar(y)
    target_c(y)    ∝ pi_train(y|c) · shift(y)
    pi_local(y|c)  = (n_cy + K_CATEGORY · target_c(y)) / (n_c + K_CATEGORY)
    pbar(y|c)      = (S_cy + K_CATEGORY · pi_train(y|c)) / (S_c + K_CATEGORY)

so with no labels nothing changes, a category with few labels of its own follows the
deployment's overall shift, and one with many is corrected until its mean prediction equals its
own frequencies. A label whose analysis stored no pre-adaptation probabilities counts in
pi_local only (the sums S are over the labels that have them); one whose category the repairer
corrected adds its probabilities overall but not to that category's sums.
The barrier of an end-of-life item gets the overall correction the same way from the
deployment's barrier counts and the model's summed barrier probabilities (K_BARRIER).
K, K_CATEGORY and K_BARRIER were chosen by replaying the training networks (`training.replay`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

STATUSES = ("Fixed", "Repairable", "End of life")
K = 100.0
K_CATEGORY = 30.0
K_BARRIER = 50.0

Array = NDArray[np.float64]


@dataclass(frozen=True)
class OutcomeCounts:
    """The adaptation state: how this deployment's labelled repairs ended, and what the model
    had predicted for them before adaptation.

    ``labels`` counts every label applied and names the state an analysis used. ``predicted``,
    ``predicted_by_category`` and ``predicted_barriers`` sum the pre-adaptation probabilities.
    """

    labels: int = 0
    overall: Mapping[str, float] = field(default_factory=dict)
    by_category: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    barriers: Mapping[str, float] = field(default_factory=dict)
    predicted: Mapping[str, float] = field(default_factory=dict)
    predicted_by_category: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    predicted_barriers: Mapping[str, float] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"labels-{self.labels}"


def _vector(counts: Mapping[str, float] | None, names: Sequence[str]) -> Array:
    counts = counts or {}
    return np.array([float(counts.get(name, 0.0)) for name in names])


def _normalised(values: Array) -> Array:
    result: Array = values / values.sum()
    return result


def _smoothed(sums: Array, k: float, prior: Array) -> Array:
    """Dirichlet smoothing: ``(sums + k · prior) / (sum(sums) + k)``."""
    result: Array = (sums + k * prior) / (sums.sum() + k)
    return result


@dataclass(frozen=True)
class PriorShift:
    """The training priors of one model and the smoothing constants; applies the correction."""

    train_prior: Array
    category_priors: Mapping[str, Array]
    barrier_prior: Array
    barriers: tuple[str, ...]
    k: float = K
    k_category: float = K_CATEGORY
    k_barrier: float = K_BARRIER

    def __post_init__(self) -> None:
        keyed = {name.casefold(): prior for name, prior in self.category_priors.items()}
        object.__setattr__(self, "_by_key", keyed)

    def _category_train_prior(self, category: str | None) -> Array:
        keyed: dict[str, Array] = self._by_key  # type: ignore[attr-defined]
        prior = keyed.get((category or "").strip().casefold())
        return self.train_prior if prior is None else prior

    def overall_prior(self, counts: OutcomeCounts) -> Array:
        """pi_local(y): the smoothed running class frequency (the replay's *prior so far*)."""
        return _smoothed(_vector(counts.overall, STATUSES), self.k, self.train_prior)

    def status_ratio(self, counts: OutcomeCounts, category: str | None) -> Array:
        """pi_local(y|c) / pbar(y|c): the factor each status probability is multiplied by."""
        local = self.overall_prior(counts)
        reported = _smoothed(_vector(counts.predicted, STATUSES), self.k, self.train_prior)
        shift = local / reported
        if not category:
            return shift
        train_c = self._category_train_prior(category)
        target = _normalised(train_c * shift)
        own = _vector(counts.by_category.get(category), STATUSES)
        local_c = _smoothed(own, self.k_category, target)
        predicted_c = _vector(counts.predicted_by_category.get(category), STATUSES)
        reported_c = _smoothed(predicted_c, self.k_category, train_c)
        ratio: Array = local_c / reported_c
        return ratio

    def barrier_ratio(self, counts: OutcomeCounts) -> Array:
        local = _smoothed(
            _vector(counts.barriers, self.barriers), self.k_barrier, self.barrier_prior
        )
        reported = _smoothed(
            _vector(counts.predicted_barriers, self.barriers), self.k_barrier, self.barrier_prior
        )
        ratio: Array = local / reported
        return ratio

    def adjust_status(
        self, probabilities: Array, counts: OutcomeCounts, category: str | None
    ) -> Array:
        return _normalised(probabilities * self.status_ratio(counts, category))

    def adjust_barriers(self, probabilities: Array, counts: OutcomeCounts) -> Array:
        return _normalised(probabilities * self.barrier_ratio(counts))


def _added(
    totals: Mapping[str, float], names: Sequence[str], values: Sequence[float]
) -> dict[str, float]:
    result = dict(totals)
    for name, value in zip(names, values, strict=True):
        result[name] = result.get(name, 0.0) + float(value)
    return result


def apply_label(
    counts: OutcomeCounts,
    category: str | None,
    outcome: str | None,
    barrier: str | None,
    predicted: Sequence[float] | None = None,
    predicted_barriers: Mapping[str, float] | None = None,
) -> OutcomeCounts:
    """The state after one more label (the replay's in-memory twin of the DynamoDB update).

    ``predicted`` is the model's pre-adaptation (Fixed, Repairable, End of life) for this
    request in ``category``; ``predicted_barriers`` its pre-adaptation barrier probabilities.
    """
    overall = dict(counts.overall)
    by_category = {name: dict(values) for name, values in counts.by_category.items()}
    barriers = dict(counts.barriers)
    sums = dict(counts.predicted)
    sums_by_category = dict(counts.predicted_by_category)
    barrier_sums = dict(counts.predicted_barriers)
    if outcome in STATUSES:
        overall[outcome] = overall.get(outcome, 0.0) + 1
        if category:
            per = by_category.setdefault(category, {})
            per[outcome] = per.get(outcome, 0.0) + 1
        if predicted is not None:
            sums = _added(sums, STATUSES, predicted)
            if category:
                sums_by_category[category] = _added(
                    sums_by_category.get(category, {}), STATUSES, predicted
                )
        if outcome == "End of life" and barrier:
            barriers[barrier] = barriers.get(barrier, 0.0) + 1
            if predicted_barriers:
                barrier_sums = _added(
                    barrier_sums, list(predicted_barriers), list(predicted_barriers.values())
                )
    return OutcomeCounts(
        counts.labels + 1, overall, by_category, barriers, sums, sums_by_category, barrier_sums
    )
