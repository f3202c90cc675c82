"""The citizen's first steps: a photo upload slot, then SmartRe's analysis of the problem.

RepairApp validates everything at its edge (so malformed input never reaches SmartRe) and then
passes SmartRe's answer through unchanged: the analysis shape is SmartRe's contract. Nothing is
stored here; a repair request made later refers to the analysis by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chalicelib import resources, signatures
from chalicelib.identifiers import ANALYSIS_ID, IMAGE_ID
from repaircore import metrics
from repaircore.errors import InvalidInput, NotFound
from repaircore.idempotency import validate_key
from repaircore.validation import Fields
from repaircore.vocabulary import LANGUAGES, canonical_category

UPLOAD_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
DESCRIPTION_MIN_CHARS = 5
DESCRIPTION_MAX_CHARS = 2000
BRAND_MAX_CHARS = 100
MAX_AGE_YEARS = 100


def start_upload(body: dict[str, Any]) -> dict[str, Any]:
    fields = Fields(body, allowed={"contentType"})
    content_type = fields.string("contentType", required=True, max_length=50)
    if content_type not in UPLOAD_CONTENT_TYPES:
        raise InvalidInput(
            f"contentType must be one of {', '.join(UPLOAD_CONTENT_TYPES)}",
            code="UnsupportedImageType",
        )
    upload = resources.smartre().create_upload(content_type)
    return {k: upload.get(k) for k in ("imageId", "url", "fields", "maxBytes", "expiresAt")}


@dataclass(frozen=True)
class TriageRequest:
    image_id: str | None
    description: str
    product_category: str | None
    brand: str | None
    product_age_years: float | None
    language: str

    @classmethod
    def parse(cls, body: dict[str, Any]) -> TriageRequest:
        fields = Fields(
            body,
            allowed={
                "imageId",
                "description",
                "productCategory",
                "brand",
                "productAgeYears",
                "language",
            },
        )
        image_id = fields.string("imageId", max_length=40)
        if image_id is not None and not IMAGE_ID.fullmatch(image_id):
            raise InvalidInput("imageId is not one this service issued", code="InvalidImageId")
        description = fields.string(
            "description",
            required=True,
            min_length=DESCRIPTION_MIN_CHARS,
            max_length=DESCRIPTION_MAX_CHARS,
        )
        category_name = fields.string("productCategory", max_length=100)
        category = canonical_category(category_name) if category_name else None
        if category_name and category is None:
            raise InvalidInput(
                f"productCategory {category_name!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
        age = fields.number("productAgeYears", minimum=0, maximum=MAX_AGE_YEARS)
        return cls(
            image_id=image_id,
            description=str(description),
            product_category=category,
            brand=fields.string("brand", max_length=BRAND_MAX_CHARS),
            product_age_years=int(age) if age is not None and age.is_integer() else age,
            language=str(
                fields.choice("language", LANGUAGES, required=True, code="UnknownLanguage")
            ),
        )

    def for_smartre(self) -> dict[str, Any]:
        body = {
            "imageId": self.image_id,
            "description": self.description,
            "productCategory": self.product_category,
            "brand": self.brand,
            "productAgeYears": self.product_age_years,
            "language": self.language,
        }
        return {k: v for k, v in body.items() if v is not None}


ANALYSIS_TOKEN_PURPOSE = "analysis"  # noqa: S105 - a signing purpose, not a secret


def run_triage(idempotency_key: str | None, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """SmartRe's analysis, and whether it is a replay of an earlier request with this key.

    The answer carries ``analysisToken``: an analysis holds what the person typed (personal
    data), so reading it again needs this token, which only the person who asked for it has.
    """
    key = validate_key(idempotency_key)
    request = TriageRequest.parse(body)
    timer = metrics.Timer()
    analysis, replayed = resources.smartre().create_analysis(request.for_smartre(), key)
    metrics.record(
        metrics.TRIAGE_LATENCY,
        timer.elapsed_ms(),
        properties={"analysisId": analysis.get("analysisId"), "replayed": replayed},
    )
    token = signatures.sign(ANALYSIS_TOKEN_PURPOSE, str(analysis["analysisId"]))
    return {**analysis, "analysisToken": token}, replayed


def get_analysis(analysis_id: str, token: str | None) -> dict[str, Any]:
    """The analysis for whoever holds its token; a wrong or missing token is the same 404 as an
    unknown id (checked before SmartRe is asked, so it costs no call)."""
    if not ANALYSIS_ID.fullmatch(analysis_id):
        raise NotFound("no analysis with this id")
    if not signatures.verify(ANALYSIS_TOKEN_PURPOSE, analysis_id, token):
        raise NotFound("no analysis with this id")
    return resources.smartre().get_analysis(analysis_id)
