"""The citizen's first steps: a photo upload slot, then SmartRe's analysis of the problem.

RepairApp validates everything at its edge (so malformed input never reaches SmartRe) and then
passes SmartRe's answer through unchanged: the analysis shape is SmartRe's contract. Nothing is
stored here; a repair request made later refers to the analysis by id.
"""

from __future__ import annotations

from typing import Any

import msgspec

from chalicelib import resources, signatures
from chalicelib.identifiers import ANALYSIS_ID
from repaircore import metrics
from repaircore.contracts.analyses import PhotoUploadRequest, TriageRequest
from repaircore.errors import InvalidInput, NotFound
from repaircore.idempotency import validate_key
from repaircore.validation import decode
from repaircore.vocabulary import canonical_category


def start_upload(body: dict[str, Any]) -> dict[str, Any]:
    request = decode(body, PhotoUploadRequest)
    upload = resources.smartre().create_upload(request.content_type)
    return {k: upload.get(k) for k in ("imageId", "url", "fields", "maxBytes", "expiresAt")}


def parse_triage(body: dict[str, Any]) -> TriageRequest:
    """The triage request as declared, with the category in its standard spelling."""
    request = decode(body, TriageRequest)
    if request.product_category is not None:
        category = canonical_category(request.product_category)
        if category is None:
            raise InvalidInput(
                f"productCategory {request.product_category!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
        request.product_category = category
    return request


def for_smartre(request: TriageRequest) -> dict[str, Any]:
    """The analysis request SmartRe gets: every declared field the person gave (the two
    declarations share their fields, so a new one passes through without code here)."""
    body = msgspec.to_builtins(request)
    age = body.get("productAgeYears")
    if isinstance(age, float) and age.is_integer():
        body["productAgeYears"] = int(age)
    return {k: v for k, v in body.items() if v is not None}


ANALYSIS_TOKEN_PURPOSE = "analysis"  # noqa: S105 - a signing purpose, not a secret


def run_triage(idempotency_key: str | None, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """SmartRe's analysis, and whether it is a replay of an earlier request with this key.

    The answer carries ``analysisToken``: an analysis holds what the person typed (personal
    data), so reading it again needs this token, which only the person who asked for it has.
    """
    key = validate_key(idempotency_key)
    request = parse_triage(body)
    timer = metrics.Timer()
    analysis, replayed = resources.smartre().create_analysis(for_smartre(request), key)
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
