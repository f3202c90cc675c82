"""The event's day: the prepare sheet and table list, check-ins, walk-ins, claims, the summary.

Every change to a request is versioned like a staff PATCH (If-Match for claims; check-ins read
and retry, since the door volunteer acts on the visitor, not on a version they saw). Checking in
hands out the event's next ticket (an atomic counter: never twice) and moves the request to
``in_repair``, so the outcome is one PATCH (docs/events.md). A walk-in is created and checked in
at once, with no analysis; SmartRe's triage runs after the answer (``triage_walk_in``): a
best-effort thread right away, and the ``triage_walk_ins`` schedule for whatever it missed.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from chalicelib import event_hints, resources
from chalicelib.identifiers import REPAIR_ID, new_repair_id
from chalicelib.repairs import (
    CLOSED,
    OUTCOME_OF,
    Status,
    history_entry,
    timestamp,
)
from chalicelib.services.bookings import BOOKED, CANCELLED, CHECKED_IN
from chalicelib.services.events import find_event
from chalicelib.services.repair_updates import expected_version
from repaircore.contracts.events import CheckinRequest, WalkInRequest
from repaircore.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    VersionConflict,
)
from repaircore.validation import decode
from repaircore.vocabulary import canonical_category

logger = logging.getLogger(__name__)

WALK_IN_SCOPE = "walk-ins"
TRIAGE_PENDING = "pending"
_ATTEMPTS = 3


# --- what the table shows ---------------------------------------------------------------------
def item_view(item: dict[str, Any]) -> dict[str, Any]:
    analysis = item.get("analysis") or {}
    inputs = analysis.get("inputs") or {}
    booking = item.get("booking") or {}
    barrier = (analysis.get("barrier") or {}).get("label")
    view: dict[str, Any] = {
        "repairId": item["repairId"],
        "status": item["status"],
        "bookingStatus": booking.get("status", BOOKED),
        "productCategory": item.get("productCategory"),
        "hasPhoto": bool(inputs.get("imageId") or item.get("imageId")),
        "version": int(item["version"]),
        "hints": event_hints.for_item(item.get("productCategory"), barrier),
    }
    if booking.get("ticket"):
        view["ticket"] = int(booking["ticket"])
    description = inputs.get("description") or item.get("description")
    if description:
        view["description"] = description
    predicted = (analysis.get("outcome") or {}).get("predicted")
    if predicted:
        view["likelyOutcome"] = predicted
    if barrier:
        view["likelyBarrier"] = barrier
    if analysis.get("similarRepairs"):
        view["similarRepairs"] = analysis["similarRepairs"]
    if item.get("claimedBy"):
        view["claimedBy"] = item["claimedBy"]
    return view


def _order(item: dict[str, Any]) -> tuple[int, int, str]:
    ticket = (item.get("booking") or {}).get("ticket")
    return (0 if ticket else 1, int(ticket or 0), str(item["createdAt"]))


def event_repairs(event_id: str) -> list[dict[str, Any]]:
    """The event's requests, cancelled bookings left out: ticket order, then booking order."""
    items = [
        item
        for item in resources.repairs().by_event(event_id)
        if (item.get("booking") or {}).get("status") != CANCELLED
    ]
    return sorted(items, key=_order)


def list_items(event_id: str) -> dict[str, Any]:
    from chalicelib import events as event_rules

    event = find_event(event_id)
    views = [item_view(item) for item in event_repairs(event_id)]
    return {
        "event": event_rules.staff_view(event),
        "items": views,
        "hints": event_hints.for_event(view["hints"] for view in views),
    }


# --- check-in ---------------------------------------------------------------------------------
def check_in(event_id: str, body: dict[str, Any]) -> dict[str, Any]:
    repair_id = decode(body, CheckinRequest).repair_id
    find_event(event_id)
    item = _booked_here(repair_id, event_id)
    if (item.get("booking") or {}).get("status") == CHECKED_IN:
        return item_view(item)  # the same visitor scanned twice: same ticket
    ticket = resources.events().next_ticket(event_id)
    for attempt in range(1, _ATTEMPTS + 1):
        changes = _checked_in(item, ticket)
        try:
            updated = resources.repairs().update(
                item, changes, extra=[resources.events().count_checkin(event_id)]
            )
        except VersionConflict as exc:
            if attempt == _ATTEMPTS:
                raise Conflict(
                    "the request keeps changing: try again", code="VersionConflict"
                ) from exc
            item = _booked_here(repair_id, event_id)
            if (item.get("booking") or {}).get("status") == CHECKED_IN:
                return item_view(item)  # another volunteer checked them in meanwhile
            continue
        logger.info("repair request %s checked in at %s, ticket %d", repair_id, event_id, ticket)
        return item_view(updated)
    raise AssertionError("unreachable")  # pragma: no cover


def _booked_here(repair_id: str, event_id: str) -> dict[str, Any]:
    item = resources.repairs().find(repair_id)
    if item is None or item.get("eventId") != event_id:
        raise NotFound("no request is booked at this event with this id", code="NoSuchBooking")
    if Status(item["status"]) in CLOSED:
        raise Conflict("this request is closed", code="RepairClosed")
    if (item.get("booking") or {}).get("status") == CANCELLED:
        raise Conflict("this booking was cancelled", code="BookingCancelled")
    return item


def _checked_in(item: dict[str, Any], ticket: int) -> dict[str, Any]:
    """Checked in with ``ticket``, and in repair (through accepted) so an outcome is one PATCH."""
    now = timestamp()
    history = list(item.get("history", []))
    status = Status(item["status"])
    if status is Status.SUBMITTED:
        history.append(history_entry(Status.ACCEPTED, now))
    if status is not Status.IN_REPAIR:
        history.append(history_entry(Status.IN_REPAIR, now))
    return {
        "status": Status.IN_REPAIR.value,
        "history": history,
        "booking": {
            **(item.get("booking") or {}),
            "status": CHECKED_IN,
            "ticket": ticket,
            "checkedInAt": now,
        },
        "updatedAt": now,
    }


# --- walk-ins ---------------------------------------------------------------------------------
def walk_in(
    event_id: str, idempotency_key: str | None, body: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """A visitor without a booking: created and checked in at once; triage afterwards."""
    request = decode(body, WalkInRequest)
    category = None
    if request.product_category is not None:
        category = canonical_category(request.product_category)
        if category is None:
            raise InvalidInput(
                f"productCategory {request.product_category!r} is not an Open Repair Data category",
                code="UnknownCategory",
            )
    event = find_event(event_id)
    fingerprint = {
        "eventId": event_id,
        "description": request.description,
        "productCategory": category,
        "imageId": request.image_id,
        "language": request.language,
    }
    outcome = resources.idempotency().run(
        WALK_IN_SCOPE,
        idempotency_key or "",
        fingerprint,
        lambda repair_id: _create_walk_in(repair_id, event, request, category),
        new_id=new_repair_id,
    )
    if not outcome.replayed:
        start_background_triage(str(outcome.result["repairId"]))
    return outcome.result, outcome.replayed


def _create_walk_in(
    repair_id: str, event: dict[str, Any], request: WalkInRequest, category: str | None
) -> dict[str, Any]:
    existing = resources.repairs().find(repair_id)
    if existing is not None:  # an earlier attempt with this key wrote it and died: answer it
        return item_view(existing)
    ticket = resources.events().next_ticket(str(event["eventId"]))
    now = timestamp()
    item: dict[str, Any] = {
        "repairId": repair_id,
        "status": Status.IN_REPAIR.value,
        "version": 1,
        "createdAt": now,
        "updatedAt": now,
        "history": [
            history_entry(Status.SUBMITTED, now),
            history_entry(Status.ACCEPTED, now),
            history_entry(Status.IN_REPAIR, now),
        ],
        "postcode": event["postcode"],  # a walk-in gives none: the event's
        "analysis": None,
        "description": request.description,
        "imageId": request.image_id,
        "productCategory": category,
        "categorySource": "staff" if category else None,
        "language": request.language,
        "eventId": event["eventId"],
        "booking": {"status": CHECKED_IN, "ticket": ticket, "checkedInAt": now, "walkIn": True},
        "triageDue": TRIAGE_PENDING,
    }
    resources.repairs().create(item, extra=[resources.events().count_checkin(event["eventId"])])
    logger.info("walk-in %s at %s, ticket %d", repair_id, event["eventId"], ticket)
    return item_view(item)


def start_background_triage(repair_id: str) -> None:
    """Run the walk-in's triage without keeping the volunteer waiting (best effort: on Lambda
    a thread may be frozen with the container, so the ``triage_walk_ins`` schedule finishes
    whatever is left)."""
    threading.Thread(target=_triage_quietly, args=(repair_id,), daemon=True).start()


def _triage_quietly(repair_id: str) -> None:
    try:
        triage_walk_in(repair_id)
    except Exception:  # a background thread has nobody to answer: log, the schedule retries
        logger.warning("walk-in %s: triage failed; the schedule will retry", repair_id)


def triage_walk_in(repair_id: str) -> bool:
    """Ask SmartRe for the walk-in's analysis and keep it on the request; False if not due."""
    item = resources.repairs().find(repair_id)
    if item is None or item.get("triageDue") != TRIAGE_PENDING:
        return False
    body: dict[str, Any] = {"description": item["description"], "language": item["language"]}
    if item.get("imageId"):
        body["imageId"] = item["imageId"]
    if item.get("productCategory"):
        body["productCategory"] = item["productCategory"]
    analysis, _ = resources.smartre().create_analysis(body, f"walk-in-{repair_id}")
    for _attempt in range(_ATTEMPTS):
        changes: dict[str, Any] = {"analysis": analysis, "analysisId": analysis["analysisId"]}
        if not item.get("productCategory"):
            label = (analysis.get("productCategory") or {}).get("label")
            sure = (analysis.get("productCategory") or {}).get("recognised")
            if sure and isinstance(label, str) and canonical_category(label):
                changes["productCategory"] = canonical_category(label)
                changes["categorySource"] = "model"
        try:
            resources.repairs().update(item, changes, remove=("triageDue",))
            return True
        except VersionConflict:
            fresh = resources.repairs().find(repair_id)
            if fresh is None or fresh.get("triageDue") != TRIAGE_PENDING:
                return False
            item = fresh
    return False


def triage_pending_walk_ins(event_ids: list[str]) -> int:
    """The walk-ins of these events still waiting for their triage (the schedule's work)."""
    done = 0
    for event_id in event_ids:
        for item in resources.repairs().by_event(event_id):
            if item.get("triageDue") == TRIAGE_PENDING:
                try:
                    done += triage_walk_in(str(item["repairId"]))
                except DomainError as exc:
                    logger.warning("walk-in %s: triage failed (%s)", item["repairId"], exc.code)
    return done


# --- claims -----------------------------------------------------------------------------------
def claim(repair_id: str, if_match: str | None, username: str) -> dict[str, Any]:
    """The staff member takes the item (``claimedBy``), at the version they saw."""
    version = expected_version(if_match)
    item = resources.repairs().find(repair_id) if REPAIR_ID.fullmatch(repair_id) else None
    if item is None:
        raise NotFound("no repair request with this id")
    if int(item["version"]) != version:
        raise _stale(version)
    if Status(item["status"]) in CLOSED:
        raise Conflict("this request is closed", code="RepairClosed")
    try:
        updated = resources.repairs().update(
            item, {"claimedBy": username, "updatedAt": timestamp()}
        )
    except VersionConflict as exc:
        raise _stale(version) from exc
    return item_view(updated)


def _stale(version: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"the request changed since version {version}: reload it and try again",
        code="PreconditionFailed",
    )


# --- after the event --------------------------------------------------------------------------
def summary(event_id: str) -> dict[str, Any]:
    from chalicelib import events as event_rules

    event = find_event(event_id)
    seen = [
        item
        for item in event_repairs(event_id)
        if (item.get("booking") or {}).get("status") == CHECKED_IN
    ]
    counts = {status: 0 for status in OUTCOME_OF}
    barriers: dict[str, int] = {}
    open_items = []
    for item in seen:
        status = Status(item["status"])
        if status in counts:
            counts[status] += 1
        elif status is not Status.CANCELLED:
            open_items.append(str(item["repairId"]))
        if item.get("barrier"):
            barriers[str(item["barrier"])] = barriers.get(str(item["barrier"]), 0) + 1
    return {
        "event": event_rules.staff_view(event),
        "seen": len(seen),
        "fixed": counts[Status.FIXED],
        "repairable": counts[Status.REPAIRABLE],
        "endOfLife": counts[Status.END_OF_LIFE],
        "noOutcome": len(open_items),
        "barriers": barriers,
        "openItems": open_items,
    }
