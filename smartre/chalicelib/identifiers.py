"""Unguessable ids (128 bits from ``secrets``) and the patterns that validate them at the edge."""

from __future__ import annotations

import re
import secrets

IMAGE_ID = re.compile(r"img_[A-Za-z0-9_-]{22}")
ANALYSIS_ID = re.compile(r"an_[A-Za-z0-9_-]{22}")
PRODUCT_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


def new_image_id() -> str:
    return "img_" + secrets.token_urlsafe(16)


def new_analysis_id() -> str:
    return "an_" + secrets.token_urlsafe(16)


def photo_key(image_id: str) -> str:
    """Each upload lives under its own prefix, so one presigned policy admits one object only."""
    return f"uploads/{image_id}/photo"
