"""Who may call a route: only CloudFront (origin header), and for staff routes only staff.

CloudFront adds ``X-Origin-Verify: <secret from SSM>`` to every request it forwards to the API
(the local CloudFront emulator does the same), and geo restriction and the site live there, so
a request without the header came straight at API Gateway: 403 ``DirectAccessForbidden``. The
comparison is constant-time. Staff routes then need a verified Cognito ID token (401 without a
valid one) that was not signed out, whose account still exists and is enabled (401 otherwise),
and whose *current* groups hold one of the route's roles (403 otherwise; see ``staff_access``).
A developer's own ``chalice local`` in the local stage may call directly
(``Settings.origin_guard``; never in dev or prod).
"""

from __future__ import annotations

import hmac
from collections.abc import Collection
from dataclasses import replace
from typing import Any

from chalicelib import resources
from chalicelib.auth import StaffIdentity, bearer_token, require_role
from chalicelib.config import ORIGIN_SECRET_PARAMETER, settings
from repaircore.errors import Forbidden, Unauthorized
from repaircore.http import header

ORIGIN_HEADER = "X-Origin-Verify"


def require_origin(request: Any) -> None:
    if not settings().origin_guard:
        return
    presented = header(request, ORIGIN_HEADER) or ""
    expected = resources.parameters().get(ORIGIN_SECRET_PARAMETER)
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise Forbidden(
            "call this API through the site, not directly", code="DirectAccessForbidden"
        )


def require_staff(request: Any, roles: Collection[str]) -> StaffIdentity:
    identity = resources.token_verifier().verify(bearer_token(header(request, "Authorization")))
    if resources.access_records().signed_out(identity.session_id):
        raise Unauthorized("this session was signed out; sign in again")
    current = replace(identity, roles=resources.staff_directory().current_roles(identity.username))
    require_role(current, roles)
    return current


def client_address(request: Any) -> str:
    """The viewer's address as CloudFront saw it: the X-Forwarded-For entry CloudFront appended.

    Entries before it are whatever the client sent (forgeable); after it come only the proxies
    between CloudFront and the app (``PROXIES_AFTER_CLOUDFRONT``: API Gateway on AWS). Only
    requests that came through CloudFront get here (the origin guard runs first).
    """
    entries = [e.strip() for e in (header(request, "X-Forwarded-For") or "").split(",")]
    entries = [e for e in entries if e]
    position = len(entries) - 1 - settings().proxies_after_cloudfront
    if 0 <= position < len(entries):
        return entries[position][:64]
    context = getattr(request, "context", None) or {}
    return str((context.get("identity") or {}).get("sourceIp") or "unknown")[:64]
