"""Photos in and out: a presigned POST that admits exactly one photo straight into S3, and a
short-lived presigned GET so staff can look at it.

Photos never pass through API Gateway or Lambda (their payload limits are 10 MB and 6 MB); the
policy pins the key, the content type and the size range, and expires within five minutes. The
read link is minted only behind the service key (RepairApp asks for it on a staff route), lives
five minutes, and is refused once the photo is gone: deleted when its repair closed, or past the
bucket's 7-day lifecycle expiry (which the local emulator does not enforce, so it is checked here
from the object's upload time as well).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import IMAGE_ID, new_image_id, photo_key
from repaircore.errors import NotFound

ALLOWED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_PHOTO_BYTES = 10 * 1024 * 1024
UPLOAD_EXPIRY_SECONDS = 300
VIEW_LINK_SECONDS = 300
# The photos bucket lifecycle rule (infra.definition.PHOTO_RETENTION_DAYS; a test checks).
PHOTO_RETENTION_DAYS = 7


def create_upload(content_type: str) -> dict[str, Any]:
    image_id = new_image_id()
    post = resources.photos().presigned_post(
        photo_key(image_id),
        content_type=content_type,
        allowed_content_types=ALLOWED_CONTENT_TYPES,
        min_bytes=1,
        max_bytes=MAX_PHOTO_BYTES,
        expires_in_seconds=UPLOAD_EXPIRY_SECONDS,
    )
    return {
        "imageId": image_id,
        "url": post.url,
        "fields": dict(post.fields),
        "maxBytes": post.max_bytes,
        "expiresAt": post.expires_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def create_view_link(image_id: str, now: datetime | None = None) -> dict[str, Any]:
    """``{imageId, url, expiresAt, deletedAfter}``; ``404 PhotoGone`` once the photo is gone."""
    gone = NotFound(
        f"the photo is gone: photos are deleted when the repair closes or after "
        f"{PHOTO_RETENTION_DAYS} days",
        code="PhotoGone",
    )
    if not IMAGE_ID.fullmatch(image_id):
        raise gone
    store = resources.photos()
    try:
        info = store.head(photo_key(image_id))
    except NotFound as exc:
        raise gone from exc
    moment = now or datetime.now(UTC)
    uploaded = info.last_modified or moment
    deleted_after = uploaded + timedelta(days=PHOTO_RETENTION_DAYS)
    if moment >= deleted_after:
        raise gone
    url, expires_at = store.presigned_get(
        photo_key(image_id), expires_in_seconds=VIEW_LINK_SECONDS, now=moment
    )
    return {
        "imageId": image_id,
        "url": url,
        "expiresAt": _iso(expires_at),
        "deletedAfter": _iso(deleted_after),
    }
