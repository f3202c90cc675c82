"""Feedback from repairers: the real category and outcome, kept as labelled training examples.

Each label stores what the models predicted and their versions next to the truth, so a
retraining (or an audit of the model in the field) reads one table. A retried submission with
the same ``Idempotency-Key`` stores nothing new. A label with an outcome also updates this
deployment's adaptation state in the same write (`services.adaptation`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from chalicelib import resources
from chalicelib.observability import record_feedback_label
from chalicelib.services import adaptation, retention
from chalicelib.services.analyses import get_analysis
from repaircore.contracts.smartre import FeedbackRequest
from repaircore.errors import InvalidInput
from repaircore.validation import decode
from repaircore.vocabulary import (
    RepairOutcome,
    canonical_barrier,
    canonical_category,
)

LABEL_KIND = "feedback"


def parse_feedback(body: dict[str, Any]) -> dict[str, Any]:
    request = decode(body, FeedbackRequest)
    category_name, outcome, barrier_name = (
        request.product_category,
        request.outcome,
        request.barrier,
    )
    category = canonical_category(category_name) if category_name else None
    if category_name and category is None:
        raise InvalidInput(f"productCategory {category_name!r} is unknown", code="UnknownCategory")
    barrier = canonical_barrier(barrier_name) if barrier_name else None
    if barrier_name and barrier is None:
        raise InvalidInput(f"barrier {barrier_name!r} is unknown", code="UnknownBarrier")
    if barrier and outcome != RepairOutcome.END_OF_LIFE:
        raise InvalidInput("a barrier only applies to End of life", code="BarrierWithoutEndOfLife")
    if category is None and outcome is None:
        raise InvalidInput("send productCategory, outcome or both", code="MissingInput")
    return {
        "productCategory": category,
        "outcome": None if outcome is None else str(outcome),
        "barrier": barrier,
        "source": request.source or "unknown",
        "reference": request.reference,
    }


def record_feedback(
    analysis_id: str, body: dict[str, Any], idempotency_key: str | None
) -> dict[str, Any]:
    feedback = parse_feedback(body)
    analysis = get_analysis(analysis_id)  # 404 for an unknown analysis, before any write

    def store(label_id: str) -> dict[str, Any]:
        category = analysis.get("productCategory") or {}
        outcome = analysis.get("outcome") or {}
        barrier = analysis.get("barrier") or {}
        item = {
            "analysisId": analysis_id,
            "labelId": label_id,
            "kind": LABEL_KIND,
            "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "truth": {k: feedback[k] for k in ("productCategory", "outcome", "barrier")},
            "predicted": {
                "productCategory": category.get("label"),
                "productCategoryConfidence": category.get("confidence"),
                "outcome": outcome.get("predicted"),
                "barrier": barrier.get("label"),
            },
            "modelVersions": analysis.get("modelVersions", {}),
            "inputs": analysis.get("inputs", {}),
            "source": feedback["source"],
            "reference": feedback["reference"],
        }
        adaptation.record_label(item, analysis)
        record_feedback_label(feedback["outcome"])
        return {k: item[k] for k in ("analysisId", "labelId", "createdAt", "truth", "predicted")}

    outcome = resources.idempotency().run(
        "feedback",
        idempotency_key or "",
        {"analysisId": analysis_id, **feedback},
        store,
        new_id=lambda: "lb_" + secrets.token_urlsafe(12),
    )
    if feedback["outcome"] is not None:
        # A real outcome means the repair closed: forget the person's inputs (retention.py).
        retention.scrub_analysis(analysis_id)
    return outcome.result
