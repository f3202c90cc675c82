"""Staff sign-in: a username and password in, Cognito's ID token and the staff roles out."""

from __future__ import annotations

from typing import Any

from chalicelib import resources
from repaircore.errors import Forbidden
from repaircore.validation import Fields


def start_session(body: dict[str, Any]) -> dict[str, Any]:
    fields = Fields(body, allowed={"username", "password"})
    username = str(fields.string("username", required=True, max_length=128))
    password = body.get("password")
    # Passwords are taken verbatim (no whitespace cleaning); only the type and size are checked.
    fields.string("password", required=True, max_length=256)
    signed_in = resources.staff_pool().sign_in(username, str(password))
    identity = resources.token_verifier().verify(signed_in.id_token)
    if not identity.roles:
        raise Forbidden("this account has no staff role (repairer or coordinator)")
    return {
        "idToken": signed_in.id_token,
        "expiresIn": signed_in.expires_in,
        "username": identity.username,
        "roles": sorted(identity.roles),
    }
