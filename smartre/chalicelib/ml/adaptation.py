"""Prior-shift correction of the outcome model by one deployment's own closed repairs (pure).

Every repair network has its own proportions of Fixed / Repairable / End of life (DESIGN.md
decision 10), and the barriers its end-of-life items meet. The model was trained under a prior
``pi_train``; a deployment that has recorded outcomes of its own has a local prior ``pi_local``.
Bayes' rule with an unchanged likelihood p(x|y) gives the correction (Saerens, Latinne and
Decaestecker, "Adjusting the outputs of a classifier to new a priori probabilities", 2002)::

    p'(y|x, c)  ∝  p(y|x, c) · pi_local(y|c) / pi_train(y|c)

The local priors are Dirichlet-smoothed counts, shrunk toward the training prior while labels are
scarce, in two levels (overall, then per product category)::

    pi_local(y)    = (n_y + K · pi_train(y)) / (n + K)
    target_c(y)    ∝ pi_train(y|c) · pi_local(y) / pi_train(y)
    pi_local(y|c)  = (n_cy + K_CATEGORY · target_c(y)) / (n_c + K_CATEGORY)

so with no labels nothing changes, a category with few labels of its own follows the
deployment's overall shift, and one with many follows its own counts. The barrier of an
end-of-life item gets the same overall correction from the deployment's barrier counts (K_BARRIER).
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
    """The adaptation state: how this deployment's labelled repairs ended.

    ``labels`` counts every label applied and names the state an analysis used.
    """

    labels: int = 0
    overall: Mapping[str, float] = field(default_factory=dict)
    by_category: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    barriers: Mapping[str, float] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return f"labels-{self.labels}"


def _vector(counts: Mapping[str, float] | None, names: Sequence[str]) -> Array:
    counts = counts or {}
    return np.array([float(counts.get(name, 0.0)) for name in names])


def _normalised(values: Array) -> Array:
    result: Array = values / values.sum()
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

    def status_ratio(self, counts: OutcomeCounts, category: str | None) -> Array:
        """pi_local(y|c) / pi_train(y|c): the factor each status probability is multiplied by."""
        overall = _vector(counts.overall, STATUSES)
        local = (overall + self.k * self.train_prior) / (overall.sum() + self.k)
        shift = local / self.train_prior
        train_c = self._category_train_prior(category)
        if not category:
            return shift
        target = _normalised(train_c * shift)
        own = _vector(counts.by_category.get(category), STATUSES)
        local_c = (own + self.k_category * target) / (own.sum() + self.k_category)
        ratio: Array = local_c / train_c
        return ratio

    def barrier_ratio(self, counts: OutcomeCounts) -> Array:
        own = _vector(counts.barriers, self.barriers)
        local = (own + self.k_barrier * self.barrier_prior) / (own.sum() + self.k_barrier)
        ratio: Array = local / self.barrier_prior
        return ratio

    def adjust_status(
        self, probabilities: Array, counts: OutcomeCounts, category: str | None
    ) -> Array:
        return _normalised(probabilities * self.status_ratio(counts, category))

    def adjust_barriers(self, probabilities: Array, counts: OutcomeCounts) -> Array:
        return _normalised(probabilities * self.barrier_ratio(counts))


def apply_label(
    counts: OutcomeCounts, category: str | None, outcome: str | None, barrier: str | None
) -> OutcomeCounts:
    """The state after one more label (the replay's in-memory twin of the DynamoDB update)."""
    overall = dict(counts.overall)
    by_category = {name: dict(values) for name, values in counts.by_category.items()}
    barriers = dict(counts.barriers)
    if outcome in STATUSES:
        overall[outcome] = overall.get(outcome, 0.0) + 1
        if category:
            per = by_category.setdefault(category, {})
            per[outcome] = per.get(outcome, 0.0) + 1
        if outcome == "End of life" and barrier:
            barriers[barrier] = barriers.get(barrier, 0.0) + 1
    return OutcomeCounts(counts.labels + 1, overall, by_category, barriers)
