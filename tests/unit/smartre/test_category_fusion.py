"""Fusing the photo's category with the words' category (pure)."""

import pytest

from chalicelib.services.category_fusion import fuse_probabilities, fused_category

PHOTO = {
    "status": "ok",
    "productCategory": {"label": "Lamp", "confidence": 0.6, "recognised": True, "top3": []},
    "probabilities": {"Lamp": 0.6, "Fan": 0.3, "Laptop": 0.1},
}


def text(probabilities: dict[str, float]) -> dict[str, object]:
    label = max(probabilities, key=lambda k: probabilities[k])
    return {
        "label": label,
        "confidence": probabilities[label],
        "top3": [],
        "probabilities": probabilities,
    }


def test_the_fused_distribution_is_normalised_over_both_label_sets() -> None:
    fused = fuse_probabilities({"Lamp": 1.0}, {"Kettle": 1.0})
    assert set(fused) == {"Lamp", "Kettle"}
    assert sum(fused.values()) == pytest.approx(1.0)


def test_words_that_agree_with_a_runner_up_photo_label_can_overturn_it() -> None:
    answer, fused = fused_category(PHOTO, text({"Fan": 0.9, "Lamp": 0.05, "Kettle": 0.05})) or (
        {},
        {},
    )
    assert answer["label"] == "Fan"
    assert answer["recognised"] is True
    assert fused["Fan"] > fused["Lamp"]


def test_an_unrecognised_photo_is_not_fused() -> None:
    photo = {**PHOTO, "productCategory": {**PHOTO["productCategory"], "recognised": False}}
    assert fused_category(photo, text({"Kettle": 0.9, "Lamp": 0.1})) is None


def test_without_words_there_is_nothing_to_fuse() -> None:
    assert fused_category(PHOTO, None) is None
