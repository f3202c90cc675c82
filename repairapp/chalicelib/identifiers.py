"""Unguessable ids and tracking tokens (from ``secrets``), and the patterns that check them.

A repair id names a request; its tracking token is the citizen's only key to it. Both carry at
least 128 random bits, and only a SHA-256 of the token is stored, so a copy of the table alone
cannot open anyone's request. SmartRe's ids are checked here too, so malformed ids never leave
RepairApp.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

REPAIR_ID = re.compile(r"rp_[A-Za-z0-9_-]{22}")
TRACKING_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# SmartRe's ids ("img_"/"an_" + 128 bits); anything else is refused before a call is made.
IMAGE_ID = re.compile(r"img_[A-Za-z0-9_-]{22}")
ANALYSIS_ID = re.compile(r"an_[A-Za-z0-9_-]{22}")
# SmartRe's catalogue ids are slugs of the category ("kettle", "aircon-dehumidifier").
PRODUCT_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


def new_repair_id() -> str:
    return "rp_" + secrets.token_urlsafe(16)


def new_tracking_token() -> str:
    """256 random bits: the token travels in URLs, so it is the only secret guarding a request."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), digest)
