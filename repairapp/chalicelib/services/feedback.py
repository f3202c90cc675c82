"""The outbox that tells SmartRe each real repair outcome exactly once.

The closing update marks the request ``feedbackDue`` in the same conditional write that closes
it, so an outcome can neither be lost nor queued twice. Delivery then posts it to SmartRe with
the deterministic ``Idempotency-Key: repair-<repairId>-outcome`` and takes the request out of the
outbox. A retried delivery (after a timeout, a crash before the bookkeeping, or a concurrent
sender) reuses that key, so SmartRe stores one label however often it is asked. Delivery is tried
right after the closing PATCH and by the scheduled ``send_pending_feedback``; a SmartRe outage
leaves the outcome waiting in the outbox, and a refusal SmartRe will repeat forever (e.g. the
analysis is gone) is recorded as ``failed`` instead of retried.
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib import resources
from chalicelib.repair_store import FEEDBACK_PENDING
from chalicelib.repairs import timestamp
from repaircore.errors import Conflict, DomainError, ServiceUnavailable

logger = logging.getLogger(__name__)

FEEDBACK_SOURCE = "repairer"
BATCH_SIZE = 25


def idempotency_key(repair_id: str) -> str:
    return f"repair-{repair_id}-outcome"


def deliver(item: dict[str, Any]) -> dict[str, Any]:
    """Send a closed request's outcome if it is due; return the item with its new state.

    Never raises for SmartRe or database trouble: the outcome then stays due for a later run.
    """
    if item.get("feedbackDue") != FEEDBACK_PENDING:
        return item
    repair_id = str(item["repairId"])
    try:
        resources.smartre().send_feedback(
            str(item["analysisId"]), item["feedback"], idempotency_key(repair_id)
        )
        result, error = "sent", None
    except (ServiceUnavailable, Conflict) as exc:
        logger.warning("feedback for %s not delivered yet (%s)", repair_id, exc.code)
        return item
    except DomainError as exc:
        logger.warning("SmartRe refused feedback for %s (%s); not retrying", repair_id, exc.code)
        result, error = "failed", exc.code
    now = timestamp()
    try:
        resources.repairs().mark_feedback(repair_id, result, now, error)
    except ServiceUnavailable:
        logger.warning("feedback for %s delivered; bookkeeping deferred", repair_id)
        return item
    logger.info("feedback for %s %s", repair_id, result)
    updated = {k: v for k, v in item.items() if k != "feedbackDue"}
    updated.update({"feedbackStatus": result, "feedbackAt": now})
    return updated


def send_pending_feedback(limit: int = BATCH_SIZE) -> int:
    """Deliver up to ``limit`` due outcomes; return how many were sent (the schedule's job)."""
    sent = 0
    for due in resources.repairs().feedback_due(limit):
        # The index lags the table: re-read, so an outcome just delivered is not posted again.
        item = resources.repairs().find(str(due["repairId"]))
        if item is not None and deliver(item).get("feedbackStatus") == "sent":
            sent += 1
    return sent
