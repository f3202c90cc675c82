"""Merge the two workflow branches into the one answer the caller gets (pure: no I/O).

When the person named no category, the outcome is the photo's category distribution applied to
the per-category outcome predictions (a mixture), rather than a category-blind guess; when the
photo is not recognised, the category the words name confidently stands in, else the
category-blind prediction. The photo's and the words' categories are fused by
``category_fusion``. A failed branch leaves its part empty and is listed in ``missing``, with
``partial`` set, so the caller can say what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from chalicelib.services.category_fusion import (
    confident_text_label,
    fused_category,
    public_text_category,
)
from chalicelib.workflow_contract import (
    AssessmentPart,
    Barrier,
    CategoryOutcome,
    Outcome,
    PhotoPart,
    WorkflowRequest,
)

OutcomeKey = Literal["fixed", "repairable", "endOfLife"]
OUTCOME_KEYS: tuple[OutcomeKey, ...] = ("fixed", "repairable", "endOfLife")
OUTCOME_LABELS = {"fixed": "Fixed", "repairable": "Repairable", "endOfLife": "End of life"}


class NothingToAnalyse(Exception):
    """Both branches failed (or the only one that ran): there is no answer to give."""


def mixture(
    probabilities: Mapping[str, float], outcome_by_category: Mapping[str, CategoryOutcome]
) -> Outcome | None:
    """Outcome probabilities averaged over categories, weighted by the photo's probabilities."""
    weights = {c: p for c, p in probabilities.items() if c in outcome_by_category and p > 0}
    total = sum(weights.values())
    if total <= 0:
        return None
    mixed = {
        key: sum(w * float(outcome_by_category[c][key]) for c, w in weights.items()) / total
        for key in OUTCOME_KEYS
    }
    norm = sum(mixed.values())
    return {
        "fixed": mixed["fixed"] / norm,
        "repairable": mixed["repairable"] / norm,
        "endOfLife": mixed["endOfLife"] / norm,
    }


def with_prediction(outcome: Outcome) -> dict[str, Any]:
    values = {k: float(outcome[k]) for k in OUTCOME_KEYS}
    best = max(OUTCOME_KEYS, key=values.__getitem__)
    return {
        **{k: round(v, 4) for k, v in values.items()},
        "predicted": OUTCOME_LABELS[best],
    }


def effective_category(
    request: Mapping[str, Any],
    photo: Mapping[str, Any],
    assessment: Mapping[str, Any] | None = None,
) -> str | None:
    """The category the answer is about: the person's own choice beats a recognised photo (fused
    with the words when both speak), which beats confident words alone."""
    if request.get("productCategory"):
        return str(request["productCategory"])
    from_text = (assessment or {}).get("categoryFromText")
    fused = fused_category(photo, from_text)
    if fused is not None:
        return str(fused[0]["label"]) if fused[0]["recognised"] else None
    category = photo.get("productCategory") if photo.get("status") == "ok" else None
    if category and category.get("recognised"):
        return str(category["label"])
    return confident_text_label(from_text)  # no photo, or one nobody recognised: the words


def merge(
    *,
    analysis_id: str,
    request: WorkflowRequest,
    requested_at: str,
    photo: PhotoPart,
    assessment: AssessmentPart,
    fallback_safety: Sequence[Mapping[str, Any]],
    advice: Mapping[str, Any] | None,
    similar: Mapping[str, Any] | None,
    safety_version: str,
    similar_records: Sequence[Mapping[str, Any]] = (),
    merge_ms: float = 0.0,
    now: datetime | None = None,
) -> dict[str, Any]:
    photo_ok = photo.get("status") == "ok"
    assessed = assessment.get("status") == "ok"
    if not assessed and not photo_ok:
        raise NothingToAnalyse("neither the photo nor the description could be analysed")

    missing: list[dict[str, str]] = []
    if photo.get("status") == "failed":
        missing.append({"part": "productCategory", "reason": str(photo.get("error", "Unknown"))})
    if assessment.get("status") == "failed":
        reason = str(assessment.get("error", "Unknown"))
        missing += [{"part": "outcome", "reason": reason}, {"part": "barrier", "reason": reason}]

    outcome: dict[str, Any] | None = None
    barrier: Barrier | None = None
    from_text = assessment.get("categoryFromText") if assessed else None
    fused = fused_category(photo, from_text) if not request.get("productCategory") else None
    unadapted: Mapping[str, Any] | None = None
    if assessed:
        outcome = with_prediction(assessment["outcome"])
        barrier = assessment.get("barrier")
        unadapted = assessment.get("unadapted")
        by_category = assessment.get("outcomeByCategory")
        if by_category and not request.get("productCategory") and photo_ok:
            recognised = bool(photo["productCategory"].get("recognised"))
            weights = fused[1] if fused is not None else photo.get("probabilities", {})
            mixed = mixture(weights, by_category) if recognised else None
            if mixed is not None:
                outcome = with_prediction(mixed)
                top = (fused[0] if fused is not None else photo["productCategory"])["label"]
                if top is not None and top in by_category:
                    barrier = by_category[top]["barrier"]
                    unadapted = by_category[top].get("unadapted", unadapted)
            elif (named := confident_text_label(from_text)) in by_category:
                outcome = with_prediction(by_category[str(named)])  # the words name the item
                barrier = by_category[str(named)]["barrier"]
                unadapted = by_category[str(named)].get("unadapted", unadapted)

    safety = assessment.get("safetyWarnings") if assessed else list(fallback_safety)
    versions: dict[str, str | None] = {**assessment.get("modelVersions", {})} if assessed else {}
    versions["image"] = photo.get("modelVersion") if photo_ok else None
    versions.setdefault("safety", safety_version)
    created = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "analysisId": analysis_id,
        "productCategory": fused[0] if fused else (photo["productCategory"] if photo_ok else None),
        "categoryFromText": public_text_category(from_text),
        "outcome": outcome,
        "barrier": barrier if outcome is not None else None,
        "safetyWarnings": list(safety or []),
        "advice": dict(advice) if advice else None,
        "similarRepairs": {**similar, "records": list(similar_records)} if similar else None,
        "partial": bool(missing),
        "missing": missing,
        "modelVersions": versions,
        # What the global model said before this deployment's adaptation, for the answer's
        # category: a label on this analysis adds it to the adaptation state (adaptation.py).
        "unadapted": dict(unadapted) if unadapted and outcome is not None else None,
        "inputs": {
            "imageId": request.get("imageId"),
            "description": request.get("description"),
            "productCategory": request.get("productCategory"),
            "brand": request.get("brand"),
            "productAgeYears": request.get("productAgeYears"),
            "language": request.get("language", "en"),
        },
        "timings": {
            "photoMs": photo.get("timingMs"),
            "assessmentMs": assessment.get("timingMs"),
            "mergeMs": round(merge_ms, 1),
        },
        "requestedAt": requested_at,
        "createdAt": created,
    }
