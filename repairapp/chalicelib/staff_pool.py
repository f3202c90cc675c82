"""Staff sign-in against the Cognito user pool (the SPA's app client, USER_PASSWORD_AUTH).

The SPA posts the password to RepairApp over the same origin and gets Cognito's ID token back,
so the browser needs no AWS SDK. Every way a sign-in can fail because of what was typed (unknown
user, wrong password, unconfirmed or reset account) is the same 401: the answer never tells
which part was wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import TooManyRequests
from repaircore.errors import ServiceUnavailable, Unauthorized

logger = logging.getLogger(__name__)

_REFUSED = {
    "NotAuthorizedException",
    "UserNotFoundException",
    "UserNotConfirmedException",
    "PasswordResetRequiredException",
    "InvalidParameterException",
}
_BUSY = {"TooManyRequestsException", "InternalErrorException", "ServiceUnavailable"}


@dataclass(frozen=True)
class SignIn:
    id_token: str
    expires_in: int


class StaffPool:
    def __init__(self, client: Any, app_client_id: str) -> None:
        self._client = client
        self._app_client_id = app_client_id

    def sign_in(self, username: str, password: str) -> SignIn:
        try:
            response = self._client.initiate_auth(
                ClientId=self._app_client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _REFUSED:
                raise _refused() from exc
            if code == "LimitExceededException":
                raise TooManyRequests("too many sign-in attempts; wait a while") from exc
            if code in _BUSY:
                raise ServiceUnavailable("sign-in is busy; try again shortly") from exc
            raise
        except BotoCoreError as exc:
            logger.warning("user pool unreachable: %s", type(exc).__name__)
            raise ServiceUnavailable("sign-in is unavailable; try again shortly") from exc
        result = response.get("AuthenticationResult")
        if not result:
            # A challenge (e.g. a new password is required): finish it with an administrator.
            logger.info("staff sign-in needs challenge %s", response.get("ChallengeName"))
            raise Unauthorized(
                "this account must be completed by an administrator before it can sign in",
                code="SignInIncomplete",
            )
        return SignIn(id_token=str(result["IdToken"]), expires_in=int(result["ExpiresIn"]))


def _refused() -> Unauthorized:
    return Unauthorized("wrong username or password")
