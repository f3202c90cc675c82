"""Staff look at the photo a person sent with their request.

The photo stays in SmartRe's bucket; SmartRe mints a five-minute presigned GET behind its
service key, and only this staff route asks for one, so a visitor's tracking token never opens
the photo. A closed request has lost its photo reference (and SmartRe deleted the photo), and
photos expire 7 days after upload: both answer ``404 PhotoGone`` with a message the page shows.
"""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from chalicelib.identifiers import REPAIR_ID
from repaircore.errors import NotFound


def photo_link(repair_id: str) -> dict[str, Any]:
    """``{url, expiresAt, deletedAfter}`` for the request's photo."""
    item = resources.repairs().find(repair_id) if REPAIR_ID.fullmatch(repair_id) else None
    if item is None:
        raise NotFound("no repair request with this id")
    inputs = (item.get("analysis") or {}).get("inputs") or {}
    image_id = inputs.get("imageId")
    if not isinstance(image_id, str) or not image_id:
        if item.get("closedAt"):
            raise NotFound("the photo was deleted when the request closed", code="PhotoGone")
        raise NotFound("this request came without a photo", code="NoPhoto")
    link = resources.smartre().get_image_link(image_id)
    return {
        "url": link["url"],
        "expiresAt": link["expiresAt"],
        "deletedAfter": link["deletedAfter"],
    }
