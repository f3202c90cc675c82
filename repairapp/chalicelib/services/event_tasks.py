"""The event work that runs on a schedule: walk-in triage, reminders, nudges and follow-ups.

Each task takes ``now`` (a clock the tests set) and marks what it did on the item it did it
for, so a rerun sends nothing twice. Mails go only to open requests that still hold a contact
(closing erases it), so nothing reaches a visitor after their repair closed.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import events as event_rules
from chalicelib import mail, resources
from chalicelib.repairs import CLOSED, Status, timestamp
from chalicelib.services import event_table, notifications
from chalicelib.services.bookings import BOOKED

logger = logging.getLogger(__name__)

# Walk-ins of events that started up to this long ago may still wait for their triage.
TRIAGE_WINDOW = timedelta(days=2)
# The coordinator is nudged this long after the event if outcomes are missing.
NUDGE_AFTER = timedelta(days=2)
# ... but not about events older than this (a schedule that was off does not flood anyone).
NUDGE_UNTIL = timedelta(days=14)


def triage_walk_ins(now: datetime | None = None) -> int:
    moment = now or datetime.now(UTC)
    since = timestamp(moment - TRIAGE_WINDOW)
    recent = [str(e["eventId"]) for e in resources.events().all() if str(e["startsUtc"]) >= since]
    return event_table.triage_pending_walk_ins(recent)


def send_event_mail(now: datetime | None = None) -> dict[str, int]:
    """Reminders for tomorrow's events, and nudges about events with missing outcomes."""
    moment = now or datetime.now(UTC)
    sent = {"reminders": 0, "nudges": 0}
    tomorrow = (moment.astimezone(event_rules.BRUSSELS) + timedelta(days=1)).date().isoformat()
    for event in resources.events().all():
        if event_rules.event_date(event) == tomorrow and not event_rules.has_started(event, moment):
            sent["reminders"] += _remind(event, moment)
        ended = datetime.fromisoformat(str(event["endsAt"]))
        if ended + NUDGE_AFTER <= moment < ended + NUDGE_UNTIL:
            sent["nudges"] += _nudge(event, moment)
    return sent


def _remind(event: dict[str, Any], moment: datetime) -> int:
    """The day-before mail to every visitor still booked (once: ``reminderSentAt``)."""
    sent = 0
    for item in resources.repairs().by_event(str(event["eventId"])):
        booking = item.get("booking") or {}
        if booking.get("status") != BOOKED or Status(item["status"]) in CLOSED:
            continue
        if item.get("reminderSentAt") or not item.get("contact"):
            continue
        if resources.repairs().mark_once(
            str(item["repairId"]), "reminderSentAt", timestamp(moment)
        ):
            sent += notifications.send_about_event("reminder", item, event)
    return sent


def _nudge(event: dict[str, Any], moment: datetime) -> int:
    """One mail to the event's coordinator when seen items still have no outcome."""
    open_items = event_table.summary(str(event["eventId"]))["openItems"]
    coordinator = str(event.get("createdBy") or "")
    mailer = resources.mailer()
    if not open_items or "@" not in coordinator or mailer is None or event.get("nudgeSentAt"):
        return 0
    if not resources.events().mark(str(event["eventId"]), "nudgeSentAt", timestamp(moment)):
        return 0
    site = notifications.site() or ""
    message = mail.about_event(
        "nudge",
        "en",
        coordinator,
        "",
        event,
        open_count=str(len(open_items)),
        summary_url=f"{site}/staff/events/{event['eventId']}/summary",
    )
    return int(mailer.send(message))
