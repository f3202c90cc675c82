"""Who may call a route: only CloudFront (origin header), and for staff routes only staff.

CloudFront adds ``X-Origin-Verify: <secret from SSM>`` to every request it forwards to the API
(the local CloudFront emulator does the same), and geo restriction and the site live there, so
a request without the header came straight at API Gateway: 403 ``DirectAccessForbidden``. The
comparison is constant-time. Staff routes then need a verified Cognito ID token (401 without a
valid one) carrying one of the route's roles (403 otherwise). A developer's own ``chalice local``
in the local stage may call directly (``Settings.origin_guard``; never in dev or prod).
"""

from __future__ import annotations

import hmac
from collections.abc import Collection
from typing import Any

from chalicelib import resources
from chalicelib.auth import StaffIdentity, bearer_token, require_role
from chalicelib.config import ORIGIN_SECRET_PARAMETER, settings
from repaircore.errors import Forbidden
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
    require_role(identity, roles)
    return identity
