"""Photo -> Open Repair Data product category, with numpy only.

The classifier is a multinomial logistic regression over the features of `image_features`,
trained by `training/` on the photo folders (35 of them: each Caltech class and each clothing
class is its own "fine" class, which a linear model separates far better than the 12 mixed
categories) and exported to `artifacts/image_model.npz`. A category's probability is the sum of
its folders' probabilities (mirror images and zoomed crops were used in training; averaging over
a mirrored copy at inference would double the latency for little gain). Below a threshold
calibrated on held-out photos the answer is "not recognised": the training data has no kettles,
vacuums or bikes, so a low score is the honest answer for them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from chalicelib.ml.image_features import Codebooks, image_features, square_pixels

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEFAULT_PATH = ARTIFACTS / "image_model.npz"

Array = NDArray[np.float64]


@dataclass(frozen=True)
class ImagePrediction:
    """The category (None when not recognised), its confidence, and the three likeliest."""

    label: str | None
    confidence: float
    top3: tuple[tuple[str, float], ...]
    recognised: bool
    probabilities: dict[str, float]


def softmax(logits: Array) -> Array:
    shifted = logits - logits.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    result: Array = exp / exp.sum(axis=-1, keepdims=True)
    return result


class ImageClassifier:
    """Loads the exported weights once; `classify` is then pure numpy."""

    def __init__(
        self,
        *,
        codebooks: Codebooks,
        mean: Array,
        scale: Array,
        coef: Array,
        intercept: Array,
        fine_to_label: Array,
        labels: tuple[str, ...],
        threshold: float,
        version: str,
    ) -> None:
        self.codebooks = codebooks
        self.mean = mean
        self.scale = scale
        self.coef = coef
        self.intercept = intercept
        self.fine_to_label = fine_to_label
        self.labels = labels
        self.threshold = threshold
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None) -> "ImageClassifier":
        path = path or DEFAULT_PATH
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:
            return cls(
                codebooks=Codebooks(
                    sift_centroids=arrays["sift_centroids"].astype(np.float64),
                    patch_mean=arrays["patch_mean"],
                    patch_whitening=arrays["patch_whitening"],
                    patch_centroids=arrays["patch_centroids"].astype(np.float64),
                ),
                mean=arrays["mean"],
                scale=arrays["scale"],
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                fine_to_label=arrays["fine_to_label"],
                labels=tuple(meta["labels"]),
                threshold=float(meta["threshold"]),
                version=str(meta["version"]),
            )

    def fine_probabilities(self, features: Array) -> Array:
        """Per-folder probabilities for feature rows (scikit-learn's predict_proba)."""
        scaled = (features - self.mean) / self.scale
        return softmax(scaled @ self.coef.T + self.intercept)

    def features(self, image: Image.Image) -> Array:
        """The photo's feature row, shape (1, d)."""
        return image_features(square_pixels(image), self.codebooks)[None, :]

    def label_probabilities(self, features: Array) -> Array:
        """Category probabilities averaged over the given feature rows."""
        averaged: Array = self.fine_probabilities(features).mean(axis=0) @ self.fine_to_label
        return averaged

    def classify(self, image: Image.Image) -> ImagePrediction:
        return self.predict_from_probabilities(self.label_probabilities(self.features(image)))

    def predict_from_probabilities(self, probabilities: Array) -> ImagePrediction:
        order = np.argsort(-probabilities, kind="stable")
        top3 = tuple((self.labels[i], float(probabilities[i])) for i in order[:3])
        best, confidence = top3[0]
        recognised = confidence >= self.threshold
        return ImagePrediction(
            label=best if recognised else None,
            confidence=confidence,
            top3=top3,
            recognised=recognised,
            probabilities={
                label: float(p) for label, p in zip(self.labels, probabilities, strict=True)
            },
        )
