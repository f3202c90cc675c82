"""A visitor's seat at a repair-café event: book it with the request, move it, cancel it.

Every change of seat is one transaction with the request's own write (``RepairStore`` with
``extra=`` operations from ``EventStore``): a booking takes a seat only if one is left and the
event has not started, a move releases the old seat and takes the new one, a cancel releases it.
If the seat's condition fails nothing is written, and the event is read again to say why (``409
EventFull`` or ``409 EventClosed``). Visitors send no If-Match (they hold a token, not a version),
so a request changed meanwhile by staff is read again and the change retried a few times.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from chalicelib import events as event_rules
from chalicelib import resources
from chalicelib.repairs import CLOSED, Status, timestamp
from chalicelib.services import notifications
from chalicelib.services.events import find_event, no_such_event
from repaircore.contracts.events import BookingRequest
from repaircore.errors import (
    Conflict,
    DomainError,
    NotFound,
    TransactionConflict,
    Unprocessable,
    VersionConflict,
)
from repaircore.validation import decode

logger = logging.getLogger(__name__)

BOOKED, CHECKED_IN, CANCELLED = "booked", "checkedIn", "cancelled"
_ATTEMPTS = 3


def event_full() -> Conflict:
    return Conflict("no seat is left at this event", code="EventFull")


def event_closed() -> Conflict:
    return Conflict("this event has started or is over: pick a coming one", code="EventClosed")


def seat_refused(event_id: str) -> DomainError:
    """Why the seat condition failed: the event is gone, has started, or is full."""
    event = resources.events().find(event_id)
    if event is None:
        return no_such_event()
    if event_rules.has_started(event):
        return event_closed()
    return event_full()


def bookable_event(event_id: str, category: str | None) -> dict[str, Any]:
    """The event, if a request of ``category`` may book it (the seat itself is taken later)."""
    event = find_event(event_id)
    if event_rules.has_started(event):
        raise event_closed()
    if category is not None and category not in event.get("categories", []):
        raise Unprocessable(
            f"this event does not take {category} repairs: pick another or walk in",
            code="CategoryNotAccepted",
        )
    return event


def booking_fields(event_id: str) -> dict[str, Any]:
    """What a new booking writes on the request."""
    return {"eventId": event_id, "booking": {"status": BOOKED, "bookedAt": timestamp()}}


def now_utc() -> str:
    return timestamp(datetime.now(UTC))


def tracking_booking(item: dict[str, Any]) -> dict[str, Any] | None:
    """The request's booking as its tracking page shows it."""
    event_id = item.get("eventId")
    event = resources.events().find(str(event_id)) if event_id and item.get("booking") else None
    return event_rules.booking_view(item, event)


# --- the visitor's changes (tracking token) ---------------------------------------------------
def book(item: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """Book ``body.eventId`` for the request, or move its booking there; the new request."""
    event_id = decode(body, BookingRequest).event_id
    for attempt in range(1, _ATTEMPTS + 1):
        _check_changeable(item)
        booking = item.get("booking") or {}
        if item.get("eventId") == event_id and booking.get("status") == BOOKED:
            return item  # already booked there: a repeated PUT changes nothing
        event = bookable_event(event_id, item.get("productCategory"))
        extra = [resources.events().take_seat(event_id, now_utc())]
        if booking.get("status") == BOOKED and item.get("eventId"):
            extra.append(resources.events().release_seat(str(item["eventId"])))
        changes = {**booking_fields(event_id), "updatedAt": timestamp()}
        try:
            updated = resources.repairs().update(item, changes, extra=extra)
        except TransactionConflict as exc:
            if exc.failed_index == 0:
                raise seat_refused(event_id) from exc
            raise
        except VersionConflict:
            item = _reread(item, attempt)
            continue
        logger.info("repair request %s booked at event %s", item["repairId"], event_id)
        notifications.send_booking(updated, event)
        return updated
    raise AssertionError("unreachable")  # pragma: no cover


def cancel(item: dict[str, Any]) -> dict[str, Any]:
    """Cancel the request's booking (its seat is released); the new request."""
    for attempt in range(1, _ATTEMPTS + 1):
        booking = item.get("booking") or {}
        if Status(item["status"]) in CLOSED:
            raise Conflict("this request is closed: its booking cannot change", code="RepairClosed")
        if booking.get("status") in (None, CANCELLED) or not item.get("eventId"):
            return item  # nothing to cancel: a repeated DELETE changes nothing
        _check_changeable(item)
        event_id = str(item["eventId"])
        changes = {
            "booking": {**booking, "status": CANCELLED, "cancelledAt": timestamp()},
            "updatedAt": timestamp(),
        }
        try:
            updated = resources.repairs().update(
                item, changes, extra=[resources.events().release_seat(event_id)]
            )
        except VersionConflict:
            item = _reread(item, attempt)
            continue
        logger.info("repair request %s: booking at %s cancelled", item["repairId"], event_id)
        notifications.send_booking_cancelled(updated, resources.events().find(event_id))
        return updated
    raise AssertionError("unreachable")  # pragma: no cover


def _check_changeable(item: dict[str, Any]) -> None:
    if Status(item["status"]) in CLOSED:
        raise Conflict("this request is closed: its booking cannot change", code="RepairClosed")
    if (item.get("booking") or {}).get("status") == CHECKED_IN:
        raise Conflict("you are checked in already", code="AlreadyCheckedIn")


def _reread(item: dict[str, Any], attempt: int) -> dict[str, Any]:
    if attempt == _ATTEMPTS:
        raise Conflict("the request changed while booking: try again", code="VersionConflict")
    fresh = resources.repairs().find(str(item["repairId"]))
    if fresh is None:
        raise NotFound("no repair request with this id and token")
    return fresh
