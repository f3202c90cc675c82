"""Photo -> Open Repair Data product category, with numpy only.

Each of the four feature blocks of `image_features` has its own multinomial logistic regression,
trained by `training/` on the photo folders (35 of them: each Caltech class and each clothing
class is its own "fine" class, which a linear model separates far better than the 12 mixed
categories) and exported to `artifacts/image_model.npz`. The blocks are combined as a product of
experts: the folder probabilities are the normalised geometric mean of the four models'
probabilities, i.e. the softmax of their mean logits, which is one matrix product over the
concatenated features. A category's probability is the sum of its folders' probabilities (mirror
images and zoomed crops were used in training; averaging over a mirrored copy at inference would
double the latency for little gain). Below a threshold
calibrated on held-out photos the answer is "not recognised": the training data has no kettles,
vacuums or bikes, so a low score is the honest answer for them.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from chalicelib.ml.image_features import (
    Codebooks,
    FisherCodebook,
    image_features,
    square_pixels,
)

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
        block_sizes: tuple[int, ...],
        fine_to_label: Array,
        labels: tuple[str, ...],
        threshold: float,
        version: str,
    ) -> None:
        self.codebooks = codebooks
        self.mean = mean
        self.scale = scale
        self.coef = coef
        self.intercept = intercept  # (blocks, folders): one row per block's model
        self.block_sizes = block_sizes
        self.fine_to_label = fine_to_label
        self.labels = labels
        self.threshold = threshold
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None) -> "ImageClassifier":
        path = path or DEFAULT_PATH
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:

            def fisher(prefix: str) -> FisherCodebook:
                return FisherCodebook(
                    *(
                        arrays[f"{prefix}_{name}"].astype(np.float64)
                        for name in ("pca_mean", "pca", "weights", "means", "variances")
                    )
                )

            return cls(
                codebooks=Codebooks(
                    sift_centroids=arrays["sift_centroids"].astype(np.float64),
                    sift_gmm=fisher("sift"),
                    colour_gmm=fisher("colour"),
                ),
                mean=arrays["mean"].astype(np.float64),
                scale=arrays["scale"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                block_sizes=tuple(int(n) for n in arrays["block_sizes"]),
                fine_to_label=arrays["fine_to_label"],
                labels=tuple(meta["labels"]),
                threshold=float(meta["threshold"]),
                version=str(meta["version"]),
            )

    def fine_probabilities(self, features: Array) -> Array:
        """Per-folder probabilities for feature rows: the softmax of the blocks' mean logits."""
        scaled = (features - self.mean) / self.scale
        logits = scaled @ self.coef.T + self.intercept.sum(axis=0)
        return softmax(logits / len(self.block_sizes))

    def block_probabilities(self, features: Array) -> list[Array]:
        """Each block model's own per-folder probabilities (scikit-learn's predict_proba)."""
        scaled = (features - self.mean) / self.scale
        result, start = [], 0
        for block, size in enumerate(self.block_sizes):
            part = slice(start, start + size)
            result.append(softmax(scaled[:, part] @ self.coef[:, part].T + self.intercept[block]))
            start += size
        return result

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
