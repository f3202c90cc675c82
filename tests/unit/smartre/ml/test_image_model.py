"""ImageClassifier: the committed model's contract, its parity with scikit-learn, and that the
answer depends on what is in the photo, not on its pixel size or borders."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from chalicelib.ml.image_model import ImageClassifier, ImagePrediction
from chalicelib.ml.photo import load_photo
from training.image_data import Photo
from training.image_training import fit_classifier, fused_predict_proba, to_classifier

FIXTURES = Path(__file__).resolve().parent / "fixtures"

LABELS = {
    "Laptop",
    "Mobile",
    "Digital compact camera",
    "Headphones",
    "Watch/clock",
    "Lamp",
    "Fan",
    "Hi-Fi separates",
    "Musical instrument",
    "Unpowered - Furniture",
    "Unpowered - Household",
    "Unpowered - Textile",
}


@pytest.fixture(scope="module")
def classifier() -> ImageClassifier:
    return ImageClassifier.load()


def _photo(seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (6, 8, 3), dtype=np.uint8)
    return Image.fromarray(base).resize((320, 240), Image.Resampling.BICUBIC)


def test_committed_model_knows_the_twelve_categories(classifier: ImageClassifier) -> None:
    assert set(classifier.labels) == LABELS
    assert isinstance(classifier.version, str)
    assert classifier.version


def test_classify_returns_probabilities_over_all_categories(classifier: ImageClassifier) -> None:
    prediction = classifier.classify(_photo(1))
    assert set(prediction.probabilities) == LABELS
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0)
    assert len(prediction.top3) == 3
    confidences = [p for _, p in prediction.top3]
    assert confidences == sorted(confidences, reverse=True)
    assert prediction.confidence == confidences[0]


def test_low_confidence_means_not_recognised_but_top3_is_still_filled(
    classifier: ImageClassifier,
) -> None:
    uniform = np.full(len(classifier.labels), 1 / len(classifier.labels))
    prediction = classifier.predict_from_probabilities(uniform)
    assert prediction == ImagePrediction(
        label=None,
        confidence=prediction.confidence,
        top3=prediction.top3,
        recognised=False,
        probabilities=prediction.probabilities,
    )
    assert len(prediction.top3) == 3


def test_high_confidence_is_recognised(classifier: ImageClassifier) -> None:
    probabilities = np.zeros(len(classifier.labels))
    probabilities[3] = 1.0
    prediction = classifier.predict_from_probabilities(probabilities)
    assert prediction.recognised
    assert prediction.label == classifier.labels[3]


def test_numpy_head_equals_sklearn_predict_proba_on_validation_rows(
    classifier: ImageClassifier,
) -> None:
    with np.load(FIXTURES / "image_parity.npz") as fixture:
        features = fixture["features"].astype(np.float64)
        expected = fixture["sklearn_proba"]
        blocks = [fixture[f"sklearn_block_{i}"] for i in range(len(classifier.block_sizes))]
    assert np.abs(classifier.fine_probabilities(features) - expected).max() < 1e-9
    for ours, theirs in zip(classifier.block_probabilities(features), blocks, strict=True):
        assert np.abs(ours - theirs).max() < 1e-9


def test_numpy_head_equals_a_freshly_fitted_sklearn_pipeline(classifier: ImageClassifier) -> None:

    rng = np.random.default_rng(0)
    folders = ["caltech/laptop", "caltech/cup", "clothing/hat"]
    labels = ["Laptop", "Unpowered - Household", "Unpowered - Textile"]
    photos = [
        Photo(Path(f), "x", f, label, False) for f, label in zip(folders, labels, strict=True)
    ]
    targets = [folders[i % 3] for i in range(90)]
    features = rng.random((90, 20)) + np.array([folders.index(t) for t in targets])[:, None] * 0.1
    pipelines = fit_classifier(features, features[:, ::-1], targets, sizes=(12, 8))
    exported = to_classifier(pipelines, classifier.codebooks, photos, 0.5, "t")
    validation = rng.random((30, 20))
    expected = fused_predict_proba(pipelines, validation)
    assert np.abs(exported.fine_probabilities(validation) - expected).max() < 1e-9
    first, second = exported.block_probabilities(validation)
    assert np.abs(first - pipelines[0].predict_proba(validation[:, :12])).max() < 1e-9
    assert np.abs(second - pipelines[1].predict_proba(validation[:, 12:])).max() < 1e-9
    # The product of experts is the normalised geometric mean of the two models.
    geometric = np.sqrt(first * second)
    assert np.abs(geometric / geometric.sum(axis=1, keepdims=True) - expected).max() < 1e-9


def test_rescaling_a_photo_does_not_change_the_answer(
    classifier: ImageClassifier, data_dir: Path
) -> None:
    paths = sorted(
        (data_dir / "caltech101_repair_subset" / "101_ObjectCategories").glob("*/image_0001.jpg")
    )
    differences = []
    for path in paths:
        photo = load_photo(path.read_bytes())
        original = classifier.classify(photo)
        bigger = classifier.classify(photo.resize((photo.width * 3, photo.height * 3)))
        differences.append(
            max(abs(original.probabilities[k] - bigger.probabilities[k]) for k in LABELS)
        )
        assert bigger.top3[0][0] == original.top3[0][0] or differences[-1] < 0.25
    assert float(np.median(differences)) < 0.1


def test_a_thin_border_does_not_change_the_answer(
    classifier: ImageClassifier, data_dir: Path
) -> None:
    paths = sorted(
        (data_dir / "caltech101_repair_subset" / "101_ObjectCategories").glob("*/image_0001.jpg")
    )
    same = 0
    for path in paths:
        photo = load_photo(path.read_bytes())
        padded = ImageOps.expand(photo, border=max(photo.size) // 25, fill=(255, 255, 255))
        same += classifier.classify(padded).top3[0][0] == classifier.classify(photo).top3[0][0]
    assert same >= 0.8 * len(paths)
