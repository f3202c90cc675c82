"""Repair-café events in DynamoDB, and the operations a booking adds to a request's transaction.

A seat is taken by a conditional ``ADD booked 1`` (``booked < capacity`` and not started) that
runs in the same ``TransactWriteItems`` as the request's own write (``RepairStore.create`` /
``update`` with ``extra=``): either both happen or neither, so capacity is never exceeded and no
half-booked request remains. Tickets come from an atomic counter (``ADD lastTicket 1``). A
coordinator's edit is versioned (If-Match) and may not put the capacity below the seats booked.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chalicelib.events import EVENT_KIND
from repaircore.errors import Conflict, TransactionConflict
from repaircore.tables import Table, serialize_item, transact_write


class EventStore:
    def __init__(self, events: Table, client: Any) -> None:
        self._events = events
        self._client = client

    @property
    def table_name(self) -> str:
        return self._events.name

    # --- reads --------------------------------------------------------------------------------
    def find(self, event_id: str) -> dict[str, Any] | None:
        return self._events.find({"eventId": event_id})

    def all(self) -> list[dict[str, Any]]:
        """Every event, soonest first (from the ``by-start`` index, page by page)."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page = self._events.query(
                partition=("kind", EVENT_KIND), index="by-start", limit=1000, cursor=cursor
            )
            items.extend(page.items)
            if page.next_cursor is None:
                return items
            cursor = page.next_cursor

    # --- writes -------------------------------------------------------------------------------
    def create(self, item: Mapping[str, Any]) -> None:
        self._events.put(item, if_absent=True)

    def update(
        self, before: Mapping[str, Any], changes: Mapping[str, Any], *, capacity: int | None
    ) -> dict[str, Any]:
        """Apply ``changes`` at ``before``'s version; with a new ``capacity``, only if the seats
        booked fit in it. ``TransactionConflict`` if either condition fails (nothing written)."""
        version = int(before["version"])
        request = self._events.update_request(
            {"eventId": before["eventId"]}, changes, expected_version=version
        )
        if capacity is not None:
            request["ConditionExpression"] += " AND #booked <= :capacity"
            request["ExpressionAttributeNames"]["#booked"] = "booked"
            request["ExpressionAttributeValues"][":capacity"] = {"N": str(capacity)}
        transact_write(self._client, [{"Update": request}])
        return {**before, **changes, "version": version + 1}

    def next_ticket(self, event_id: str) -> int:
        """The next ticket number of the event (atomic; a number is never handed out twice)."""
        response = self._client.update_item(
            TableName=self._events.name,
            Key=serialize_item({"eventId": event_id}),
            UpdateExpression="ADD #t :one",
            ConditionExpression="attribute_exists(#id)",
            ExpressionAttributeNames={"#t": "lastTicket", "#id": "eventId"},
            ExpressionAttributeValues={":one": {"N": "1"}},
            ReturnValues="UPDATED_NEW",
        )
        return int(response["Attributes"]["lastTicket"]["N"])

    def mark(self, event_id: str, name: str, at: str) -> bool:
        """Set ``name`` once (a task's "sent" mark); False if it was already set."""
        try:
            transact_write(
                self._client,
                [
                    {
                        "Update": {
                            "TableName": self._events.name,
                            "Key": serialize_item({"eventId": event_id}),
                            "UpdateExpression": "SET #m = :at",
                            "ConditionExpression": "attribute_exists(#id) AND "
                            "attribute_not_exists(#m)",
                            "ExpressionAttributeNames": {"#m": name, "#id": "eventId"},
                            "ExpressionAttributeValues": serialize_item({":at": at}),
                        }
                    }
                ],
            )
        except (TransactionConflict, Conflict):
            return False
        return True

    # --- operations for a request's transaction ----------------------------------------------
    def take_seat(self, event_id: str, now_utc: str) -> dict[str, Any]:
        """``booked + 1`` if a seat is left and the event has not started."""
        return {
            "Update": {
                "TableName": self._events.name,
                "Key": serialize_item({"eventId": event_id}),
                "UpdateExpression": "ADD #booked :one",
                "ConditionExpression": "attribute_exists(#id) AND #booked < #capacity "
                "AND #starts > :now",
                "ExpressionAttributeNames": {
                    "#booked": "booked",
                    "#capacity": "capacity",
                    "#starts": "startsUtc",
                    "#id": "eventId",
                },
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":now": {"S": now_utc}},
            }
        }

    def release_seat(self, event_id: str) -> dict[str, Any]:
        return self._add(event_id, {"booked": -1})

    def count_checkin(self, event_id: str) -> dict[str, Any]:
        return self._add(event_id, {"checkedIn": 1})

    def _add(self, event_id: str, deltas: Mapping[str, int]) -> dict[str, Any]:
        names = {f"#a{i}": name for i, name in enumerate(deltas)}
        values = {f":a{i}": {"N": str(delta)} for i, delta in enumerate(deltas.values())}
        names["#id"] = "eventId"
        return {
            "Update": {
                "TableName": self._events.name,
                "Key": serialize_item({"eventId": event_id}),
                "UpdateExpression": "ADD " + ", ".join(f"#a{i} :a{i}" for i in range(len(deltas))),
                "ConditionExpression": "attribute_exists(#id)",
                "ExpressionAttributeNames": names,
                "ExpressionAttributeValues": values,
            }
        }
