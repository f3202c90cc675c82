"""How long SmartRe keeps what a person gave it, and what it forgets when their repair closes.

An analysis holds personal data: the description the person typed and a reference to their
photo. When RepairApp reports the real outcome of the repair (the feedback call made on close),
SmartRe deletes the photo and blanks the description and photo reference in its copy of the
analysis; the label stored for training keeps the predictions, the truth and the description
text the outcome model learns from (see docs/model-card.md). Analyses that no repair ever
closes expire on their own: ``ANALYSIS_RETENTION_DAYS`` after they were made (DynamoDB TTL on
``expiresAt``); photos expire after 7 days (the bucket's lifecycle rule).
"""

from __future__ import annotations

import contextlib
import json
import logging
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import photo_key
from repaircore.errors import NotFound

logger = logging.getLogger(__name__)

ANALYSIS_RETENTION_DAYS = 90
_PERSONAL_INPUTS = ("description", "imageId")


def scrub_analysis(analysis_id: str) -> None:
    """Delete the photo and blank the personal inputs of a closed repair's analysis (idempotent)."""
    table = resources.analyses()
    item = table.find({"analysisId": analysis_id})
    if item is None:
        return
    document: dict[str, Any] = json.loads(item["document"])
    inputs = dict(document.get("inputs") or {})
    image_id = inputs.get("imageId")
    if isinstance(image_id, str) and image_id:
        with contextlib.suppress(NotFound):  # already expired or deleted
            resources.photos().delete(photo_key(image_id))
    if all(inputs.get(name) is None for name in _PERSONAL_INPUTS):
        return
    document["inputs"] = {**inputs, **dict.fromkeys(_PERSONAL_INPUTS)}
    table.put({**item, "document": json.dumps(document)})
    logger.info("analysis %s: personal inputs removed after the repair closed", analysis_id)
