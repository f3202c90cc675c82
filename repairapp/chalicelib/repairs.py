"""The repair request: its statuses, the legal moves between them, and what each audience sees.

A request is ``submitted`` by a citizen, then ``accepted`` and ``in_repair`` by staff, and closes
as ``fixed``, ``repairable`` or ``end_of_life`` (the Open Repair Data outcomes) or, from any open
status, ``cancelled``. Closed is final. A closed request keeps only what the statistics and the
export need: the contact details and the photo reference are erased when it closes.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from repaircore.vocabulary import RepairOutcome


class Status(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_REPAIR = "in_repair"
    FIXED = "fixed"
    REPAIRABLE = "repairable"
    END_OF_LIFE = "end_of_life"
    CANCELLED = "cancelled"


STATUSES: Final[tuple[str, ...]] = tuple(s.value for s in Status)
OPEN: Final = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.IN_REPAIR})
CLOSED: Final = frozenset(Status) - OPEN
# The statuses that record a real repair outcome, in the Open Repair Data vocabulary.
OUTCOME_OF: Final[dict[Status, RepairOutcome]] = {
    Status.FIXED: RepairOutcome.FIXED,
    Status.REPAIRABLE: RepairOutcome.REPAIRABLE,
    Status.END_OF_LIFE: RepairOutcome.END_OF_LIFE,
}
_NEXT: Final[dict[Status, frozenset[Status]]] = {
    Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.CANCELLED}),
    Status.ACCEPTED: frozenset({Status.IN_REPAIR, Status.CANCELLED}),
    Status.IN_REPAIR: frozenset(OUTCOME_OF) | {Status.CANCELLED},
}
# Attributes that identify a person; erased when a request closes.
PERSONAL_ATTRIBUTES: Final = ("contact",)


def can_move(current: Status, target: Status) -> bool:
    return target in _NEXT.get(current, frozenset())


def timestamp(now: datetime | None = None) -> str:
    """UTC, millisecond precision, ``Z``: sorts as text (the indexes' sort keys)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def without_photo(analysis: dict[str, Any] | None) -> dict[str, Any] | None:
    """The analysis minus its photo reference (the photo itself expires in SmartRe's bucket)."""
    if analysis is None:
        return None
    kept = copy.deepcopy(analysis)
    inputs = kept.get("inputs")
    if isinstance(inputs, dict) and "imageId" in inputs:
        inputs["imageId"] = None
    return kept


def history_entry(
    status: Status,
    at: str,
    *,
    public_message: str | None = None,
    internal_note: str | None = None,
) -> dict[str, Any]:
    """One status change: ``publicMessage`` is for the visitor, ``internalNote`` for staff only."""
    return {
        "status": status.value,
        "at": at,
        "publicMessage": public_message,
        "internalNote": internal_note,
    }


def public_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry as the visitor sees it: never the internal note."""
    return {
        "status": entry["status"],
        "at": entry["at"],
        "publicMessage": entry.get("publicMessage"),
    }


def staff_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry as staff see it. Entries written before the split carry one ``note``
    that staff wrote without being told it was public: it is read as internal, so it never
    reaches the visitor again (a read-time mapping: no stored item is rewritten)."""
    return {
        **public_entry(entry),
        "internalNote": entry.get("internalNote", entry.get("note")),
    }


# --- what each audience sees ------------------------------------------------------------------
def tracking_view(item: dict[str, Any]) -> dict[str, Any]:
    """For the citizen holding the tracking token: status and history, never staff details."""
    return {
        "repairId": item["repairId"],
        "status": item["status"],
        "history": [public_entry(h) for h in item.get("history", [])],
        "productCategory": item.get("productCategory"),
        "analysis": item.get("analysis"),
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
    }


def staff_view(item: dict[str, Any]) -> dict[str, Any]:
    """Everything staff need, including contact details while the request is open."""
    contact = item.get("contact")
    return {
        **tracking_view(item),
        "history": [staff_entry(h) for h in item.get("history", [])],
        "contact": {"name": contact["name"], "email": contact["email"]} if contact else None,
        "postcode": item["postcode"],
        "version": item["version"],
        "outcome": item.get("outcome"),
        "barrier": item.get("barrier"),
        "closedAt": item.get("closedAt"),
        "feedbackStatus": item.get("feedbackStatus"),
    }


def summary_view(item: dict[str, Any]) -> dict[str, Any]:
    """A queue row: enough to pick the next request, no contact details."""
    return {
        "repairId": item["repairId"],
        "status": item["status"],
        "productCategory": item.get("productCategory"),
        "postcode": item["postcode"],
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
    }
