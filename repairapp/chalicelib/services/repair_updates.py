"""Staff move a request through its statuses, one version at a time.

``If-Match`` carries the version the staff member saw: without it the update is refused (428),
with an old one it is refused (412), so two people can never overwrite each other. The status
rules live in ``chalicelib.repairs``. Closing erases the contact details and the photo reference;
closing with a real outcome also queues that outcome for SmartRe (the outbox in ``feedback``) in
the same conditional write, and tries to deliver it straight away.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import REPAIR_ID
from chalicelib.repair_store import FEEDBACK_PENDING
from chalicelib.repairs import (
    CLOSED,
    OUTCOME_OF,
    PERSONAL_ATTRIBUTES,
    Status,
    can_move,
    history_entry,
    staff_view,
    timestamp,
    without_photo,
)
from chalicelib.services import feedback, notifications
from repaircore.contracts import repairapp as contract
from repaircore.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    VersionConflict,
)
from repaircore.validation import decode
from repaircore.vocabulary import (
    RepairOutcome,
    canonical_barrier,
    canonical_category,
)

logger = logging.getLogger(__name__)

NOTE_MAX_CHARS = 500
MAX_VERSION = 10**9
# ASCII digits only, and few: str.isdigit() admits "²", which int() refuses.
VERSION = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class RepairUpdate:
    status: Status
    barrier: str | None
    public_message: str | None
    internal_note: str | None
    product_category: str | None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> RepairUpdate:
        declared = decode(body, contract.RepairUpdate)
        status = Status(declared.status.value)
        outcome = declared.outcome.value if declared.outcome is not None else None
        if outcome is not None and OUTCOME_OF.get(status) != outcome:
            raise InvalidInput(
                f"outcome {outcome!r} does not match status {status.value!r}",
                code="OutcomeMismatch",
            )
        barrier_name = declared.barrier
        barrier = canonical_barrier(barrier_name) if barrier_name else None
        if barrier_name and barrier is None:
            raise InvalidInput(f"barrier {barrier_name!r} is unknown", code="UnknownBarrier")
        if status is Status.END_OF_LIFE and barrier is None:
            raise InvalidInput(
                "closing as end_of_life needs the barrier that prevented the repair",
                code="BarrierRequired",
            )
        if barrier is not None and status is not Status.END_OF_LIFE:
            raise InvalidInput(
                "a barrier only applies to end_of_life", code="BarrierWithoutEndOfLife"
            )
        category_name = declared.product_category
        category = canonical_category(category_name) if category_name else None
        if category_name and category is None:
            raise InvalidInput(
                f"productCategory {category_name!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
        # ``note`` is the field's name before the split: staff typed it without being told it
        # was public, so it is taken as the internal note (never shown to the visitor).
        if declared.internal_note is not None and declared.note is not None:
            raise InvalidInput(
                "send internalNote only (note is its old name)", code="NoteAndInternalNote"
            )
        return cls(
            status=status,
            barrier=barrier,
            public_message=declared.public_message,
            internal_note=(
                declared.internal_note if declared.internal_note is not None else declared.note
            ),
            product_category=category,
        )


def expected_version(if_match: str | None) -> int:
    """The version in ``If-Match`` (``3`` or the ETag form ``"3"``)."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(
            "send If-Match with the version you are changing", code="PreconditionRequired"
        )
    value = if_match.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not VERSION.fullmatch(value) or not 1 <= int(value) <= MAX_VERSION:
        raise InvalidInput("If-Match must be a version number, e.g. 3", code="InvalidIfMatch")
    return int(value)


def update_repair(repair_id: str, if_match: str | None, body: dict[str, Any]) -> dict[str, Any]:
    version = expected_version(if_match)
    update = RepairUpdate.parse(body)
    store = resources.repairs()
    item = store.find(repair_id) if REPAIR_ID.fullmatch(repair_id) else None
    if item is None:
        raise NotFound("no repair request with this id")
    if int(item["version"]) != version:
        raise _stale(version)
    current = Status(item["status"])
    if not can_move(current, update.status):
        raise Conflict(
            f"a request that is {current.value} cannot become {update.status.value}",
            code="InvalidTransition",
        )
    changes, remove = _changes(item, update)
    extra = []
    booking = item.get("booking") or {}
    if update.status in CLOSED and booking.get("status") == "booked" and item.get("eventId"):
        # Closed before the event: the seat goes back (the tracking page says "cancelled").
        changes["booking"] = {**booking, "status": "cancelled", "cancelledAt": changes["updatedAt"]}
        extra.append(resources.events().release_seat(str(item["eventId"])))
    try:
        updated = store.update(item, changes, remove=remove, extra=extra)
    except VersionConflict as exc:
        raise _stale(version) from exc
    logger.info("repair request %s: %s -> %s", repair_id, current.value, update.status.value)
    # From the item as it was: closing has just erased the contact details, so this is the
    # last mail the visitor gets.
    notifications.send_status_change(item, update.status.value, update.public_message)
    if update.status is Status.REPAIRABLE and item.get("eventId"):
        _invite_to_next_event(item, updated)
    return staff_view(feedback.deliver(updated))


def _invite_to_next_event(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Repairable at a repair café: invite the visitor to the next one that takes the item."""
    from chalicelib.services.events import next_event_for

    next_event = next_event_for(
        after.get("productCategory"), timestamp(), excluding=str(before["eventId"])
    )
    if next_event is not None:
        notifications.send_follow_up(before, next_event)


def _changes(item: dict[str, Any], update: RepairUpdate) -> tuple[dict[str, Any], list[str]]:
    now = timestamp()
    target = update.status
    changes: dict[str, Any] = {
        "status": target.value,
        "updatedAt": now,
        "history": [
            *item.get("history", []),
            history_entry(
                target,
                now,
                public_message=update.public_message,
                internal_note=update.internal_note,
            ),
        ],
    }
    if update.product_category:
        changes["productCategory"] = update.product_category
        changes["categorySource"] = "staff"
    remove: list[str] = []
    if target in CLOSED:
        changes["closedAt"] = now
        if item.get("analysis") is not None:
            changes["analysis"] = without_photo(item["analysis"])
        remove = [name for name in PERSONAL_ATTRIBUTES if name in item]
    if target in OUTCOME_OF:
        outcome = OUTCOME_OF[target]
        changes["outcome"] = outcome.value
        if update.barrier:
            changes["barrier"] = update.barrier
        changes["feedback"] = _feedback_body(item, update, outcome)
        changes["feedbackStatus"] = FEEDBACK_PENDING
        changes["feedbackDue"] = FEEDBACK_PENDING
    return changes, remove


def _feedback_body(
    item: dict[str, Any], update: RepairUpdate, outcome: RepairOutcome
) -> dict[str, Any]:
    """What SmartRe learns: the real outcome, and the category only if a person gave it."""
    body: dict[str, Any] = {
        "outcome": outcome.value,
        "source": feedback.FEEDBACK_SOURCE,
        "reference": item["repairId"],
    }
    if update.barrier:
        body["barrier"] = update.barrier
    category = update.product_category or item.get("productCategory")
    source = "staff" if update.product_category else item.get("categorySource")
    if category and source in ("citizen", "staff"):
        body["productCategory"] = category
    return body


def get_repair(repair_id: str) -> dict[str, Any]:
    item = resources.repairs().find(repair_id) if REPAIR_ID.fullmatch(repair_id) else None
    if item is None:
        raise NotFound("no repair request with this id")
    return staff_view(item)


def _stale(version: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"the request changed since version {version}: reload it and try again",
        code="PreconditionFailed",
    )
