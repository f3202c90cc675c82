"""Values RepairApp hands out and must recognise later: HMAC-SHA256 with the stage's signing key.

Each use names its purpose (``queue-cursor``, ``analysis``), so a signature made for one can
never pass as another. The key lives in SSM (``signing-key``) like the other secrets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from chalicelib import resources
from chalicelib.config import SIGNING_KEY_PARAMETER


def sign(purpose: str, value: str) -> str:
    key = resources.parameters().get(SIGNING_KEY_PARAMETER).encode()
    digest = hmac.new(key, f"{purpose}\0{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def verify(purpose: str, value: str, signature: str | None) -> bool:
    """Constant-time check of ``signature``; a missing one never passes."""
    expected = sign(purpose, value)
    return signature is not None and hmac.compare_digest(expected.encode(), signature.encode())
