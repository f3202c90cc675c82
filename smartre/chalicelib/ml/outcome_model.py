"""Problem description (+ category, brand, age) -> P(Fixed / Repairable / End of life) and barrier.

Two multinomial logistic regressions trained by `training/` on Open Repair Data (CC BY-SA 4.0,
Open Repair Alliance, compiled by The Restart Project) and exported to
`artifacts/outcome_model.npz`: one for the repair status, one for the barrier of end-of-life items.
Inference is a sparse dot product over the features of `text_features`. Categories the data has
no powered records for (the photo model's "Unpowered - ..." categories) get the status shift seen
for them in the Open Repair Data unpowered counts, on top of the "unknown category" prediction.
`language` is accepted for the interface but not used: the character n-grams work across languages.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

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
    barrier: tuple[str, float] | None


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

    @classmethod
    def load(cls, path: Path | None = None) -> "OutcomeModel":
        path = path or DEFAULT_PATH
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:
            offsets = arrays["category_offsets"]
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
    ) -> OutcomePrediction:
        return self.predict_for_categories(description, [category], brand, age_years, language)[
            category
        ]

    def predict_for_categories(
        self,
        description: str | None,
        categories: Sequence[str | None],
        brand: str | None,
        age_years: float | None,
        language: str | None = None,
    ) -> dict[str | None, OutcomePrediction]:
        """One prediction per category; the text features are computed once."""
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
            probabilities = _softmax(logits)
            barrier_probs = _softmax(barrier_base + self.barrier_coef[:, column])
            results[category] = self._prediction(probabilities, barrier_probs)
        return results

    def _prediction(self, probabilities: Array, barrier_probs: Array) -> OutcomePrediction:
        fixed, repairable, end_of_life = (float(p) for p in probabilities)
        barrier = None
        if end_of_life >= self.barrier_min_probability:
            best = int(np.argmax(barrier_probs))
            barrier = (self.barriers[best], float(barrier_probs[best]))
        return OutcomePrediction(
            fixed=fixed,
            repairable=repairable,
            end_of_life=end_of_life,
            predicted=STATUSES[int(np.argmax(probabilities))],
            barrier=barrier,
        )
