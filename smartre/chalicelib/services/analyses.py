"""Analyses: validate a request, run the workflow once per idempotency key, read results back."""

from __future__ import annotations

import functools
import json
import logging
from datetime import UTC, datetime
from typing import Any

import msgspec
import msgspec.inspect

from chalicelib import resources
from chalicelib.config import settings
from chalicelib.identifiers import ANALYSIS_ID, new_analysis_id, photo_key
from chalicelib.services.retention import ANALYSIS_RETENTION_DAYS
from chalicelib.workflow import AnalysisWorkflow
from repaircore import clients
from repaircore.contracts.analyses import AnalysisRequest
from repaircore.errors import InvalidInput, NotFound
from repaircore.validation import decode
from repaircore.vocabulary import canonical_category

logger = logging.getLogger(__name__)


def parse_request(body: dict[str, Any]) -> AnalysisRequest:
    """The analysis request as declared, with the category in its standard spelling."""
    request = decode(body, AnalysisRequest)
    if request.product_category is not None:
        category = canonical_category(request.product_category)
        if category is None:
            raise InvalidInput(
                f"productCategory {request.product_category!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
        request.product_category = category
    if request.image_id is None and request.description is None:
        raise InvalidInput("send a photo (imageId), a description, or both", code="MissingInput")
    return request


def workflow_request(request: AnalysisRequest) -> dict[str, Any]:
    """The workflow's input: every declared field (absent ones as null) and the photo's key."""
    body: dict[str, Any] = {
        field.encode_name: getattr(request, field.name) for field in _request_fields()
    }
    body["imageKey"] = photo_key(request.image_id) if request.image_id else None
    return body


@functools.cache
def _request_fields() -> tuple[msgspec.inspect.Field, ...]:
    info = msgspec.inspect.type_info(AnalysisRequest)
    assert isinstance(info, msgspec.inspect.StructType)
    return info.fields


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
            "request": workflow_request(request),
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
        msgspec.to_builtins(request),
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
