"""Photo -> Open Repair Data product category, with numpy only.

The photo's centred square at 224×224 goes through EfficientNet-Lite0 with its ImageNet weights
(`efficientnet`); its 1280 pooled features feed a multinomial logistic regression over the 35
photo folders (each Caltech class and each clothing class), trained by `training/` and exported to
`artifacts/image_model.npz`. A category's probability is the sum of its folders' probabilities.

"Not recognised" needs both of two things to fail: the top category's probability must reach a
threshold, and the photo must look like some photo the model was trained on (the cosine similarity
of its features to the nearest training photo's must reach a floor). A kettle, a cat or a building
can get a confident category from a linear head, but its features are far from every training
photo; both thresholds were chosen from in-domain development photos only (see the model card).
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from chalicelib.ml.efficientnet import EfficientNetLite0, network_input

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


def normalise_rows(rows: Array) -> Array:
    """Each row scaled to unit length (a zero row stays zero)."""
    norms = np.linalg.norm(rows, axis=-1, keepdims=True)
    result: Array = rows / np.maximum(norms, 1e-12)
    return result


BANK_LEVELS = 64
"""Quantisation levels of the nearest-photo bank: 6-bit codes (in uint8) zip to 0.9 MB for the
2000 training photos, 1.4 MB at 8 bits; a cosine similarity moves by a few thousandths."""


def quantise_bank(features: Array) -> tuple[NDArray[np.uint8], float]:
    """Unit rows of non-negative features as small integer codes and one scale."""
    unit = np.clip(normalise_rows(features), 0.0, None)
    scale = float(np.float32(unit.max() / (BANK_LEVELS - 1)))
    codes: NDArray[np.uint8] = np.round(unit / scale).astype(np.uint8)
    return codes, scale


def dequantise_bank(codes: NDArray[np.uint8], scale: float) -> NDArray[np.float32]:
    bank: NDArray[np.float32] = codes.astype(np.float32) * np.float32(scale)
    return bank


class ImageClassifier:
    """Loads the network and the head once; `classify` is then pure numpy."""

    def __init__(
        self,
        *,
        backbone: EfficientNetLite0 | None,
        mean: Array,
        scale: Array,
        coef: Array,
        intercept: Array,
        fine_to_label: Array,
        bank_codes: NDArray[np.uint8],
        bank_scale: float,
        labels: tuple[str, ...],
        threshold: float,
        min_similarity: float,
        version: str,
    ) -> None:
        self.backbone = backbone
        self.mean = mean
        self.scale = scale
        self.coef = coef
        self.intercept = intercept
        self.fine_to_label = fine_to_label
        self.bank_codes, self.bank_scale = bank_codes, bank_scale
        self.bank = dequantise_bank(bank_codes, bank_scale)  # (training photos, 1280), unit rows
        self.labels = labels
        self.threshold = threshold
        self.min_similarity = min_similarity
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None, backbone_path: Path | None = None) -> "ImageClassifier":
        path = path or DEFAULT_PATH
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        with np.load(path, allow_pickle=False) as arrays:
            return cls(
                backbone=EfficientNetLite0.load(backbone_path),
                mean=arrays["mean"].astype(np.float64),
                scale=arrays["scale"].astype(np.float64),
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                fine_to_label=arrays["fine_to_label"].astype(np.float64),
                bank_codes=arrays["bank"],
                bank_scale=float(arrays["bank_scale"]),
                labels=tuple(meta["labels"]),
                threshold=float(meta["threshold"]),
                min_similarity=float(meta["min_similarity"]),
                version=str(meta["version"]),
            )

    def fine_probabilities(self, features: Array) -> Array:
        """Per-folder probabilities for feature rows (scikit-learn's predict_proba)."""
        scaled = (features - self.mean) / self.scale
        return softmax(scaled @ self.coef.T + self.intercept)

    def label_probabilities(self, features: Array) -> Array:
        """Category probabilities for feature rows."""
        result: Array = self.fine_probabilities(features) @ self.fine_to_label
        return result

    def similarity(self, features: Array) -> Array:
        """Cosine similarity of each feature row to the nearest training photo."""
        unit = normalise_rows(features).astype(np.float32)
        nearest: Array = (unit @ self.bank.T).max(axis=-1).astype(np.float64)
        return nearest

    def features(self, image: Image.Image) -> Array:
        """The photo's pooled network features, shape (1, 1280)."""
        if self.backbone is None:
            raise RuntimeError("this classifier was built without its network")
        pooled = self.backbone.features(network_input(image))
        return pooled.astype(np.float64)[None, :]

    def classify(self, image: Image.Image) -> ImagePrediction:
        features = self.features(image)
        return self.predict_from_probabilities(
            self.label_probabilities(features)[0], float(self.similarity(features)[0])
        )

    def predict_from_probabilities(
        self, probabilities: Array, similarity: float = 1.0
    ) -> ImagePrediction:
        order = np.argsort(-probabilities, kind="stable")
        top3 = tuple((self.labels[i], float(probabilities[i])) for i in order[:3])
        best, confidence = top3[0]
        recognised = confidence >= self.threshold and similarity >= self.min_similarity
        return ImagePrediction(
            label=best if recognised else None,
            confidence=confidence,
            top3=top3,
            recognised=recognised,
            probabilities={
                label: float(p) for label, p in zip(self.labels, probabilities, strict=True)
            },
        )
