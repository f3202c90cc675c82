"""Repair requests and their counters in DynamoDB: every write is one conditional transaction.

Each create or status change writes the request *and* adjusts the status/category counters in
the same ``TransactWriteItems``, so the statistics can never drift from the requests and the
dashboard reads eight small counter items instead of scanning. The counters are spread over
``COUNTER_SHARDS`` items (chosen by repair id) so concurrent transactions rarely touch the same
counter item; a transaction cancelled by such a collision is retried here with backoff. The
queue and the export read the status/category indexes, never the whole table.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from repaircore.errors import Conflict, ServiceUnavailable, TransactionConflict, VersionConflict
from repaircore.tables import Page, Table, serialize_item, transact_write

logger = logging.getLogger(__name__)

COUNTER_SHARDS = 8
FEEDBACK_PENDING = "pending"
_TRANSACTION_ATTEMPTS = 4


def counter_names(item: Mapping[str, Any]) -> set[str]:
    """The counters an item contributes one to: its status, and its category x status."""
    status = item["status"]
    names = {f"status:{status}"}
    if item.get("productCategory"):
        names.add(f"category:{item['productCategory']}:{status}")
    return names


class RepairStore:
    def __init__(
        self,
        repairs: Table,
        stats: Table,
        client: Any,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._repairs = repairs
        self._stats = stats
        self._client = client
        self._sleep = sleep

    # --- reads --------------------------------------------------------------------------------
    def find(self, repair_id: str) -> dict[str, Any] | None:
        return self._repairs.find({"repairId": repair_id})

    def tracking_token_hash(self, repair_id: str) -> str | None:
        """Only the stored token digest: the same small read whether the id exists or not."""
        item = self._repairs.find({"repairId": repair_id}, attributes=("trackingTokenHash",))
        return str(item["trackingTokenHash"]) if item and "trackingTokenHash" in item else None

    def by_status(
        self, status: str, *, category: str | None, limit: int, cursor: str | None
    ) -> Page:
        return self._repairs.query(
            partition=("status", status),
            index="by-status",
            equals={"productCategory": category} if category else None,
            limit=limit,
            cursor=cursor,
        )

    def by_category(self, category: str, *, limit: int, cursor: str | None) -> Page:
        return self._repairs.query(
            partition=("productCategory", category),
            index="by-category",
            limit=limit,
            cursor=cursor,
        )

    def all_with_status(self, status: str) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        while True:
            page = self.by_status(status, category=None, limit=1000, cursor=cursor)
            yield from page.items
            if page.next_cursor is None:
                return
            cursor = page.next_cursor

    def by_event(self, event_id: str) -> list[dict[str, Any]]:
        """The requests booked at (or walked in to) an event, oldest first."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = self._repairs.query(
                partition=("eventId", event_id), index="by-event", limit=1000, cursor=cursor
            )
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            cursor = page.next_cursor

    def feedback_due(self, limit: int) -> list[dict[str, Any]]:
        page = self._repairs.query(
            partition=("feedbackDue", FEEDBACK_PENDING), index="feedback-due", limit=limit
        )
        return page.items

    def counters(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for shard in range(COUNTER_SHARDS):
            item = self._stats.find({"statsId": _shard_key(shard)}, consistent=False) or {}
            for name, value in item.items():
                if name != "statsId" and isinstance(value, int):
                    totals[name] = totals.get(name, 0) + value
        return totals

    # --- writes -------------------------------------------------------------------------------
    def create(self, item: Mapping[str, Any], *, extra: Sequence[dict[str, Any]] = ()) -> None:
        """Write a new request; ``Conflict`` if its id exists (nothing is written then).

        ``extra`` operations (e.g. taking a seat at an event) run in the same transaction; if
        one of their conditions fails, ``TransactionConflict`` says which (0 = the first extra).
        """
        operations = [
            {"Put": self._repairs.put_request(item, if_absent=True)},
            self._count(item["repairId"], added=counter_names(item), removed=set()),
        ]
        try:
            self._transact([*operations, *extra])
        except TransactionConflict as exc:
            _raise_for_extra(exc, len(operations))
            raise Conflict(f"repair request {item['repairId']} exists") from exc

    def update(
        self,
        before: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        remove: Sequence[str] = (),
        extra: Sequence[dict[str, Any]] = (),
    ) -> dict[str, Any]:
        """Apply ``changes`` if the stored version is still ``before``'s; return the new item.

        ``VersionConflict`` if someone else changed it first: of concurrent updates of one
        version exactly one wins. ``extra`` operations run in the same transaction (see
        ``create``).
        """
        version = int(before["version"])
        after = {k: v for k, v in before.items() if k not in remove}
        after.update(changes)
        after["version"] = version + 1
        repair_id = str(before["repairId"])
        operations = [
            {
                "Update": self._repairs.update_request(
                    {"repairId": repair_id}, changes, expected_version=version, remove=remove
                )
            },
        ]
        added, removed = counter_names(after), counter_names(before)
        if added != removed:
            operations.append(
                self._count(repair_id, added=added - removed, removed=removed - added)
            )
        base = len(operations)
        try:
            self._transact([*operations, *extra])
        except TransactionConflict as exc:
            _raise_for_extra(exc, base)
            raise VersionConflict(f"repair request {repair_id} changed since {version}") from exc
        return after

    def replace_token(self, repair_id: str, digest: str) -> None:
        """Give a just-created, untouched request a new tracking token (see ``submit_repair``)."""
        self._update_if(
            repair_id,
            set_values={"trackingTokenHash": digest},
            condition=("version", 1),
        )

    def mark_once(self, repair_id: str, name: str, at: str) -> bool:
        """Set ``name`` (e.g. a reminder's "sent") if it is not set yet; False if it was.

        Bookkeeping like ``mark_feedback``: the version is not bumped.
        """
        update = {
            "TableName": self._repairs.name,
            "Key": serialize_item({"repairId": repair_id}),
            "UpdateExpression": "SET #m = :at",
            "ConditionExpression": "attribute_exists(#id) AND attribute_not_exists(#m)",
            "ExpressionAttributeNames": {"#m": name, "#id": "repairId"},
            "ExpressionAttributeValues": serialize_item({":at": at}),
        }
        try:
            transact_write(self._client, [{"Update": update}])
        except TransactionConflict:
            return False
        return True

    def mark_feedback(self, repair_id: str, status: str, at: str, error: str | None = None) -> bool:
        """Record a send's result and leave the outbox; False if it already left it.

        The version is not bumped: this is bookkeeping on a closed request, and a staff
        member's ``If-Match`` should not go stale because of it.
        """
        values: dict[str, Any] = {"feedbackStatus": status, "feedbackAt": at}
        if error:
            values["feedbackError"] = error
        try:
            self._update_if(
                repair_id,
                set_values=values,
                remove=("feedbackDue",),
                condition=("feedbackDue", FEEDBACK_PENDING),
            )
        except TransactionConflict:
            return False
        return True

    # --- helpers ------------------------------------------------------------------------------
    def _update_if(
        self,
        repair_id: str,
        *,
        set_values: Mapping[str, Any],
        condition: tuple[str, Any],
        remove: Sequence[str] = (),
    ) -> None:
        # A one-item transaction rather than UpdateItem: it reuses the shared translation of
        # condition failures and outages, on paths that run once per request.
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        sets = []
        for i, (name, value) in enumerate(set_values.items()):
            names[f"#s{i}"] = name
            values[f":s{i}"] = value
            sets.append(f"#s{i} = :s{i}")
        expression = "SET " + ", ".join(sets)
        if remove:
            for i, name in enumerate(remove):
                names[f"#r{i}"] = name
            expression += " REMOVE " + ", ".join(f"#r{i}" for i in range(len(remove)))
        names["#c"], values[":c"] = condition
        update = {
            "TableName": self._repairs.name,
            "Key": serialize_item({"repairId": repair_id}),
            "UpdateExpression": expression,
            "ConditionExpression": "#c = :c",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": serialize_item(values),
        }
        transact_write(self._client, [{"Update": update}])

    def _count(self, repair_id: str, *, added: set[str], removed: set[str]) -> dict[str, Any]:
        deltas = {name: 1 for name in added} | {name: -1 for name in removed}
        names = {f"#n{i}": name for i, name in enumerate(sorted(deltas))}
        values = {f":v{i}": deltas[name] for i, name in enumerate(sorted(deltas))}
        return {
            "Update": {
                "TableName": self._stats.name,
                "Key": serialize_item({"statsId": _shard_key(_shard_of(repair_id))}),
                "UpdateExpression": "ADD " + ", ".join(f"#n{i} :v{i}" for i in range(len(names))),
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": serialize_item(values),
            }
        }

    def _transact(self, operations: list[dict[str, Any]]) -> None:
        for attempt in range(1, _TRANSACTION_ATTEMPTS + 1):
            try:
                transact_write(self._client, operations)
                return
            except ServiceUnavailable:
                # Cancelled by a concurrent transaction on a shared item (or throttled after
                # the SDK's own retries): nothing was written, so trying again is safe.
                if attempt == _TRANSACTION_ATTEMPTS:
                    raise
                logger.info("transaction attempt %d cancelled; retrying", attempt)
                self._sleep(random.uniform(0.02, 0.05) * 2**attempt)


def _raise_for_extra(exc: TransactionConflict, first_extra: int) -> None:
    if exc.failed_index >= first_extra:
        raise TransactionConflict(
            "an extra operation's condition failed", failed_index=exc.failed_index - first_extra
        ) from exc


def _shard_of(repair_id: str) -> int:
    return hashlib.sha256(repair_id.encode()).digest()[0] % COUNTER_SHARDS


def _shard_key(shard: int) -> str:
    return f"repairs#{shard}"
