"""Scheduled work: deliver repair outcomes still waiting in the feedback outbox.

Most outcomes reach SmartRe right after the closing PATCH; this catches the ones that could not
(SmartRe down or slow). On AWS it runs every five minutes; ``chalice local`` does not run
schedules, so locally the next close or a direct call of ``send_pending_feedback`` does it.
"""

from __future__ import annotations

import logging
from typing import Any

from chalice import Blueprint, Rate

from chalicelib.services import feedback

logger = logging.getLogger(__name__)

tasks = Blueprint(__name__)


@tasks.schedule(Rate(5, unit=Rate.MINUTES), name="send_pending_feedback")
def send_pending_feedback(event: Any) -> dict[str, int]:
    sent = feedback.send_pending_feedback()
    logger.info("pending feedback: %d sent", sent)
    return {"sent": sent}
