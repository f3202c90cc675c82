"""The mails a visitor gets: a confirmation with the tracking link, then one per status change.

Both go to the contact address while the request holds one; closing erases it (the closing mail
is the last one, sent from the values read just before the erasing write). Nothing here can fail
the request that triggered it: a stage without a sender (``MAIL_FROM``) or without a site address
sends nothing, and ``Mailer.send`` swallows SES errors after logging and counting them.
"""

from __future__ import annotations

import logging
from typing import Any

from chalicelib import mail, resources
from repaircore.errors import DomainError

logger = logging.getLogger(__name__)


def site() -> str | None:
    try:
        return resources.site_url()
    except DomainError:  # the configuration store is unreachable: no link to send
        return None


def send_confirmation(item: dict[str, Any], token: str) -> bool:
    """Mail the tracking link (token in the fragment, as in ``trackingUrl``) to the requester."""
    mailer = resources.mailer()
    contact = item.get("contact")
    if mailer is None or not contact:
        return False
    try:
        site = resources.site_url()
    except DomainError:  # the configuration store is unreachable: no link to send
        site = None
    if site is None:
        logger.warning(
            "repair request %s: no site address, confirmation not sent", item["repairId"]
        )
        return False
    link = f"{site}/repairs/{item['repairId']}#token={token}"
    message = mail.confirmation(item.get("language", ""), contact["email"], contact["name"], link)
    return mailer.send(message)


def send_status_change(before: dict[str, Any], status: str, public_message: str | None) -> bool:
    """Mail the new status (and the public message, never the internal note)."""
    mailer = resources.mailer()
    contact = before.get("contact")
    if mailer is None or not contact:
        return False
    message = mail.status_changed(
        before.get("language", ""), contact["email"], contact["name"], status, public_message
    )
    return mailer.send(message)


# --- repair-café events (docs/events.md) ------------------------------------------------------
def send_about_event(
    template: str, item: dict[str, Any], event: dict[str, Any] | None, **extra: str
) -> bool:
    """An event mail to the requester, while the request is open and holds a contact."""
    mailer = resources.mailer()
    contact = item.get("contact")
    if mailer is None or not contact or event is None or item.get("closedAt"):
        return False
    message = mail.about_event(
        template, item.get("language", ""), contact["email"], contact["name"], event, **extra
    )
    return mailer.send(message)


def site_url_or_blank() -> str:
    return site() or ""


def send_booking(item: dict[str, Any], event: dict[str, Any]) -> bool:
    """The booking (or move) confirmation, with the event's .ics link."""
    calendar = f"{site_url_or_blank()}/api/events/{event['eventId']}/calendar.ics"
    return send_about_event("booking", item, event, calendar_url=calendar)


def send_booking_cancelled(item: dict[str, Any], event: dict[str, Any] | None) -> bool:
    return send_about_event("booking_cancelled", item, event)


def send_follow_up(item: dict[str, Any], after: dict[str, Any] | None) -> bool:
    """A Repairable item's invitation to the next event that takes its category (sent at the
    close, from the values read before the contact is erased: there is no later chance)."""
    return send_about_event("follow_up", {**item, "closedAt": None}, after)
