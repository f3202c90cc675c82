"""Cognito's ``SignUp`` honours ``AllowAdminCreateUserOnly``, as AWS does.

moto behaviour covered: ``moto.cognitoidp.models.CognitoIdpBackend.sign_up`` creates a user in
any pool whatever its ``AdminCreateUserConfig`` says, and ``confirm_sign_up`` accepts any code.
``SignUp`` needs no credentials (on AWS either), so with the emulator's port and the staff pool's
client id anyone could make an account and sign in to it. The staff pool allows only
administrators to create users (``infra.provision``): we refuse ``SignUp`` there with AWS's
``NotAuthorizedException`` "SignUp is not permitted for this user pool"; pools that allow
self-service sign-up behave as before.
"""

from __future__ import annotations

from typing import Any

from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    replace_attribute(CognitoIdpBackend, "sign_up", _sign_up)


def _sign_up(self: CognitoIdpBackend, client_id: str, username: str, *args: Any, **kw: Any) -> Any:
    for pool in self.user_pools.values():
        if client_id in pool.clients:
            settings = pool.extended_config.get("AdminCreateUserConfig") or {}
            if settings.get("AllowAdminCreateUserOnly"):
                raise NotAuthorizedError("SignUp is not permitted for this user pool")
    return original(CognitoIdpBackend, "sign_up")(self, client_id, username, *args, **kw)
