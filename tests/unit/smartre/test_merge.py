"""Merging the branches: mixture over the photo's categories, partial answers, precedence."""

from __future__ import annotations

from typing import Any

import pytest

from chalicelib.merge import NothingToAnalyse, effective_category, merge, mixture

PHOTO_OK = {
    "status": "ok",
    "productCategory": {"label": "Lamp", "confidence": 0.8, "recognised": True, "top3": []},
    "probabilities": {"Lamp": 0.8, "Laptop": 0.2},
    "modelVersion": "img-1",
    "timingMs": 12.0,
}
ASSESSMENT_OK = {
    "status": "ok",
    "outcome": {"fixed": 0.5, "repairable": 0.25, "endOfLife": 0.25},
    "barrier": None,
    "outcomeByCategory": {
        "Lamp": {"fixed": 0.9, "repairable": 0.05, "endOfLife": 0.05, "barrier": None},
        "Laptop": {
            "fixed": 0.1,
            "repairable": 0.1,
            "endOfLife": 0.8,
            "barrier": {"label": "Spare parts not available", "confidence": 0.5},
        },
    },
    "safetyWarnings": [
        {"code": "burning_smell", "severity": "danger", "message": "m", "advice": "a"}
    ],
    "modelVersions": {"outcome": "out-1", "safety": "s-1"},
    "timingMs": 3.0,
}
REQUEST = {"description": "lamp smells burnt", "language": "en", "imageId": "img_x"}


def run(**overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "analysis_id": "an_1",
        "request": REQUEST,
        "requested_at": "t",
        "photo": PHOTO_OK,
        "assessment": ASSESSMENT_OK,
        "fallback_safety": [],
        "advice": None,
        "similar": None,
        "safety_version": "s-1",
    }
    args.update(overrides)
    return merge(**args)


def test_without_a_category_hint_the_outcome_is_weighed_by_the_photo() -> None:
    result = run()

    assert result["outcome"]["fixed"] == pytest.approx(0.8 * 0.9 + 0.2 * 0.1)
    assert result["outcome"]["predicted"] == "Fixed"
    assert result["partial"] is False


def test_a_category_given_by_the_person_wins_over_the_photo() -> None:
    result = run(request={**REQUEST, "productCategory": "Laptop"})

    assert result["outcome"]["fixed"] == 0.5
    assert result["inputs"]["productCategory"] == "Laptop"


def test_an_unrecognised_photo_leaves_the_category_blind_outcome() -> None:
    photo = {**PHOTO_OK, "productCategory": {**PHOTO_OK["productCategory"], "recognised": False}}
    assert run(photo=photo)["outcome"]["fixed"] == 0.5


def test_a_failed_photo_branch_gives_a_partial_answer_that_says_why() -> None:
    result = run(photo={"status": "failed", "error": "States.Timeout"})

    assert result["partial"] is True
    assert result["productCategory"] is None
    assert result["missing"] == [{"part": "productCategory", "reason": "States.Timeout"}]
    assert result["outcome"]["predicted"] == "Fixed"


def test_a_failed_assessment_still_screens_for_safety() -> None:
    fallback = [{"code": "smoke_or_sparks", "severity": "danger", "message": "m", "advice": "a"}]

    result = run(
        assessment={"status": "failed", "error": "Lambda.Unknown"}, fallback_safety=fallback
    )

    assert result["outcome"] is None
    assert result["safetyWarnings"] == fallback
    assert {m["part"] for m in result["missing"]} == {"outcome", "barrier"}


def test_nothing_to_merge_is_an_error_not_an_empty_answer() -> None:
    with pytest.raises(NothingToAnalyse):
        run(photo={"status": "skipped"}, assessment={"status": "failed", "error": "X"})


def test_mixture_ignores_categories_without_predictions() -> None:
    mixed = mixture({"Lamp": 0.5, "Kettle": 0.5}, ASSESSMENT_OK["outcomeByCategory"])
    assert mixed == pytest.approx({"fixed": 0.9, "repairable": 0.05, "endOfLife": 0.05})
    assert mixture({"Kettle": 1.0}, ASSESSMENT_OK["outcomeByCategory"]) is None


KETTLE_WORDS = {
    "label": "Kettle",
    "confidence": 0.9,
    "top3": [{"label": "Kettle", "confidence": 0.9}, {"label": "Lamp", "confidence": 0.05}],
    "probabilities": {"Kettle": 0.9, "Lamp": 0.05, "Toaster": 0.05},
}


def test_the_words_category_is_in_the_answer_without_its_full_table() -> None:
    result = run(assessment={**ASSESSMENT_OK, "categoryFromText": KETTLE_WORDS})
    assert result["categoryFromText"] == {
        "label": "Kettle",
        "confidence": 0.9,
        "top3": KETTLE_WORDS["top3"],
    }


def test_a_recognised_photo_is_fused_with_the_words() -> None:
    words = {**KETTLE_WORDS, "probabilities": {"Laptop": 0.95, "Lamp": 0.05}, "label": "Laptop"}
    result = run(assessment={**ASSESSMENT_OK, "categoryFromText": words})
    # photo: Lamp 0.8 / Laptop 0.2; words: Laptop 0.95 -> the product favours Laptop
    assert result["productCategory"]["label"] == "Laptop"
    assert result["outcome"]["predicted"] == "End of life"


def test_an_unrecognised_photo_leaves_the_confident_words_to_name_the_item() -> None:
    photo = {**PHOTO_OK, "productCategory": {**PHOTO_OK["productCategory"], "recognised": False}}
    by_category = {**ASSESSMENT_OK["outcomeByCategory"], "Kettle": {
        "fixed": 0.2, "repairable": 0.1, "endOfLife": 0.7, "barrier": None
    }}  # fmt: skip
    assessment = {
        **ASSESSMENT_OK,
        "categoryFromText": KETTLE_WORDS,
        "outcomeByCategory": by_category,
    }
    result = run(photo=photo, assessment=assessment)
    assert result["outcome"]["endOfLife"] == 0.7
    assert effective_category(REQUEST, photo, assessment) == "Kettle"


def test_without_a_photo_confident_words_choose_the_category() -> None:
    skipped = {"status": "skipped"}
    assessment = {**ASSESSMENT_OK, "categoryFromText": KETTLE_WORDS}
    assert effective_category({"description": "x"}, skipped, assessment) == "Kettle"
    unsure = {**KETTLE_WORDS, "confidence": 0.3}
    assert effective_category({"description": "x"}, skipped, {"categoryFromText": unsure}) is None


def test_similar_records_travel_inside_similar_repairs() -> None:
    similar = {"category": "Lamp", "recordCount": 10, "attribution": "ORDS"}
    record = {"year": 2022, "network": "N", "category": "Lamp", "brand": None, "problem": "p",
              "outcome": "Fixed", "barrier": None}  # fmt: skip
    result = run(similar=similar, similar_records=[record])
    assert result["similarRepairs"]["records"] == [record]
    assert result["similarRepairs"]["recordCount"] == 10


def _unadapted(category: str | None, fixed: float) -> dict[str, Any]:
    rest = (1 - fixed) / 2
    return {
        "category": category,
        "outcome": {"fixed": fixed, "repairable": rest, "endOfLife": rest},
        "barriers": {},
    }


def test_the_pre_adaptation_answer_kept_is_the_one_for_the_photos_category() -> None:
    # Given per-category predictions, each with the model's answer before adaptation
    by_category = {
        name: {**entry, "unadapted": _unadapted(name, 0.7 if name == "Lamp" else 0.2)}
        for name, entry in ASSESSMENT_OK["outcomeByCategory"].items()
    }
    assessment = {
        **ASSESSMENT_OK,
        "unadapted": _unadapted(None, 0.5),
        "outcomeByCategory": by_category,
    }

    # When the photo says Lamp
    result = run(assessment=assessment)

    # Then the analysis keeps the lamp's (a label on it adds those to the lamp's sums)
    assert result["unadapted"] == _unadapted("Lamp", 0.7)


def test_a_named_category_keeps_the_assessments_pre_adaptation_answer() -> None:
    assessment = {**ASSESSMENT_OK, "unadapted": _unadapted("Laptop", 0.3)}

    result = run(request={**REQUEST, "productCategory": "Laptop"}, assessment=assessment)

    assert result["unadapted"] == _unadapted("Laptop", 0.3)
