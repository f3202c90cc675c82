"""Staff access that ends with the account: a short cached look at it, sign-out, sign-in throttling.

A Cognito ID token stays valid until it expires (8 hours) whatever happens to its account, so a
signature check alone let a volunteer who left keep coordinator access all day. Every staff
request therefore also asks the user pool about the account (``AdminGetUser`` +
``AdminListGroupsForUser``), cached ``ACCOUNT_CACHE_SECONDS`` per container: disabling or deleting
the account, or removing it from a group, takes effect within that time on every route, and the
roles come from the account's groups *now*, not from the token's claims.

Signing out writes the session's token id (Cognito's ``jti`` claim) into the ``access`` table
(``signout#<jti>``, expiring with the token): that token is refused at once on every container
(one consistent ``GetItem`` per staff request), while the person's other sessions (another
device) go on. The SPA holds no refresh token, so there is nothing else to revoke.

Sign-in attempts are counted per account and per client address in fixed windows
(``signin#account#<sha256 of the name>#<window>``, ``signin#address#<address>#<window>``) that
expire with DynamoDB TTL. Past the limit the answer is 429 with ``Retry-After`` and Cognito is not
asked. Unknown names are counted exactly like real ones, so the throttle tells nothing about
which accounts exist.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.auth import STAFF_ROLES
from chalicelib.errors import TooManyRequests
from repaircore.errors import ServiceUnavailable, Unauthorized
from repaircore.tables import Table

logger = logging.getLogger(__name__)

ACCOUNT_CACHE_SECONDS = 30.0
# A sign-out record outlives its token by this margin (clock skew).
SIGN_OUT_MARGIN_SECONDS = 300
SIGN_IN_WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
_GONE = {"UserNotFoundException"}
_BUSY = {"TooManyRequestsException", "InternalErrorException", "ServiceUnavailable"}


@dataclass(frozen=True)
class Account:
    enabled: bool
    roles: frozenset[str]


class StaffDirectory:
    """The user pool's current view of a staff account, cached briefly per container."""

    def __init__(
        self,
        client: Any,
        pool_id: str,
        *,
        ttl_seconds: float = ACCOUNT_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._pool_id = pool_id
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, Account | None]] = {}
        self._lock = threading.Lock()

    def current_roles(self, username: str) -> frozenset[str]:
        """The account's staff roles now; 401 if it is disabled or no longer exists."""
        account = self._account(username)
        if account is None or not account.enabled:
            raise Unauthorized("this staff account is disabled or no longer exists")
        return account.roles

    def forget(self, username: str) -> None:
        with self._lock:
            self._cache.pop(username, None)

    def _account(self, username: str) -> Account | None:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(username)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        account = self._look_up(username)
        with self._lock:
            self._cache[username] = (now, account)
        return account

    def _look_up(self, username: str) -> Account | None:
        try:
            user = self._client.admin_get_user(UserPoolId=self._pool_id, Username=username)
            groups = self._client.admin_list_groups_for_user(
                UserPoolId=self._pool_id, Username=username, Limit=60
            )["Groups"]
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _GONE:
                return None
            if code in _BUSY:
                raise _busy() from exc
            raise
        except BotoCoreError as exc:
            logger.warning("user pool unreachable: %s", type(exc).__name__)
            raise _busy() from exc
        names = frozenset(str(g.get("GroupName")) for g in groups)
        return Account(enabled=bool(user.get("Enabled", False)), roles=names & STAFF_ROLES)


class AccessRecords:
    """Sign-outs and sign-in failure counters in the ``access`` table (key ``pk``, TTL)."""

    def __init__(
        self, table: Table, client: Any, *, clock: Callable[[], float] = time.time
    ) -> None:
        self._table = table
        self._client = client
        self._clock = clock

    # sign-out
    def sign_out(self, session_id: str, expires_at: int) -> None:
        self._table.put(
            {
                "pk": f"signout#{session_id}",
                "signedOutAt": int(self._clock()),
                "expiresAt": expires_at + SIGN_OUT_MARGIN_SECONDS,
            }
        )

    def signed_out(self, session_id: str) -> bool:
        return self._table.find({"pk": f"signout#{session_id}"}) is not None

    # sign-in throttling
    def check_sign_in(self, username: str, address: str) -> None:
        """429 with the wait if the account or the address has failed too often this window."""
        window, retry_after = self._window()
        for key, limit in self._counters(username, address, window):
            item = self._table.find({"pk": key}, consistent=True)
            if item is not None and int(item.get("failures", 0)) >= limit:
                raise TooManyRequests(
                    "too many failed sign-ins; wait before trying again",
                    retry_after_seconds=retry_after,
                )

    def record_failure(self, username: str, address: str) -> None:
        window, _ = self._window()
        expires = (window + 2) * SIGN_IN_WINDOW_SECONDS
        for key, _limit in self._counters(username, address, window):
            self._add_failure(key, expires)

    def record_success(self, username: str) -> None:
        window, _ = self._window()
        self._table.delete({"pk": _account_key(username, window)})

    def _window(self) -> tuple[int, int]:
        now = self._clock()
        window = int(now // SIGN_IN_WINDOW_SECONDS)
        retry_after = max(1, int((window + 1) * SIGN_IN_WINDOW_SECONDS - now) + 1)
        return window, retry_after

    @staticmethod
    def _counters(username: str, address: str, window: int) -> list[tuple[str, int]]:
        return [
            (_account_key(username, window), MAX_FAILURES_PER_ACCOUNT),
            (f"signin#address#{address}#{window}", MAX_FAILURES_PER_ADDRESS),
        ]

    def _add_failure(self, key: str, expires_at: int) -> None:
        try:
            self._client.update_item(
                TableName=self._table.name,
                Key={"pk": {"S": key}},
                UpdateExpression="ADD #f :one SET #e = if_not_exists(#e, :expires)",
                ExpressionAttributeNames={"#f": "failures", "#e": "expiresAt"},
                ExpressionAttributeValues={":one": {"N": "1"}, ":expires": {"N": str(expires_at)}},
            )
        except (ClientError, BotoCoreError) as exc:
            # Counting is best effort: an outage must not turn a wrong password into a 5xx.
            logger.warning("cannot count a failed sign-in: %s", type(exc).__name__)


def _account_key(username: str, window: int) -> str:
    digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()
    return f"signin#account#{digest}#{window}"


def _busy() -> ServiceUnavailable:
    return ServiceUnavailable("cannot check staff accounts right now; try again shortly")
