"""Work that succeeded but whose answer could not be recorded: the retry takes over at once."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from repaircore.errors import ServiceUnavailable
from repaircore.idempotency import COMPLETED, IdempotencyStore
from repaircore.tables import Table


class AnswerNotRecorded(Table):
    """A table whose first write of a completed answer fails (DynamoDB throttling, say)."""

    def __init__(self, table: Table) -> None:
        super().__init__(table._client, table.name, table.key_names)
        self.failures_left = 1

    def put(self, item: Any, **kwargs: Any) -> None:
        if item.get("status") == COMPLETED and self.failures_left:
            self.failures_left -= 1
            raise ServiceUnavailable("the database is busy")
        super().put(item, **kwargs)


def test_a_retry_after_an_unrecorded_answer_reuses_the_reserved_id_without_waiting(
    make_table: Any,
) -> None:
    # Given a store that waits at most 2 s for a claim held by someone else
    table = AnswerNotRecorded(make_table("idempotency", ("pk",)))
    store = IdempotencyStore(table, wait_seconds=2, poll_seconds=0.01)
    calls: list[str] = []
    ids = (f"id-{n}" for n in itertools.count())

    def work(resource_id: str) -> dict[str, Any]:
        calls.append(resource_id)
        return {"id": resource_id}

    # When the work succeeds but its answer cannot be recorded
    with pytest.raises(ServiceUnavailable):
        store.run("repairs", "key-00000001", {"a": 1}, work, new_id=lambda: next(ids))

    # Then the client's retry runs at once, with the id the first attempt reserved
    outcome = store.run("repairs", "key-00000001", {"a": 1}, work, new_id=lambda: next(ids))
    assert calls == ["id-0", "id-0"]
    assert outcome.result == {"id": "id-0"}
    # ... and from then on the answer is replayed
    again = store.run("repairs", "key-00000001", {"a": 1}, work, new_id=lambda: next(ids))
    assert again.replayed
    assert calls == ["id-0", "id-0"]
