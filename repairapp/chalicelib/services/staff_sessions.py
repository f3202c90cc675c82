"""Staff sign-in and sign-out.

Sign-in: a username and password in, Cognito's ID token and the staff roles out, behind a
throttle per account and per client address (``staff_access``). Sign-out: this token's session
ends at once on every route; the person's sessions elsewhere go on.
"""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from chalicelib.auth import StaffIdentity
from repaircore.errors import Forbidden, Unauthorized
from repaircore.validation import Fields


def start_session(body: dict[str, Any], client_address: str) -> dict[str, Any]:
    fields = Fields(body, allowed={"username", "password"})
    username = str(fields.string("username", required=True, max_length=128))
    password = body.get("password")
    # Passwords are taken verbatim (no whitespace cleaning); only the type and size are checked.
    fields.string("password", required=True, max_length=256)
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
