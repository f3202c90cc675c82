"""The workflow's Lambda tasks (``stepfunctions/analysis.asl.json`` names them).

Each task takes S3 keys and small JSON, never image bytes (the 256 KB state limit), and raises
exceptions whose class names are the ASL contract: photo problems by their own names (caught into
a 4xx), ``TransientError`` for a dependency that may recover (retried with backoff). Names, errors
and payload types come from ``workflow_contract``, which a unit test holds against the ASL.

numpy, Pillow and the models are imported inside the tasks, not at module level: every Lambda
of the app imports ``app.py``, and the API handler must not pay the ML import on its cold start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import asdict
from typing import Any

from chalice import Blueprint

from chalicelib import resources
from chalicelib.merge import effective_category, merge
from chalicelib.observability import measured
from chalicelib.services import catalogue
from chalicelib.services.category_fusion import confident_text_label
from chalicelib.services.images import MAX_PHOTO_BYTES
from chalicelib.workflow_contract import (
    ASSESS_REPAIR,
    CLASSIFY_IMAGE,
    MERGE_ANALYSIS,
    AssessmentPart,
    AssessRepairEvent,
    Barrier,
    CategoryOutcome,
    ClassifyImageEvent,
    ImageNotFound,
    MergeEvent,
    Outcome,
    PhotoPart,
    RankedLabel,
    TextCategory,
    TransientError,
    Unadapted,
)
from repaircore.errors import NotFound, PayloadTooLarge, ServiceUnavailable
from repaircore.vocabulary import PHOTO_CATEGORIES, canonical_barrier

logger = logging.getLogger(__name__)

workflow = Blueprint(__name__)


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


@workflow.lambda_function(name=CLASSIFY_IMAGE.function)
@measured
def classify_image(event: ClassifyImageEvent, context: Any) -> PhotoPart:
    from chalicelib.ml.errors import ImageTooLarge
    from chalicelib.ml.photo import load_photo
    from chalicelib.trained_models import image_classifier

    started = time.perf_counter()
    key = str(event["imageKey"])
    try:
        stored = resources.photos().get(key, max_bytes=MAX_PHOTO_BYTES)
    except NotFound as exc:
        raise ImageNotFound("no photo was uploaded for this imageId") from exc
    except PayloadTooLarge as exc:  # the emulator does not enforce the upload policy's size range
        raise ImageTooLarge(f"the photo is over {MAX_PHOTO_BYTES // (1024 * 1024)} MB") from exc
    except ServiceUnavailable as exc:
        raise TransientError(exc.message) from exc
    image = load_photo(stored.body)
    prediction = image_classifier().classify(image)
    logger.info("classified photo of %s in %.0f ms", event.get("analysisId"), _elapsed_ms(started))
    return {
        "status": "ok",
        "productCategory": {
            "label": prediction.label,
            "confidence": round(prediction.confidence, 4),
            "recognised": prediction.recognised,
            "top3": [{"label": label, "confidence": round(p, 4)} for label, p in prediction.top3],
        },
        "probabilities": {k: round(v, 6) for k, v in prediction.probabilities.items()},
        "modelVersion": image_classifier().version,
        "timingMs": _elapsed_ms(started),
    }


def _outcome_dict(prediction: Any) -> Outcome:
    return {
        "fixed": float(prediction.fixed),
        "repairable": float(prediction.repairable),
        "endOfLife": float(prediction.end_of_life),
    }


def _barrier_dict(prediction: Any) -> Barrier | None:
    """The most likely barrier if the item ends its life, with the three most likely."""
    if prediction.barrier is None:
        return None
    # The model learned the partner data's spellings; the API speaks the standard's.
    top3: list[RankedLabel] = [
        {"label": canonical_barrier(label) or label, "confidence": round(float(p), 4)}
        for label, p in prediction.barrier_top3
    ]
    return {"label": top3[0]["label"], "confidence": top3[0]["confidence"], "top3": top3}


def _category_outcome(category: str, prediction: Any) -> CategoryOutcome:
    outcome = _outcome_dict(prediction)
    return {
        "fixed": outcome["fixed"],
        "repairable": outcome["repairable"],
        "endOfLife": outcome["endOfLife"],
        "barrier": _barrier_dict(prediction),
        "unadapted": _unadapted_dict(category, prediction),
    }


def _unadapted_dict(category: str | None, prediction: Any) -> Unadapted:
    """The model's prediction before this deployment's adaptation, for ``category``: a feedback
    label on this analysis adds it to the adaptation state's sums (`services.adaptation`)."""
    fixed, repairable, end_of_life = prediction.unadapted
    return {
        "category": category,
        "outcome": {
            "fixed": round(fixed, 6),
            "repairable": round(repairable, 6),
            "endOfLife": round(end_of_life, 6),
        },
        "barriers": {
            canonical_barrier(label) or label: round(p, 6)
            for label, p in prediction.unadapted_barriers
        },
    }


def _adaptation_counts(model: Any) -> Any:
    """This deployment's adaptation state; without it (database busy) the global model stands."""
    from chalicelib.services import adaptation

    try:
        return adaptation.current_counts(model.barriers)
    except ServiceUnavailable:
        logger.warning("adaptation state unavailable: predicting with the global model")
        return None


def _text_category_dict(model: Any, description: str | None) -> TextCategory | None:
    prediction = model.predict(description)
    if prediction is None:
        return None
    return {
        "label": prediction.label,
        "confidence": round(prediction.confidence, 4),
        "top3": [{"label": label, "confidence": round(p, 4)} for label, p in prediction.top3],
        # The full table travels to the merge only, which fuses it with the photo's.
        "probabilities": {k: round(v, 6) for k, v in prediction.probabilities.items() if v >= 1e-4},
    }


@workflow.lambda_function(name=ASSESS_REPAIR.function)
@measured
def assess_repair(event: AssessRepairEvent, context: Any) -> AssessmentPart:
    from chalicelib.ml import safety
    from chalicelib.trained_models import outcome_model, text_category_model

    started = time.perf_counter()
    request = event["request"]
    model = outcome_model()
    counts = _adaptation_counts(model)
    args = {
        "description": request.get("description"),
        "brand": request.get("brand"),
        "age_years": request.get("productAgeYears"),
        "language": request.get("language"),
        "counts": counts,
    }
    from_text = _text_category_dict(text_category_model(), request.get("description"))
    category = request.get("productCategory")
    if not category and not request.get("imageKey"):
        category = confident_text_label(from_text)  # no photo: the words name the item
    prediction = model.predict(category=category, **args)
    by_category: dict[str, CategoryOutcome] | None = None
    if not request.get("productCategory") and request.get("imageKey"):
        # The photo branch runs in parallel: predict for every category it can recognise (and
        # the words' likeliest), so the merge can weigh these by the fused probabilities.
        text_top = [option["label"] for option in from_text["top3"]] if from_text else []
        categories = list(dict.fromkeys([*PHOTO_CATEGORIES, *text_top]))
        predictions = model.predict_for_categories(categories=categories, **args)
        by_category = {name: _category_outcome(name, predictions[name]) for name in categories}
    warnings = safety.screen(request.get("description"), request.get("language"))
    return {
        "status": "ok",
        "outcome": _outcome_dict(prediction),
        "barrier": _barrier_dict(prediction),
        "unadapted": _unadapted_dict(category, prediction),
        "outcomeByCategory": by_category,
        "categoryFromText": from_text,
        "safetyWarnings": [asdict(w) for w in warnings],
        "modelVersions": {
            "outcome": model.version,
            "safety": safety.VERSION,
            "adaptation": counts.version if counts is not None else "unavailable",
            "textCategory": text_category_model().version,
        },
        "timingMs": _elapsed_ms(started),
    }


def _similar_dict(similar: Any) -> dict[str, Any]:
    return {
        "category": similar.category,
        "recordCount": similar.records,
        "fixed": round(similar.fixed, 4),
        "repairable": round(similar.repairable, 4),
        "endOfLife": round(similar.end_of_life, 4),
        "topBarriers": [
            {"label": canonical_barrier(b) or b, "share": round(s, 4)}
            for b, s in similar.top_barriers
        ],
        "attribution": similar.attribution,
    }


def similar_records_for(
    request: Mapping[str, Any], category: str | None, from_text: TextCategory | None
) -> list[dict[str, Any]]:
    """Up to five real records: the answer's category first, then the words' other guesses."""
    from chalicelib.trained_models import similar_records_index

    wanted = [category] if category else []
    guesses = [option["label"] for option in from_text["top3"]] if from_text else []
    wanted += [label for label in guesses if label not in wanted]
    if not wanted:
        return []
    found = similar_records_index().similar(request.get("description"), wanted)
    return [
        {
            "year": r.year,
            "network": r.network,
            "category": r.category,
            "brand": r.brand,
            "problem": r.problem,
            "outcome": r.outcome,
            "barrier": canonical_barrier(r.barrier) or r.barrier if r.barrier else None,
            "similarity": r.similarity,
        }
        for r in found
    ]


@workflow.lambda_function(name=MERGE_ANALYSIS.function)
@measured
def merge_analysis(event: MergeEvent, context: Any) -> dict[str, Any]:
    from chalicelib.ml import safety
    from chalicelib.ml.similar import similar_repairs

    started = time.perf_counter()
    request = event["request"]
    photo, assessment = event["photo"], event["assessment"]
    category = effective_category(request, photo, assessment)
    language = request.get("language") or "en"
    try:
        advice = catalogue.advice_for(category, language)
    except ServiceUnavailable:
        advice = None  # advice is a nicety; the analysis stands without it
    fallback = []
    if assessment.get("status") != "ok":
        fallback = [asdict(w) for w in safety.screen(request.get("description"), language)]
    similar = similar_repairs(category) if category else None
    records = similar_records_for(request, category, assessment.get("categoryFromText"))
    merged = merge(
        analysis_id=str(event["analysisId"]),
        request=request,
        requested_at=str(event.get("requestedAt", "")),
        photo=photo,
        assessment=assessment,
        fallback_safety=fallback,
        advice=advice,
        similar=_similar_dict(similar) if similar is not None else None,
        similar_records=records,
        safety_version=safety.VERSION,
        merge_ms=(time.perf_counter() - started) * 1000,
    )
    # Every language of each warning, so the SPA switches language without asking again.
    merged["safetyWarnings"] = [
        {**w, "translations": safety.translations(str(w.get("code")))}
        for w in merged["safetyWarnings"]
    ]
    return merged
