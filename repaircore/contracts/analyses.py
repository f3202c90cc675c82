"""The triage contract: photo uploads, the analysis request and the analysis answer.

SmartRe declares the analysis request (``AnalysisRequest``); RepairApp's triage request is the
same body with stricter rules (``TriageRequest``: a description is required, and the language
the person reads), declared as a subclass, so the two can never disagree on anything else.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import msgspec

from repaircore.contracts.base import (
    Answer,
    CategoryName,
    Language,
    Outcome,
    Probability,
    Request,
    Timestamp,
)

IMAGE_ID_PATTERN = "^img_[A-Za-z0-9_-]{22}$"
ANALYSIS_ID_PATTERN = "^an_[A-Za-z0-9_-]{22}$"
DESCRIPTION_MIN_CHARS = 5
DESCRIPTION_MAX_CHARS = 2000

ImageType = Literal["image/jpeg", "image/png", "image/webp"]
ImageId = Annotated[str, msgspec.Meta(pattern=IMAGE_ID_PATTERN)]
Description = Annotated[
    str,
    msgspec.Meta(
        min_length=DESCRIPTION_MIN_CHARS,
        max_length=DESCRIPTION_MAX_CHARS,
        description="The problem in the person's words (blanks collapsed before the minimum)",
    ),
]


# --- uploads ------------------------------------------------------------------------------------
class UploadRequest(Request, kw_only=True):
    content_type: ImageType | None = None

    error_codes: ClassVar = {"contentType": "UnsupportedImageType"}


class PhotoUploadRequest(UploadRequest, kw_only=True):
    """RepairApp's: the SPA always says what it sends."""

    content_type: ImageType


class Upload(Answer, kw_only=True):
    image_id: ImageId
    url: Annotated[str, msgspec.Meta(description="POST the form here (S3)")]
    fields: dict[str, str]
    max_bytes: int
    expires_at: Timestamp


class ImageLink(Answer, kw_only=True):
    """A short-lived link to view a photo (staff only, through RepairApp)."""

    image_id: ImageId
    url: Annotated[str, msgspec.Meta(description="A presigned GET, valid until expiresAt")]
    expires_at: Timestamp
    deleted_after: Annotated[
        Timestamp, msgspec.Meta(description="When the photo's 7-day retention ends")
    ]


# --- the analysis request ---------------------------------------------------------------------
class AnalysisRequest(Request, kw_only=True):
    """A photo (``imageId``), a description, or both; what the item is, if the person knows."""

    image_id: ImageId | None = None
    description: Description | None = None
    product_category: CategoryName | None = None
    brand: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    product_age_years: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    language: Language = "en"

    error_codes: ClassVar = {"imageId": "InvalidImageId", "language": "UnknownLanguage"}


class TriageRequest(AnalysisRequest, kw_only=True):
    """RepairApp's triage: the person always describes the problem, in the UI's language."""

    description: Description
    language: Language


# --- the analysis answer ----------------------------------------------------------------------
class Confidence(Answer, kw_only=True):
    label: str
    confidence: Probability


class ProductCategory(Answer, kw_only=True):
    label: str | None
    confidence: Probability
    recognised: bool
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)]


class CategoryFromText(Answer, kw_only=True):
    """The item the description names, over every Open Repair Data category."""

    label: str
    confidence: Probability
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)]


class OutcomePrediction(Answer, kw_only=True):
    fixed: Probability
    repairable: Probability
    end_of_life: Probability
    predicted: Outcome


class BarrierPrediction(Answer, kw_only=True):
    """The most likely barrier if the item ends its life: P(barrier | End of life), given
    whatever the outcome; ``top3`` lists the three most likely."""

    label: str
    confidence: Probability
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)] | msgspec.UnsetType = (
        msgspec.UNSET
    )


class SafetyText(Answer, kw_only=True):
    message: str
    advice: str


class SafetyWarning(Answer, kw_only=True):
    code: str
    severity: Literal["danger", "warning"]
    message: str
    advice: str
    translations: (
        Annotated[
            dict[Language, SafetyText],
            msgspec.Meta(description="message and advice in every UI language"),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET


class AdviceText(Answer, kw_only=True):
    name: str
    typical_repair: str
    common_faults: list[str]


class Advice(Answer, kw_only=True):
    product_id: str
    category: str
    name: str
    typical_repair: str
    common_faults: list[str]
    translations: (
        Annotated[
            dict[Language, AdviceText],
            msgspec.Meta(description="the same advice in every UI language"),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET


class SimilarRecord(Answer, kw_only=True):
    """One real past repair from Open Repair Data (CC BY-SA 4.0)."""

    year: int | None
    network: str
    category: str
    brand: str | None
    problem: str
    outcome: Outcome
    barrier: str | None
    similarity: float | msgspec.UnsetType = msgspec.UNSET


class BarrierShare(Answer, kw_only=True):
    label: str
    share: Probability


class SimilarRepairs(Answer, kw_only=True):
    """What past repairs of this category did, and the five most like this one."""

    category: str
    record_count: Annotated[int, msgspec.Meta(ge=0)]
    fixed: Probability
    repairable: Probability
    end_of_life: Probability
    top_barriers: list[BarrierShare]
    records: Annotated[list[SimilarRecord], msgspec.Meta(max_length=5)]
    attribution: str


class MissingPart(Answer, kw_only=True):
    part: str
    reason: str


class AnalysisInputs(Answer, kw_only=True):
    """The request as SmartRe read it: what a re-run with a picked category sends again."""

    image_id: str | None
    description: str | None
    product_category: str | None
    brand: str | None
    product_age_years: float | None
    language: str


class UnadaptedOutcome(Answer, kw_only=True):
    fixed: Probability
    repairable: Probability
    end_of_life: Probability


class Unadapted(Answer, kw_only=True):
    """The outcome model's answer before this deployment's adaptation state
    (``modelVersions.adaptation``), for ``category``; a feedback label adds it to the state."""

    category: str | None
    outcome: UnadaptedOutcome
    barriers: dict[str, Probability]


class Analysis(Answer, kw_only=True):
    """SmartRe's merged answer; ``outcome`` is null in a partial answer whose text branch
    failed, and ``missing`` says which part is missing and why."""

    analysis_id: Annotated[str, msgspec.Meta(pattern=ANALYSIS_ID_PATTERN)]
    product_category: ProductCategory | None
    category_from_text: CategoryFromText | msgspec.UnsetType | None = msgspec.UNSET
    outcome: OutcomePrediction | None
    barrier: BarrierPrediction | None
    safety_warnings: list[SafetyWarning]
    advice: Advice | None
    similar_repairs: SimilarRepairs | msgspec.UnsetType | None = msgspec.UNSET
    partial: bool
    missing: list[MissingPart]
    model_versions: dict[str, str | None]
    inputs: AnalysisInputs
    unadapted: Unadapted | msgspec.UnsetType | None = msgspec.UNSET
    timings: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    requested_at: str | msgspec.UnsetType = msgspec.UNSET
    created_at: Timestamp


class TriageAnswer(Analysis, kw_only=True):
    """RepairApp's triage answer: SmartRe's analysis plus the token to read it again."""

    analysis_token: (
        Annotated[
            str,
            msgspec.Meta(
                description="Only in the triage answer: send it as X-Analysis-Token to read this "
                "analysis again"
            ),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET
