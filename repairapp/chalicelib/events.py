"""A repair-café event: its times, its seats, and what each audience sees of it.

An event is stored with its times as the coordinator meant them, written in Brussels time with
their offset (``startsAt``, ``endsAt``), plus ``startsUtc``, the UTC start as sortable text (the
``by-start`` index's sort key and the "has it started?" condition of every booking). ``booked``
counts the seats held by bookings (capacity is never exceeded: every seat is taken by a
conditional update); ``checkedIn`` counts visitors at the table, walk-ins included; ``lastTicket``
is the last ticket number handed out (tickets are 1, 2, 3... per event, never reused).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

from chalicelib.repairs import timestamp
from repaircore.errors import InvalidInput

EVENT_KIND: Final = "event"
BRUSSELS: Final = ZoneInfo("Europe/Brussels")
MAX_DURATION: Final = timedelta(hours=24)
MAX_AHEAD: Final = timedelta(days=2 * 366)


def new_event_id() -> str:
    return "ev_" + secrets.token_urlsafe(16)


def parse_time(value: str, field: str) -> datetime:
    """An ISO 8601 date-time with its offset (the contract's pattern has checked the shape)."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(f"{field} is not a date and time", code="InvalidTime") from exc
    if moment.tzinfo is None:
        raise InvalidInput(f"{field} needs its UTC offset", code="InvalidTime")
    if not 2000 <= moment.year <= 2100:  # also keeps time-zone arithmetic far from year 1/9999
        raise InvalidInput(f"{field} is not a date of this century", code="InvalidTime")
    return moment


def brussels_text(moment: datetime) -> str:
    """The moment in Brussels time with its offset, e.g. 2026-05-02T14:00:00+02:00."""
    return moment.astimezone(BRUSSELS).isoformat(timespec="seconds")


def check_times(starts: datetime, ends: datetime, now: datetime) -> None:
    if ends <= starts:
        raise InvalidInput("endsAt must be after startsAt", code="EndsBeforeStarts")
    if ends - starts > MAX_DURATION:
        raise InvalidInput("an event lasts at most 24 hours", code="InvalidTime")
    if starts > now + MAX_AHEAD:
        raise InvalidInput("an event starts within two years", code="InvalidTime")


def time_fields(starts: datetime, ends: datetime) -> dict[str, Any]:
    return {
        "startsAt": brussels_text(starts),
        "endsAt": brussels_text(ends),
        "startsUtc": timestamp(starts),
    }


def has_started(item: dict[str, Any], now: datetime | None = None) -> bool:
    return str(item["startsUtc"]) <= timestamp(now or datetime.now(UTC))


def event_date(item: dict[str, Any]) -> str:
    """The local date (YYYY-MM-DD) the event takes place: ORDS's ``event_date``."""
    return datetime.fromisoformat(str(item["startsAt"])).date().isoformat()


# --- what each audience sees ------------------------------------------------------------------
def public_view(item: dict[str, Any], distance: float | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "eventId": item["eventId"],
        "groupIdentifier": item["groupIdentifier"],
        "place": item["place"],
        "address": item["address"],
        "postcode": item["postcode"],
        "startsAt": item["startsAt"],
        "endsAt": item["endsAt"],
        "capacity": int(item["capacity"]),
        "seatsLeft": max(0, int(item["capacity"]) - int(item.get("booked", 0))),
        "categories": list(item.get("categories", [])),
        "skills": list(item.get("skills", [])),
    }
    if distance is not None:
        view["distanceKm"] = round(distance, 1)
    return view


def staff_view(item: dict[str, Any]) -> dict[str, Any]:
    return {
        **public_view(item),
        "booked": int(item.get("booked", 0)),
        "checkedIn": int(item.get("checkedIn", 0)),
        "version": int(item["version"]),
        "createdAt": item["createdAt"],
        "updatedAt": item["updatedAt"],
    }


def booking_view(repair: dict[str, Any], event: dict[str, Any] | None) -> dict[str, Any] | None:
    """A request's booking as its tracking page shows it (None: no booking)."""
    booking = repair.get("booking")
    if not booking or event is None:
        return None
    view: dict[str, Any] = {
        "eventId": event["eventId"],
        "place": event["place"],
        "address": event["address"],
        "startsAt": event["startsAt"],
        "endsAt": event["endsAt"],
        "status": booking["status"],
    }
    if booking.get("ticket"):
        view["ticket"] = int(booking["ticket"])
    return view
