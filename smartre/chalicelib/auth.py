"""The service credential: only holders of SmartRe's key (RepairApp) may call its API.

Chosen: a Chalice built-in (Lambda TOKEN) authorizer over a random key kept in SSM Parameter
Store. On AWS, API Gateway runs it before any route and caches the verdict per key for five
minutes, so a request without the key never reaches SmartRe's code; ``chalice local`` runs the
very same function, so the check is identical locally. IAM (SigV4) auth was the alternative, but
``chalice local`` does not enforce it. A missing header is a 401 (API Gateway answers that
without calling the authorizer); a wrong key is denied (403).
"""

from __future__ import annotations

import hmac
import logging

from chalice import AuthResponse

from chalicelib import resources

logger = logging.getLogger(__name__)

SERVICE_KEY_PARAMETER = "smartre-service-key"
PRINCIPAL = "repairapp"


def bearer_token(header_value: str | None) -> str | None:
    if not header_value:
        return None
    scheme, _, token = header_value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def authorize_service(authorization: str | None) -> AuthResponse:
    token = bearer_token(authorization)
    expected = resources.parameters().get(SERVICE_KEY_PARAMETER)
    if token is not None and hmac.compare_digest(token.encode(), expected.encode()):
        return AuthResponse(routes=["*"], principal_id=PRINCIPAL)
    logger.info("service credential refused")
    return AuthResponse(routes=[], principal_id="anonymous")
