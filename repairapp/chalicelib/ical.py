"""An event as an iCalendar file (RFC 5545): one VEVENT with a stable UID.

Written with the ``icalendar`` library (pinned in requirements.txt) rather than by hand: line
folding, escaping and the date forms are its job. Times are written in UTC (``...Z``), which
every calendar shows in its own zone, so no VTIMEZONE block is needed. The library costs ~150 ms
to import, so it is imported on the first .ics request only, not at every cold start.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

PRODUCT_ID = "-//RepairApp//Repair cafe events//EN"
UID_DOMAIN = "repairapp"


def event_calendar(item: dict[str, Any], link: str | None = None) -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{item['eventId']}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(str(item["updatedAt"])))
    event.add("dtstart", _utc(str(item["startsAt"])))
    event.add("dtend", _utc(str(item["endsAt"])))
    event.add("summary", f"Repair café — {item['place']}")
    event.add("location", f"{item['place']}, {item['address']}, {item['postcode']}")
    categories = ", ".join(item.get("categories", []))
    event.add("description", f"{item['groupIdentifier']}. {categories}".strip())
    event.add("sequence", int(item["version"]) - 1)
    if link:
        event.add("url", link)
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
