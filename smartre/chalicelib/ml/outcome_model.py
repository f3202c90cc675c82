"""Problem description (+ category, brand, age) -> P(Fixed / Repairable / End of life) and barrier.

Two multinomial logistic regressions trained by `training/` on Open Repair Data (CC BY-SA 4.0,
Open Repair Alliance, compiled by The Restart Project) and exported to
`artifacts/outcome_model.npz`: one for the repair status, one for the barrier of end-of-life items.
Inference is a sparse dot product over the features of `text_features`. Categories the data has
no powered records for (the photo model's "Unpowered - ..." categories) get the status shift seen
for them in the Open Repair Data unpowered counts, on top of the "unknown category" prediction.
`language` is accepted for the interface but not used: the character n-grams work across languages.

The barrier is P(barrier | the item ends its life), given for every prediction with its three
most likely values. Given a deployment's `OutcomeCounts`, both are corrected toward that
deployment's own outcome frequencies (`adaptation`); the training priors that needs ship in the
model's metadata.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chalicelib.ml.adaptation import OutcomeCounts, PriorShift
from chalicelib.ml.text_features import FeatureLayout

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEFAULT_PATH = ARTIFACTS / "outcome_model.npz"
STATUSES = ("Fixed", "Repairable", "End of life")

Array = NDArray[np.float64]


@dataclass(frozen=True)
class OutcomePrediction:
    fixed: float
    repairable: float
    end_of_life: float
    predicted: str
    barrier: tuple[str, float]
    barrier_top3: tuple[tuple[str, float], ...]
    # Before this deployment's adaptation state (what the label update adds to the state's sums).
    unadapted: tuple[float, float, float] = (0.0, 0.0, 0.0)
    unadapted_barriers: tuple[tuple[str, float], ...] = ()


def _softmax(logits: Array) -> Array:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: Array = exp / exp.sum(axis=-1, keepdims=True)
    return result


class OutcomeModel:
    """Loads the exported weights once; `predict` is then pure numpy."""

    def __init__(
        self,
        *,
        layout: FeatureLayout,
        coef: Array,
        intercept: Array,
        barrier_coef: Array,
        barrier_intercept: Array,
        barriers: tuple[str, ...],
        category_offsets: dict[str, Array],
        barrier_min_probability: float,
        version: str,
        train_prior: Array | None = None,
        category_priors: dict[str, Array] | None = None,
        barrier_prior: Array | None = None,
    ) -> None:
        self.layout = layout
        self.coef = coef
        self.intercept = intercept
        self.barrier_coef = barrier_coef
        self.barrier_intercept = barrier_intercept
        self.barriers = barriers
        self.category_offsets = category_offsets
        self._offsets_by_key = {k.casefold(): v for k, v in category_offsets.items()}
        self.barrier_min_probability = barrier_min_probability
        self.version = version
        # A model exported without priors is taken to be trained under its own intercepts.
        self.prior_shift = PriorShift(
            train_prior=_softmax(intercept) if train_prior is None else train_prior,
            category_priors=category_priors or {},
            barrier_prior=(_softmax(barrier_intercept) if barrier_prior is None else barrier_prior),
            barriers=barriers,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> "OutcomeModel":
        path = path or DEFAULT_PATH
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:
            offsets = arrays["category_offsets"]
            priors = meta.get("priors") or {}
            return cls(
                layout=FeatureLayout(meta["categories"], meta["brand_buckets"]),
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                barrier_coef=arrays["barrier_coef"].astype(np.float64),
                barrier_intercept=arrays["barrier_intercept"].astype(np.float64),
                barriers=tuple(meta["barriers"]),
                category_offsets={
                    name: offsets[i] for i, name in enumerate(meta["offset_categories"])
                },
                barrier_min_probability=float(meta["barrier_min_probability"]),
                version=str(meta["version"]),
                train_prior=_array(priors.get("status")),
                category_priors={
                    name: np.array(values, dtype=np.float64)
                    for name, values in (priors.get("status_by_category") or {}).items()
                },
                barrier_prior=_array(priors.get("barrier")),
            )

    def status_probabilities(self, columns: NDArray[np.intp], values: Array) -> Array:
        """What scikit-learn's predict_proba gives for one sparse row."""
        return _softmax(self.coef[:, columns] @ values + self.intercept)

    def barrier_probabilities(self, columns: NDArray[np.intp], values: Array) -> Array:
        return _softmax(self.barrier_coef[:, columns] @ values + self.barrier_intercept)

    def predict(
        self,
        description: str | None,
        category: str | None,
        brand: str | None,
        age_years: float | None,
        language: str | None = None,
        counts: OutcomeCounts | None = None,
    ) -> OutcomePrediction:
        return self.predict_for_categories(
            description, [category], brand, age_years, language, counts=counts
        )[category]

    def predict_for_categories(
        self,
        description: str | None,
        categories: Sequence[str | None],
        brand: str | None,
        age_years: float | None,
        language: str | None = None,
        *,
        counts: OutcomeCounts | None = None,
    ) -> dict[str | None, OutcomePrediction]:
        """One prediction per category; the text features are computed once.

        With ``counts`` (this deployment's adaptation state) the probabilities are corrected
        toward the deployment's own outcome frequencies.
        """
        del language
        columns, values = self.layout.row(description, None, brand, age_years)
        unknown = self.layout.category_column(None)
        keep = columns != unknown
        columns, values = columns[keep], values[keep]
        base = self.coef[:, columns] @ values + self.intercept
        barrier_base = self.barrier_coef[:, columns] @ values + self.barrier_intercept
        results: dict[str | None, OutcomePrediction] = {}
        for category in categories:
            column = self.layout.category_column(category)
            logits = base + self.coef[:, column]
            offset = self._offsets_by_key.get((category or "").strip().casefold())
            if offset is not None:
                logits = logits + offset
            unadapted = _softmax(logits)
            unadapted_barriers = _softmax(barrier_base + self.barrier_coef[:, column])
            probabilities, barrier_probs = unadapted, unadapted_barriers
            if counts is not None and counts.labels:
                probabilities = self.prior_shift.adjust_status(unadapted, counts, category)
                barrier_probs = self.prior_shift.adjust_barriers(unadapted_barriers, counts)
            results[category] = self._prediction(
                probabilities, barrier_probs, unadapted, unadapted_barriers
            )
        return results

    def _prediction(
        self,
        probabilities: Array,
        barrier_probs: Array,
        unadapted: Array | None = None,
        unadapted_barriers: Array | None = None,
    ) -> OutcomePrediction:
        """The answer; ``unadapted`` (default: the same) is the model's before adaptation."""
        unadapted = probabilities if unadapted is None else unadapted
        unadapted_barriers = barrier_probs if unadapted_barriers is None else unadapted_barriers
        fixed, repairable, end_of_life = (float(p) for p in probabilities)
        ranked = np.argsort(-barrier_probs, kind="stable")[:3]
        top3 = tuple((self.barriers[i], float(barrier_probs[i])) for i in ranked)
        return OutcomePrediction(
            fixed=fixed,
            repairable=repairable,
            end_of_life=end_of_life,
            predicted=STATUSES[int(np.argmax(probabilities))],
            barrier=top3[0],
            barrier_top3=top3,
            unadapted=(float(unadapted[0]), float(unadapted[1]), float(unadapted[2])),
            unadapted_barriers=tuple(
                (name, float(p)) for name, p in zip(self.barriers, unadapted_barriers, strict=True)
            ),
        )


def _array(values: Sequence[float] | None) -> Array | None:
    return None if values is None else np.array(values, dtype=np.float64)
