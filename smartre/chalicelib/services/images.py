"""Photo intake: a presigned POST that admits exactly one photo straight into S3.

Photos never pass through API Gateway or Lambda (their payload limits are 10 MB and 6 MB); the
policy pins the key, the content type and the size range, and expires within five minutes.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from chalicelib import resources
from chalicelib.identifiers import new_image_id, photo_key

ALLOWED_CONTENT_TYPES = ("image/jpeg", "image/png", "image/webp")
MAX_PHOTO_BYTES = 10 * 1024 * 1024
UPLOAD_EXPIRY_SECONDS = 300


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
