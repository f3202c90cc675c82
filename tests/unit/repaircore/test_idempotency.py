"""Idempotent creates: one run per key, replays, reuse with another body, failures, races."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from repaircore.errors import Conflict, InvalidInput, Unprocessable
from repaircore.idempotency import IdempotencyStore, request_fingerprint


@pytest.fixture
def store(make_table: Any) -> IdempotencyStore:
    return IdempotencyStore(make_table("idempotency", ("pk",)), wait_seconds=5, poll_seconds=0.01)


def counter_work(calls: list[str]) -> Any:
    def work(resource_id: str) -> dict[str, Any]:
        calls.append(resource_id)
        return {"id": resource_id}

    return work


def ids() -> Any:
    n = iter(range(1000))
    return lambda: f"id-{next(n)}"


def test_same_key_and_body_runs_once_and_replays_the_result(store: IdempotencyStore) -> None:
    calls: list[str] = []
    new_id = ids()

    first = store.run("analyses", "key-00000001", {"a": 1}, counter_work(calls), new_id=new_id)
    second = store.run("analyses", "key-00000001", {"a": 1}, counter_work(calls), new_id=new_id)

    assert calls == ["id-0"]
    assert first.result == second.result == {"id": "id-0"}
    assert (first.replayed, second.replayed) == (False, True)


def test_same_key_with_another_body_is_unprocessable(store: IdempotencyStore) -> None:
    store.run("analyses", "key-00000001", {"a": 1}, counter_work([]), new_id=ids())

    with pytest.raises(Unprocessable) as caught:
        store.run("analyses", "key-00000001", {"a": 2}, counter_work([]), new_id=ids())

    assert caught.value.code == "IdempotencyKeyReused"


def test_scopes_do_not_share_keys(store: IdempotencyStore) -> None:
    calls: list[str] = []
    store.run("analyses", "key-00000001", {}, counter_work(calls), new_id=ids())
    store.run("repairs", "key-00000001", {}, counter_work(calls), new_id=ids())
    assert len(calls) == 2


@pytest.mark.parametrize("key", [None, "", "short", "has space in it", "x" * 129, "ümlaut-key"])
def test_malformed_keys_are_invalid_input(store: IdempotencyStore, key: str | None) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.run("analyses", key, {}, counter_work([]), new_id=ids())  # type: ignore[arg-type]
    assert caught.value.code == "InvalidIdempotencyKey"


def test_a_failed_attempt_releases_the_key_for_a_retry(store: IdempotencyStore) -> None:
    def failing(_: str) -> dict[str, Any]:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.run("analyses", "key-00000001", {}, failing, new_id=ids())
    retried = store.run("analyses", "key-00000001", {}, counter_work([]), new_id=ids())

    assert retried.replayed is False


def test_an_expired_claim_is_taken_over_with_the_same_reserved_id(make_table: Any) -> None:
    table = make_table("idempotency", ("pk",))
    clock = [1000.0]
    store = IdempotencyStore(table, lease_seconds=10, clock=lambda: clock[0])
    table.put(
        {
            "pk": "analyses#key-00000001",
            "status": "IN_PROGRESS",
            "requestHash": request_fingerprint({}),
            "resourceId": "reserved-id",
            "leaseUntil": 990,
            "expiresAt": 99999,
        }
    )
    calls: list[str] = []

    store.run("analyses", "key-00000001", {}, counter_work(calls), new_id=ids())

    assert calls == ["reserved-id"]


def test_a_live_claim_that_never_finishes_is_a_conflict(make_table: Any) -> None:
    table = make_table("idempotency", ("pk",))
    blocker = IdempotencyStore(table)
    waiter = IdempotencyStore(table, wait_seconds=0.05, poll_seconds=0.01)
    started, release = threading.Event(), threading.Event()

    def slow(resource_id: str) -> dict[str, Any]:
        started.set()
        release.wait(5)
        return {"id": resource_id}

    thread = threading.Thread(
        target=lambda: blocker.run("a", "key-00000001", {}, slow, new_id=ids())
    )
    thread.start()
    started.wait(5)
    try:
        with pytest.raises(Conflict) as caught:
            waiter.run("a", "key-00000001", {}, counter_work([]), new_id=ids())
        assert caught.value.code == "RequestInProgress"
    finally:
        release.set()
        thread.join()


def test_concurrent_requests_with_one_key_run_the_work_once(store: IdempotencyStore) -> None:
    calls: list[str] = []
    lock = threading.Lock()
    results: list[dict[str, Any]] = []
    new_id = ids()

    def work(resource_id: str) -> dict[str, Any]:
        with lock:
            calls.append(resource_id)
        return {"id": resource_id}

    def client() -> None:
        outcome = store.run("a", "key-00000001", {"x": 1}, work, new_id=new_id)
        with lock:
            results.append(outcome.result)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(calls) == 1
    assert results == [results[0]] * 8
