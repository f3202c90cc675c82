"""The triage contract's requests: photo uploads and the analysis request.

SmartRe declares the analysis request (``AnalysisRequest``); RepairApp's triage request is the
same body with stricter rules (``TriageRequest``: a description is required, and the language
the person reads), declared as a subclass, so the two can never disagree on anything else.
The analysis answer is in ``answers``.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

from repaircore.contracts.base import (
    CategoryName,
    Language,
    Request,
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
