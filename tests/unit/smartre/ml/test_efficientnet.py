"""The numpy EfficientNet-Lite0 is the reference network: same logits as the reference
implementation on fixed inputs (the golden fixture, see scripts/efficientnet_golden_logits.py),
and ImageNet's own classes among its top 5 on development photos of ImageNet objects."""

from pathlib import Path

import numpy as np
import pytest

from chalicelib.ml.efficientnet import (
    IMAGENET_HEAD_PATH,
    EfficientNetLite0,
    depthwise,
    network_input,
    same_padding,
)
from chalicelib.ml.photo import load_photo
from training.image_data import list_photos

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Caltech folder -> the ImageNet-1k class indices that name its object.
IMAGENET_CLASSES = {
    "laptop": {620, 681},  # laptop, notebook computer
    "cellphone": {487},  # cellular telephone
    "umbrella": {879},
    "grand_piano": {579},
    "accordion": {401},
    "electric_guitar": {546},
    "saxophone": {776},
    "binocular": {447},
}
PHOTOS_PER_FOLDER = 3


@pytest.fixture(scope="module")
def network() -> EfficientNetLite0:
    return EfficientNetLite0.load(imagenet_head=IMAGENET_HEAD_PATH)


@pytest.fixture(scope="module")
def golden() -> dict[str, np.ndarray]:
    with np.load(FIXTURES / "efficientnet_golden.npz") as stored:
        return dict(stored)


def test_logits_equal_the_reference_implementation(
    network: EfficientNetLite0, golden: dict[str, np.ndarray]
) -> None:
    for pixels, expected in zip(golden["pixels"], golden["logits"], strict=True):
        logits = network.logits(network.features(pixels))
        # float16 weights move logits by a few hundredths; a wrong padding or scaling moves
        # them by whole units.
        assert np.abs(logits - expected).max() < 0.1
        assert list(np.argsort(-logits)[:5]) == list(np.argsort(-expected)[:5])


def test_pooled_features_equal_the_reference_implementation(
    network: EfficientNetLite0, golden: dict[str, np.ndarray]
) -> None:
    features = np.stack([network.features(p) for p in golden["pixels"]])
    assert np.abs(features - golden["features"]).max() < 0.05


def test_padding_is_tensorflow_same_with_the_odd_pixel_after() -> None:
    assert same_padding(224, 3, 2) == (0, 1)
    assert same_padding(112, 5, 2) == (1, 2)
    assert same_padding(56, 3, 1) == (1, 1)
    assert same_padding(14, 5, 1) == (2, 2)


def test_depthwise_equals_a_naive_convolution() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal((9, 7, 4)).astype(np.float32)
    weight = rng.standard_normal((5, 5, 4)).astype(np.float32)
    bias = rng.standard_normal(4).astype(np.float32)
    for stride in (1, 2):
        (top, bottom), (left, right) = same_padding(9, 5, stride), same_padding(7, 5, stride)
        padded = np.pad(x.astype(np.float64), ((top, bottom), (left, right), (0, 0)))
        out = depthwise(x, weight, bias, stride)
        for i in range(out.shape[0]):
            for j in range(out.shape[1]):
                for c in range(4):
                    window = padded[i * stride : i * stride + 5, j * stride : j * stride + 5, c]
                    expected = (window * weight[:, :, c]).sum() + bias[c]
                    assert out[i, j, c] == pytest.approx(expected, abs=1e-4)


def test_imagenet_top5_names_the_object_on_development_photos(
    network: EfficientNetLite0, data_dir: Path
) -> None:
    photos = [p for p in list_photos(data_dir) if not p.held_out]
    hits, total = 0, 0
    for folder, classes in IMAGENET_CLASSES.items():
        chosen = [p for p in photos if p.folder == f"caltech/{folder}"][:PHOTOS_PER_FOLDER]
        assert len(chosen) == PHOTOS_PER_FOLDER
        for photo in chosen:
            pixels = network_input(load_photo(photo.path.read_bytes()))
            top5 = set(np.argsort(-network.logits(network.features(pixels)))[:5])
            hits += bool(top5 & classes)
            total += 1
    assert total >= 20
    assert hits >= total - 1
