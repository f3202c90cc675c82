"""Analyses: validate a request, run the workflow once per idempotency key, read results back."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from chalicelib import resources
from chalicelib.config import settings
from chalicelib.identifiers import ANALYSIS_ID, IMAGE_ID, new_analysis_id, photo_key
from chalicelib.services.retention import ANALYSIS_RETENTION_DAYS
from chalicelib.workflow import AnalysisWorkflow
from repaircore import clients
from repaircore.errors import InvalidInput, NotFound
from repaircore.validation import Fields
from repaircore.vocabulary import LANGUAGES, canonical_category

logger = logging.getLogger(__name__)

MAX_DESCRIPTION_CHARS = 2000
MAX_BRAND_CHARS = 100
MAX_AGE_YEARS = 100.0
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class AnalysisRequest:
    image_id: str | None
    description: str | None
    product_category: str | None
    brand: str | None
    product_age_years: float | None
    language: str

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> AnalysisRequest:
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
        image_id = fields.string("imageId", max_length=30)
        if image_id is not None and not IMAGE_ID.fullmatch(image_id):
            raise InvalidInput("imageId is not one SmartRe issued", code="InvalidImageId")
        description = fields.string("description", max_length=MAX_DESCRIPTION_CHARS)
        category_name = fields.string("productCategory", max_length=100)
        category = canonical_category(category_name) if category_name else None
        if category_name and category is None:
            raise InvalidInput(
                f"productCategory {category_name!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
        if image_id is None and not description:
            raise InvalidInput(
                "send a photo (imageId), a description, or both", code="MissingInput"
            )
        return cls(
            image_id=image_id,
            description=description,
            product_category=category,
            brand=fields.string("brand", max_length=MAX_BRAND_CHARS),
            product_age_years=fields.number("productAgeYears", minimum=0, maximum=MAX_AGE_YEARS),
            language=fields.choice("language", LANGUAGES, code="UnknownLanguage")
            or DEFAULT_LANGUAGE,
        )

    def workflow_request(self) -> dict[str, Any]:
        return {
            "imageId": self.image_id,
            "imageKey": photo_key(self.image_id) if self.image_id else None,
            "description": self.description,
            "productCategory": self.product_category,
            "brand": self.brand,
            "productAgeYears": self.product_age_years,
            "language": self.language,
        }


def _workflow() -> AnalysisWorkflow:
    return AnalysisWorkflow(clients.client("stepfunctions"), settings().state_machine_arn)


def create_analysis(
    request: AnalysisRequest, idempotency_key: str | None
) -> tuple[dict[str, Any], bool]:
    """Run the analysis once for this key; return ``(analysis, replayed)``."""

    def run(analysis_id: str) -> dict[str, Any]:
        now = datetime.now(UTC)
        payload = {
            "analysisId": analysis_id,
            "request": request.workflow_request(),
            "requestedAt": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            # Epoch seconds for the table's TTL (retention.py): the workflow stores it as is.
            "expiresAt": int(now.timestamp()) + ANALYSIS_RETENTION_DAYS * 86400,
        }
        output = _workflow().run(analysis_id, payload)
        if output.get("alreadyStored"):
            # A retry after a crash: the first attempt stored its answer; that one is the truth.
            return get_analysis(analysis_id)
        analysis: dict[str, Any] = output["analysis"]
        logger.info("analysis %s stored (partial=%s)", analysis_id, analysis.get("partial"))
        return analysis

    outcome = resources.idempotency().run(
        "analyses",
        idempotency_key or "",
        asdict(request),
        run,
        new_id=new_analysis_id,
    )
    return outcome.result, outcome.replayed


def get_analysis(analysis_id: str) -> dict[str, Any]:
    if not ANALYSIS_ID.fullmatch(analysis_id):
        raise NotFound("no such analysis", code="AnalysisNotFound")
    item = resources.analyses().find({"analysisId": analysis_id})
    if item is None:
        raise NotFound("no such analysis", code="AnalysisNotFound")
    document: dict[str, Any] = json.loads(item["document"])
    return document
