"""Staff authentication: Cognito ID tokens verified inside the app, roles from their groups.

``chalice local`` does not enforce Cognito authorizers, so verifying in the app is the only way
to have one code path locally and on AWS. A token passes only with a valid RS256 signature by a
key from the pool's JWKS (fetched once, refreshed at most once a minute when an unknown key id
shows up, i.e. after Cognito rotates keys), the pool's issuer, our app client as audience,
``token_use == "id"``, a token id (``jti``) and an unexpired ``exp``. Anything else is 401; a
valid token without a needed role is 403. The JWKS lives at
``$AWS_ENDPOINT_URL/<pool>/.well-known/jwks.json`` under the emulator and at Cognito's regional
endpoint on AWS; the issuer is Cognito's in both.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
import urllib3

from repaircore.errors import Forbidden, ServiceUnavailable, Unauthorized

logger = logging.getLogger(__name__)

STAFF_ROLES = frozenset({"repairer", "coordinator"})
COORDINATOR = frozenset({"coordinator"})
MAX_TOKEN_CHARS = 8192
CLOCK_SKEW_SECONDS = 5
JWKS_REFRESH_SECONDS = 60.0


@dataclass(frozen=True)
class StaffIdentity:
    username: str
    roles: frozenset[str]
    # The token's own id (``jti``) and expiry: what signing out revokes, and until when.
    session_id: str = ""
    expires_at: int = 0


def region_of(pool_id: str) -> str:
    """Cognito pool ids start with their region (``eu-west-1_AbC123``)."""
    return pool_id.split("_", 1)[0]


def issuer(pool_id: str) -> str:
    return f"https://cognito-idp.{region_of(pool_id)}.amazonaws.com/{pool_id}"


def jwks_url(pool_id: str, endpoint_url: str | None) -> str:
    base = endpoint_url or f"https://cognito-idp.{region_of(pool_id)}.amazonaws.com"
    return f"{base.rstrip('/')}/{pool_id}/.well-known/jwks.json"


def fetch_jwks(url: str) -> Mapping[str, Any]:
    """The key set, over HTTPS with short timeouts; an outage is a 503, never a 401."""
    try:
        response = urllib3.request(
            "GET", url, timeout=urllib3.Timeout(connect=2.0, read=3.0), retries=False
        )
        keys = json.loads(response.data) if response.status == 200 else None
    except (urllib3.exceptions.HTTPError, ValueError) as exc:
        logger.warning("cannot fetch the user pool's keys: %s", type(exc).__name__)
        raise ServiceUnavailable("cannot verify sign-ins right now; try again shortly") from exc
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        logger.warning("the user pool's key set is unusable (HTTP %s)", response.status)
        raise ServiceUnavailable("cannot verify sign-ins right now; try again shortly")
    return keys


def bearer_token(authorization: str | None) -> str:
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("sign in as staff: send Authorization: Bearer <ID token>")
    return token


def require_role(identity: StaffIdentity, allowed: Collection[str]) -> None:
    if not identity.roles & set(allowed):
        raise Forbidden(f"this needs the role {' or '.join(sorted(allowed))}")


class TokenVerifier:
    def __init__(
        self,
        pool_id: str,
        client_id: str,
        *,
        endpoint_url: str | None = None,
        fetch: Callable[[str], Mapping[str, Any]] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = issuer(pool_id)
        self._audience = client_id
        self._url = jwks_url(pool_id, endpoint_url)
        self._fetch = fetch or fetch_jwks
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()

    def verify(self, token: str) -> StaffIdentity:
        if len(token) > MAX_TOKEN_CHARS:
            raise _invalid()
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except (jwt.PyJWTError, ValueError) as exc:
            raise _invalid() from exc
        key = self._key(kid) if isinstance(kid, str) else None
        if key is None:
            raise _invalid()
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=["RS256"],
                audience=self._audience,
                issuer=self._issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iat", "iss", "aud", "token_use", "jti"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("the sign-in has expired; sign in again") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise _invalid() from exc
        if claims.get("token_use") != "id":
            raise _invalid()
        groups = claims.get("cognito:groups") or []
        if not isinstance(groups, list):
            raise _invalid()
        username = claims.get("cognito:username") or claims.get("email") or claims.get("sub")
        return StaffIdentity(
            username=str(username),
            roles=frozenset(g for g in groups if isinstance(g, str)) & STAFF_ROLES,
            session_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
        )

    def _key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self._clock()
            stale = self._fetched_at is None or now - self._fetched_at >= JWKS_REFRESH_SECONDS
            if kid not in self._keys and stale:
                self._keys = _parse_keys(self._fetch(self._url))
                self._fetched_at = now
            return self._keys.get(kid)


def _parse_keys(jwks: Mapping[str, Any]) -> dict[str, jwt.PyJWK]:
    keys: dict[str, jwt.PyJWK] = {}
    for entry in jwks.get("keys", []):
        if not isinstance(entry, dict) or entry.get("kty") != "RSA":
            continue
        try:
            keys[str(entry["kid"])] = jwt.PyJWK(entry, algorithm="RS256")
        except (KeyError, jwt.PyJWTError):
            logger.warning("skipping an unusable key in the user pool's key set")
    return keys


def _invalid() -> Unauthorized:
    return Unauthorized("the sign-in token is not valid; sign in again")
