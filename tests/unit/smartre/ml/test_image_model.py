"""ImageClassifier: the committed model's contract, its parity with scikit-learn, "not recognised"
for photos of no repairable item, and that the answer depends on what is in the photo, not on its
pixel size or borders."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from chalicelib.ml.image_model import ImageClassifier, ImagePrediction, quantise_bank
from chalicelib.ml.photo import load_photo
from training.image_data import Photo, list_photos
from training.image_training import fit_head, to_classifier

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


def test_an_unfamiliar_photo_is_not_recognised_however_confident(
    classifier: ImageClassifier,
) -> None:
    probabilities = np.zeros(len(classifier.labels))
    probabilities[3] = 1.0
    prediction = classifier.predict_from_probabilities(
        probabilities, classifier.min_similarity - 0.01
    )
    assert not prediction.recognised
    assert prediction.label is None
    assert prediction.top3[0] == (classifier.labels[3], 1.0)


def test_numpy_head_equals_sklearn_predict_proba_on_validation_rows(
    classifier: ImageClassifier,
) -> None:
    with np.load(FIXTURES / "image_parity.npz") as fixture:
        features = fixture["features"].astype(np.float64)
        expected = fixture["sklearn_proba"]
    assert np.abs(classifier.fine_probabilities(features) - expected).max() < 1e-9


def test_numpy_head_equals_a_freshly_fitted_sklearn_pipeline() -> None:
    rng = np.random.default_rng(0)
    folders = ["caltech/laptop", "caltech/cup", "clothing/hat"]
    labels = ["Laptop", "Unpowered - Household", "Unpowered - Textile"]
    photos = [
        Photo(Path(f), "x", f, label, False) for f, label in zip(folders, labels, strict=True)
    ]
    targets = [folders[i % 3] for i in range(90)]
    features = rng.random((90, 20)) + np.array([folders.index(t) for t in targets])[:, None] * 0.1
    pipeline = fit_head(features, features[:, ::-1], targets)
    exported = to_classifier(pipeline, None, photos, features, 0.5, 0.0, "t")
    validation = rng.random((30, 20))
    expected = pipeline.predict_proba(validation)
    assert np.abs(exported.fine_probabilities(validation) - expected).max() < 1e-9


def test_similarity_is_to_the_nearest_training_photo() -> None:
    codes, scale = quantise_bank(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
    classifier = ImageClassifier(
        backbone=None,
        mean=np.zeros(3),
        scale=np.ones(3),
        coef=np.zeros((1, 3)),
        intercept=np.zeros(1),
        fine_to_label=np.ones((1, 1)),
        bank_codes=codes,
        bank_scale=scale,
        labels=("Laptop",),
        threshold=0.5,
        min_similarity=0.9,
        version="t",
    )
    similarity = classifier.similarity(np.array([[0.0, 5.0, 0.0], [1.0, 1.0, 0.0], [0, 0, 2.0]]))
    np.testing.assert_allclose(similarity, [1.0, np.sqrt(0.5), 0.0], atol=1e-6)


def test_photos_of_things_that_are_no_repairable_item_are_mostly_not_recognised(
    classifier: ImageClassifier, data_dir: Path
) -> None:
    folder = data_dir / "caltech101_ood_dev"
    paths = [folder / line for line in (folder / "list.txt").read_text().split()[::12]]
    refused = sum(not classifier.classify(load_photo(p.read_bytes())).recognised for p in paths)
    assert len(paths) == 34
    assert refused >= 0.7 * len(paths)


def test_photos_of_the_trained_folders_are_recognised_and_right(
    classifier: ImageClassifier, data_dir: Path
) -> None:
    photos = [p for p in list_photos(data_dir) if p.held_out][::10]
    results = [classifier.classify(load_photo(p.path.read_bytes())) for p in photos]
    recognised = [(r, p) for r, p in zip(results, photos, strict=True) if r.recognised]
    assert len(recognised) >= 0.9 * len(photos)
    assert sum(r.label == p.label for r, p in recognised) >= 0.95 * len(recognised)


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
