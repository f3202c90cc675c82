"""Coordinators plan repair-café events; anyone lists the coming ones, nearest or soonest first.

Creating and editing check the times (with offsets; stored in Brussels time), the postcode (a
known Belgian one: its centroid is kept for distances), the categories (the Open Repair Data
names) and the skills. An edit is versioned (If-Match, like a repair request) and may not lower
the capacity below the seats already booked (``409 CapacityBelowBookings``).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from chalicelib import events as event_rules
from chalicelib import places, resources
from chalicelib.repairs import timestamp
from chalicelib.services.repair_updates import expected_version
from repaircore.contracts.events import EventChange, EventInput
from repaircore.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    TransactionConflict,
)
from repaircore.validation import decode
from repaircore.vocabulary import canonical_category

logger = logging.getLogger(__name__)

EVENT_ID = re.compile(r"ev_[A-Za-z0-9_-]{22}")
DEFAULT_RADIUS_KM = 30.0
MAX_RADIUS_KM = 300.0
_NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{1,3})?")


def no_such_event() -> NotFound:
    return NotFound("no event with this id", code="NoSuchEvent")


def find_event(event_id: str) -> dict[str, Any]:
    item = resources.events().find(event_id) if EVENT_ID.fullmatch(event_id) else None
    if item is None:
        raise no_such_event()
    return item


def _categories(names: list[str]) -> list[str]:
    chosen: list[str] = []
    for name in names:
        category = canonical_category(name)
        if category is None:
            raise InvalidInput(
                f"{name[:100]!r} is not an Open Repair Data category", code="UnknownCategory"
            )
        if category not in chosen:
            chosen.append(category)
    return chosen


def _place_fields(postcode: str) -> dict[str, Any]:
    lat, lon = places.point_of(postcode)
    return {"postcode": postcode, "lat": lat, "lon": lon}


# --- coordinators -----------------------------------------------------------------------------
def create_event(body: dict[str, Any], created_by: str | None = None) -> dict[str, Any]:
    """A new event; ``created_by`` (the coordinator's username) gets the outcomes nudge."""
    declared = decode(body, EventInput)
    now = datetime.now(UTC)
    starts = event_rules.parse_time(declared.starts_at, "startsAt")
    ends = event_rules.parse_time(declared.ends_at, "endsAt")
    event_rules.check_times(starts, ends, now)
    if starts <= now:
        raise InvalidInput("an event is planned in the future", code="EventInPast")
    stamp = timestamp(now)
    item = {
        "eventId": event_rules.new_event_id(),
        "kind": event_rules.EVENT_KIND,
        "groupIdentifier": declared.group_identifier.strip(),
        "place": declared.place.strip(),
        "address": declared.address.strip(),
        **_place_fields(declared.postcode),
        **event_rules.time_fields(starts, ends),
        "capacity": declared.capacity,
        "booked": 0,
        "checkedIn": 0,
        "lastTicket": 0,
        "categories": _categories(declared.categories),
        "skills": sorted(set(declared.skills)),
        "version": 1,
        "createdAt": stamp,
        "updatedAt": stamp,
        "createdBy": created_by,
    }
    resources.events().create(item)
    logger.info("event %s created", item["eventId"])
    return event_rules.staff_view(item)


def update_event(event_id: str, if_match: str | None, body: dict[str, Any]) -> dict[str, Any]:
    version = expected_version(if_match)
    declared = decode(body, EventChange)
    item = find_event(event_id)
    if int(item["version"]) != version:
        raise _stale(version)
    changes: dict[str, Any] = {}
    for field, attribute in (
        ("group_identifier", "groupIdentifier"),
        ("place", "place"),
        ("address", "address"),
    ):
        value = getattr(declared, field)
        if value is not None:
            changes[attribute] = value.strip()
    if declared.postcode is not None:
        changes.update(_place_fields(declared.postcode))
    if declared.starts_at is not None or declared.ends_at is not None:
        starts = event_rules.parse_time(declared.starts_at or item["startsAt"], "startsAt")
        ends = event_rules.parse_time(declared.ends_at or item["endsAt"], "endsAt")
        event_rules.check_times(starts, ends, datetime.now(UTC))
        changes.update(event_rules.time_fields(starts, ends))
    if declared.capacity is not None:
        changes["capacity"] = declared.capacity
    if declared.categories is not None:
        changes["categories"] = _categories(declared.categories)
    if declared.skills is not None:
        changes["skills"] = sorted(set(declared.skills))
    changes["updatedAt"] = timestamp()
    try:
        updated = resources.events().update(item, changes, capacity=declared.capacity)
    except TransactionConflict as exc:
        current = find_event(event_id)
        if int(current["version"]) != version:
            raise _stale(version) from exc
        raise Conflict(
            f"{current.get('booked', 0)} seats are booked: the capacity cannot be lower",
            code="CapacityBelowBookings",
        ) from exc
    logger.info("event %s edited (version %d)", event_id, updated["version"])
    return event_rules.staff_view(updated)


def list_all_events() -> dict[str, Any]:
    items = sorted(resources.events().all(), key=lambda e: str(e["startsUtc"]), reverse=True)
    return {"items": [event_rules.staff_view(item) for item in items]}


# --- everyone ---------------------------------------------------------------------------------
def list_coming_events(
    postcode: str | None, radius: str | None, category: str | None
) -> dict[str, Any]:
    """Events not started yet: within ``radius`` km of ``postcode`` nearest first, else soonest
    first; ``category`` keeps those that take it."""
    origin = places.point_of(postcode) if postcode not in (None, "") else None
    radius_km = _radius(radius)
    wanted = None
    if category not in (None, ""):
        wanted = canonical_category(str(category))
        if wanted is None:
            raise InvalidInput(
                "category is not an Open Repair Data category", code="UnknownCategory"
            )
    now = datetime.now(UTC)
    found: list[tuple[float | None, dict[str, Any]]] = []
    for item in resources.events().all():  # soonest first
        if event_rules.has_started(item, now):
            continue
        if wanted is not None and wanted not in item.get("categories", []):
            continue
        distance = None
        if origin is not None:
            distance = places.distance_km(origin, (float(item["lat"]), float(item["lon"])))
            if distance > radius_km:
                continue
        found.append((distance, item))
    if origin is not None:
        found.sort(key=lambda entry: (entry[0] or 0.0, str(entry[1]["startsUtc"])))
    return {"items": [event_rules.public_view(item, distance) for distance, item in found]}


def next_event_for(category: str | None, after: str, excluding: str) -> dict[str, Any] | None:
    """The soonest event starting after ``after`` (UTC text) that takes ``category``."""
    for item in resources.events().all():  # soonest first
        if item["eventId"] == excluding or str(item["startsUtc"]) <= after:
            continue
        if category is None or category in item.get("categories", []):
            return item
    return None


def get_event(event_id: str) -> dict[str, Any]:
    return event_rules.public_view(find_event(event_id))


def _radius(raw: str | None) -> float:
    if raw in (None, ""):
        return DEFAULT_RADIUS_KM
    value = str(raw)
    if not _NUMBER.fullmatch(value) or not 0 < float(value) <= MAX_RADIUS_KM:
        raise InvalidInput(
            f"radiusKm must be a number of km, above 0 and at most {MAX_RADIUS_KM:g}",
            code="InvalidRadius",
        )
    return float(value)


def _stale(version: int) -> PreconditionFailed:
    return PreconditionFailed(
        f"the event changed since version {version}: reload it and try again",
        code="PreconditionFailed",
    )
