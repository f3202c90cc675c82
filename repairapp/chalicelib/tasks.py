"""Scheduled work: deliver repair outcomes still waiting in the feedback outbox; the events'.

Most outcomes reach SmartRe right after the closing PATCH; this catches the ones that could not
(SmartRe down or slow). On AWS it runs every five minutes; ``chalice local`` does not run
schedules, so locally the next close or a direct call of ``send_pending_feedback`` does it.
The repair-café events add two (docs/events.md): ``triage_walk_ins`` (walk-ins whose
background triage did not finish) and ``send_event_mail`` (reminders, nudges, follow-ups);
locally they run by a direct call as well (``chalicelib.services.event_tasks``).
"""

from __future__ import annotations

import logging
from typing import Any

from chalice import Blueprint, Rate

from chalicelib.services import event_tasks, feedback

logger = logging.getLogger(__name__)

tasks = Blueprint(__name__)


@tasks.schedule(Rate(5, unit=Rate.MINUTES), name="send_pending_feedback")
def send_pending_feedback(event: Any) -> dict[str, int]:
    sent = feedback.send_pending_feedback()
    logger.info("pending feedback: %d sent", sent)
    return {"sent": sent}


@tasks.schedule(Rate(1, unit=Rate.MINUTES), name="triage_walk_ins")
def triage_walk_ins(event: Any) -> dict[str, int]:
    """Walk-ins whose triage the thread started at check-in did not finish (docs/events.md)."""
    triaged = event_tasks.triage_walk_ins()
    logger.info("walk-ins triaged: %d", triaged)
    return {"triaged": triaged}


@tasks.schedule(Rate(1, unit=Rate.HOURS), name="send_event_mail")
def send_event_mail(event: Any) -> dict[str, int]:
    """The day-before reminders, the coordinators' nudge and the Repairable follow-ups."""
    sent = event_tasks.send_event_mail()
    logger.info("event mail: %s", sent)
    return sent
