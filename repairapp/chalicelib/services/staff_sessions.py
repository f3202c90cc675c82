"""Staff sign-in and sign-out.

Sign-in: a username and password in, Cognito's ID token and the staff roles out, behind a
throttle per account and per client address (``staff_access``). Sign-out: this token's session
ends at once on every route; the person's sessions elsewhere go on.
"""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from chalicelib.auth import StaffIdentity
from repaircore.contracts.repairapp import StaffSessionRequest
from repaircore.errors import Forbidden, Unauthorized
from repaircore.validation import decode


def start_session(body: dict[str, Any], client_address: str) -> dict[str, Any]:
    # The password is taken verbatim (no whitespace cleaning); only its type and size count.
    username = decode(body, StaffSessionRequest).username
    password = body.get("password")
    records = resources.access_records()
    records.check_sign_in(username, client_address)
    try:
        signed_in = resources.staff_pool().sign_in(username, str(password))
    except Unauthorized:
        records.record_failure(username, client_address)
        raise
    records.record_success(username)
    identity = resources.token_verifier().verify(signed_in.id_token)
    resources.staff_directory().forget(identity.username)
    if not identity.roles:
        raise Forbidden("this account has no staff role (repairer or coordinator)")
    return {
        "idToken": signed_in.id_token,
        "expiresIn": signed_in.expires_in,
        "username": identity.username,
        "roles": sorted(identity.roles),
    }


def end_session(identity: StaffIdentity) -> None:
    resources.access_records().sign_out(identity.session_id, identity.expires_at)
