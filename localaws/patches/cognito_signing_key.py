"""Local Cognito signs with a key generated for this emulator, never moto's bundled one.

moto behaviour covered: every ``moto.cognitoidp.models.CognitoIdpUserPool`` loads its signing key
from ``moto/cognitoidp/resources/jwks-private.json``, a private key that ships inside the moto
package, and ``CognitoIdpJsonWebKeyResponse`` serves its public half as every pool's JWKS. Anyone
who can reach the local ports can therefore sign an ID token with any groups (a coordinator
token) that the app's verifier accepts. This patch generates one RSA-2048 key when the emulator
starts (so per stack; it lives only in that process's memory), gives it to every pool as it is
created, and serves only its public half at ``/<pool>/.well-known/jwks.json``. The key id stays
moto's ``dummy`` because ``create_jwt`` writes it into every token header; the key behind it is
what changes.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from typing import Any

from joserfc import jwk
from moto.cognitoidp.models import CognitoIdpUserPool
from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse

from localaws.patches._patching import original, replace_attribute

KEY_ID = "dummy"  # what moto's create_jwt puts in every token header
_lock = threading.Lock()
_key: jwk.RSAKey | None = None


def signing_key() -> jwk.RSAKey:
    """This process's signing key, generated on first use."""
    global _key
    with _lock:
        if _key is None:
            _key = jwk.RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig"})
        return _key


def public_jwks() -> bytes:
    public = signing_key().as_dict(private=False)
    return json.dumps({"keys": [{**public, "alg": "RS256", "kid": KEY_ID, "use": "sig"}]}).encode()


def _with_own_key(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def create(self: CognitoIdpUserPool, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.json_web_key = signing_key()

    return create


def apply() -> None:
    replace_attribute(
        CognitoIdpUserPool, "__init__", _with_own_key(original(CognitoIdpUserPool, "__init__"))
    )
    replace_attribute(CognitoIdpJsonWebKeyResponse, "json_web_key", public_jwks())
