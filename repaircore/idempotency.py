"""Idempotent creates: the same ``Idempotency-Key`` gives the same result, and work runs once.

A conditional put claims the key (with a lease) before the work starts, so of two concurrent
requests with one key exactly one runs; the other waits for its result. The claim reserves the
new resource's id, so a retry after a crash mid-way reuses that id and the resource's own
``if_absent`` write refuses a duplicate. A failed attempt releases the key, so the client may
retry. The same key with a different body is the client's error (422), as in the IETF draft
"The Idempotency-Key HTTP Header Field".
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from repaircore.errors import Conflict, InvalidInput, Unprocessable
from repaircore.tables import Table

logger = logging.getLogger(__name__)

_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,128}$")
IN_PROGRESS = "IN_PROGRESS"
COMPLETED = "COMPLETED"


@dataclass(frozen=True)
class Outcome:
    result: dict[str, Any]
    replayed: bool


def validate_key(key: str | None) -> str:
    if key is None or not _KEY_PATTERN.match(key):
        raise InvalidInput(
            "Idempotency-Key header must be 8-128 characters of A-Z, a-z, 0-9, '_' or '-'",
            code="InvalidIdempotencyKey",
        )
    return key


def request_fingerprint(request: Mapping[str, Any]) -> str:
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyStore:
    """Keys live in a table with partition key ``pk`` and a TTL attribute ``expiresAt``."""

    def __init__(
        self,
        table: Table,
        *,
        ttl_seconds: int = 24 * 3600,
        lease_seconds: int = 60,
        wait_seconds: float = 25.0,
        poll_seconds: float = 0.1,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._table = table
        self._ttl = ttl_seconds
        self._lease = lease_seconds
        self._wait = wait_seconds
        self._poll = poll_seconds
        self._clock = clock
        self._sleep = sleep

    def run(
        self,
        scope: str,
        key: str,
        request: Mapping[str, Any],
        work: Callable[[str], dict[str, Any]],
        *,
        new_id: Callable[[], str],
    ) -> Outcome:
        """Run ``work(resource_id)`` once per ``(scope, key)``; replay its result afterwards."""
        pk = f"{scope}#{validate_key(key)}"
        fingerprint = request_fingerprint(request)
        deadline = self._clock() + self._wait
        while True:
            resource_id = new_id()
            if self._claim(pk, fingerprint, resource_id, takeover=False):
                return Outcome(self._execute(pk, fingerprint, resource_id, work), replayed=False)
            record = self._table.find({"pk": pk})
            if record is None:
                continue  # the other attempt failed and released the key: claim it now
            if record["requestHash"] != fingerprint:
                raise Unprocessable(
                    "this Idempotency-Key was used with a different request body",
                    code="IdempotencyKeyReused",
                )
            if record["status"] == COMPLETED:
                return Outcome(result=json.loads(record["result"]), replayed=True)
            if record["leaseUntil"] < self._clock():
                # The attempt holding the claim died: take over, reusing the id it reserved so
                # the resource's own create-once write refuses a duplicate.
                reserved = str(record["resourceId"])
                if self._claim(pk, fingerprint, reserved, takeover=True):
                    return Outcome(self._execute(pk, fingerprint, reserved, work), replayed=False)
                continue
            if self._clock() >= deadline:
                raise Conflict(
                    "a request with this Idempotency-Key is still being processed",
                    code="RequestInProgress",
                )
            self._sleep(self._poll)

    def _claim(self, pk: str, fingerprint: str, resource_id: str, *, takeover: bool) -> bool:
        now = int(self._clock())
        item = {
            "pk": pk,
            "status": IN_PROGRESS,
            "requestHash": fingerprint,
            "resourceId": resource_id,
            "leaseUntil": now + self._lease,
            "expiresAt": now + self._ttl,
        }
        try:
            self._table.put(
                item, if_absent=True, or_if_below=("leaseUntil", now) if takeover else None
            )
        except Conflict:
            return False
        return True

    def _execute(
        self, pk: str, fingerprint: str, resource_id: str, work: Callable[[str], dict[str, Any]]
    ) -> dict[str, Any]:
        try:
            result = work(resource_id)
        except BaseException:
            # Release the key so a retry can run; if the release itself fails, the lease ends it.
            try:
                self._table.delete({"pk": pk})
            except Exception:
                logger.warning("could not release idempotency key %s", pk)
            raise
        now = int(self._clock())
        try:
            self._table.put(
                {
                    "pk": pk,
                    "status": COMPLETED,
                    "requestHash": fingerprint,
                    "resourceId": resource_id,
                    "result": json.dumps(result, separators=(",", ":")),
                    "leaseUntil": now,
                    "expiresAt": now + self._ttl,
                }
            )
        except BaseException:
            # The work is done but its answer is not recorded, and the client will hear a 503
            # with Retry-After: end the lease now (keeping the reserved id) so that the retry
            # takes over at once and the resource's create-once write refuses a duplicate,
            # instead of answering RequestInProgress until the lease runs out.
            self._end_lease(pk, fingerprint, resource_id, now)
            raise
        return result

    def _end_lease(self, pk: str, fingerprint: str, resource_id: str, now: int) -> None:
        try:
            self._table.put(
                {
                    "pk": pk,
                    "status": IN_PROGRESS,
                    "requestHash": fingerprint,
                    "resourceId": resource_id,
                    "leaseUntil": now - 1,
                    "expiresAt": now + self._ttl,
                }
            )
        except Exception:
            logger.warning("could not end the lease of idempotency key %s", pk)
