"""Concurrent clients: idempotent creates run once per key; versioned updates have one winner.

Requests go over HTTP to the running stack from a thread pool, released together by a barrier
so they really overlap in the apps (chalice local serves each request on its own thread).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from localaws.stack import LocalStack
from tests.reliability.conftest import (
    DESCRIPTION,
    RepairApp,
    SmartRe,
    Tables,
    new_key,
    repair_body,
)
from tests.support.events import event_body
from tests.support.http import Reply

CLIENTS = 50
KEYS = 10


def _together(count: int, send: Callable[[int], Reply]) -> list[Reply]:
    """Run ``send(i)`` for i in range(count) on ``count`` threads released at the same moment."""
    barrier = threading.Barrier(count)

    def released(i: int) -> Reply:
        barrier.wait()
        return send(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(released, range(count)))


def _one_result_per_key(keys: list[str], replies: list[Reply], id_field: str) -> dict[str, str]:
    """Every reply is a 201; all replies of a key carry the same body and one ran the work."""
    assert Counter(r.status for r in replies) == {201: len(replies)}, [
        r.data[:200] for r in replies
    ]
    by_key: dict[str, list[Reply]] = {}
    for key, reply in zip(keys, replies, strict=True):
        by_key.setdefault(key, []).append(reply)
    ids = {}
    for key, group in by_key.items():
        assert len({r.data for r in group}) == 1, f"{key}: different answers"
        replayed = Counter(r.headers["idempotent-replayed"] for r in group)
        assert replayed == {"false": 1, "true": len(group) - 1}, (key, replayed)
        ids[key] = group[0].json[id_field]
    return ids


def test_50_concurrent_triages_with_10_shared_keys_store_exactly_10_analyses(
    repairapp: RepairApp, tables: Tables
) -> None:
    # Given 10 keys, each sent by 5 clients with the same body
    keys = [new_key("ctri") for _ in range(KEYS)]
    sent = [keys[i % KEYS] for i in range(CLIENTS)]
    bodies = {key: {"description": f"{DESCRIPTION} ({key})", "language": "en"} for key in keys}
    before = tables.analyses()

    # When all 50 send at once
    replies = _together(CLIENTS, lambda i: repairapp.triage(bodies[sent[i]], key=sent[i]))

    # Then there is one analysis per key, stored once, with a completed idempotency record
    ids = _one_result_per_key(sent, replies, "analysisId")
    new = set(tables.analyses()) - set(before)
    assert new == set(ids.values())
    claims = tables.smartre_keys()
    assert {claims[f"analyses#{k}"]["resourceId"] for k in keys} == new
    assert all(claims[f"analyses#{k}"]["status"] == "COMPLETED" for k in keys)


def test_50_concurrent_repair_requests_with_10_shared_keys_store_exactly_10_requests(
    repairapp: RepairApp, tables: Tables
) -> None:
    # Given an analysis, and 10 keys each sent by 5 clients with the same body
    analysis_id = repairapp.triage({"description": DESCRIPTION, "language": "fr"}).json[
        "analysisId"
    ]
    keys = [new_key("crep") for _ in range(KEYS)]
    sent = [keys[i % KEYS] for i in range(CLIENTS)]
    before_repairs, before_counters = tables.repairs(), tables.counters()

    # When all 50 send at once
    replies = _together(
        CLIENTS,
        lambda i: repairapp.post(
            "/api/repairs", repair_body(analysis_id), **{"Idempotency-Key": sent[i]}
        ),
    )

    # Then there are 10 requests, counted once each, and every client's token opens its own
    ids = _one_result_per_key(sent, replies, "repairId")
    new = set(tables.repairs()) - set(before_repairs)
    assert new == set(ids.values())
    counters = tables.counters()
    assert counters["status:submitted"] - before_counters.get("status:submitted", 0) == KEYS
    for reply in replies[:KEYS]:
        created = reply.json
        tracked = repairapp.get(
            f"/api/repairs/{created['repairId']}",
            **{"X-Tracking-Token": created["trackingToken"]},
        )
        assert tracked.status == 200


def test_the_same_key_with_another_body_is_refused_while_the_first_runs(
    repairapp: RepairApp,
) -> None:
    # Given one key sent at once by 10 clients, 5 with one body and 5 with another
    key = new_key("cmix")
    bodies = [
        {"description": f"{DESCRIPTION} {'A' if i % 2 else 'B'}", "language": "en"}
        for i in range(10)
    ]

    replies = _together(10, lambda i: repairapp.triage(bodies[i], key=key))

    # Then one body wins; every client that sent the other gets 422 IdempotencyKeyReused
    outcomes = Counter((r.status, r.json.get("Code") if r.status != 201 else None) for r in replies)
    assert outcomes == {(201, None): 5, (422, "IdempotencyKeyReused"): 5}, outcomes


def test_20_concurrent_status_changes_have_exactly_one_winner_per_version(
    repairapp: RepairApp, stack: LocalStack, tables: Tables
) -> None:
    # Given a request at version 1, and 20 signed-in staff members
    analysis_id = repairapp.triage(
        {"description": DESCRIPTION, "productCategory": "Kettle", "language": "nl"}
    ).json["analysisId"]
    repair_id = repairapp.submit(analysis_id).json["repairId"]
    staff = repairapp.sign_in("repairer")
    before = tables.counters()
    path = f"/api/repairs/{repair_id}"
    rounds: list[Counter[int]] = []

    # When, version after version, all 20 read the request and then save the next status at once
    for version, status in enumerate(("accepted", "in_repair", "fixed"), start=1):
        read = repairapp.get(f"/api/staff/repairs/{repair_id}", **staff)
        assert read.json["version"] == version

        def change(i: int, version: int = version, status: str = status) -> Reply:
            return repairapp.patch(path, {"status": status}, **staff, **{"If-Match": str(version)})

        rounds.append(Counter(r.status for r in _together(20, change)))

    # Then each version had one winner and 19 stale writers, and the request moved three steps
    assert rounds == [Counter({200: 1, 412: 19})] * 3
    final: dict[str, Any] = repairapp.get(f"/api/staff/repairs/{repair_id}", **staff).json
    assert final["version"] == 4
    assert [h["status"] for h in final["history"]] == [
        "submitted",
        "accepted",
        "in_repair",
        "fixed",
    ]
    after = tables.counters()
    assert after.get("status:fixed", 0) - before.get("status:fixed", 0) == 1
    assert after.get("status:submitted", 0) - before.get("status:submitted", 0) == -1
    assert after.get("category:Kettle:fixed", 0) - before.get("category:Kettle:fixed", 0) == 1
    # ... and SmartRe learnt the outcome exactly once
    assert final["feedbackStatus"] == "sent"
    assert stack.spec is not None
    labels = tables.scan(stack.spec.labels_table.name)
    assert sum(1 for label in labels if label["analysisId"] == analysis_id) == 1


def test_concurrent_feedback_labels_and_their_retries_are_each_counted_once(
    smartre: SmartRe, tables: Tables
) -> None:
    # Given 10 analyses, each to be labelled End of life by 3 clients sending one key
    analysis_ids = []
    for _ in range(KEYS):
        reply = smartre.analyse({"description": DESCRIPTION, "language": "en"})
        assert reply.status == 201, reply.data
        analysis_ids.append(reply.json["analysisId"])
    keys = [new_key("cfb") for _ in range(KEYS)]
    label_count = tables.labels_counted()

    # When all 30 send at once
    def send(i: int) -> Reply:
        return smartre.call(
            "POST",
            f"/api/analyses/{analysis_ids[i % KEYS]}/feedback",
            {"outcome": "End of life", "barrier": "Too worn out", "source": "test"},
            **{"Idempotency-Key": keys[i % KEYS]},
        )

    replies = _together(3 * KEYS, send)

    # Then each analysis holds one label and the adaptation state counted each label once
    assert Counter(r.status for r in replies) == {201: 3 * KEYS}, [r.data[:200] for r in replies]
    assert tables.labels_counted() == label_count + KEYS


def test_20_simultaneous_bookings_of_the_last_seat_have_exactly_one_winner(
    repairapp: RepairApp, tables: Tables
) -> None:
    # Given an event with 3 seats, 2 of them booked already
    coordinator = repairapp.sign_in("coordinator")
    gent = event_body(
        groupIdentifier="Repair Café Gent",
        place="Buurtcentrum",
        address="Kouter 1",
        postcode="9000",
        capacity=3,
    )
    event = repairapp.post("/api/staff/events", gent, **coordinator)
    assert event.status == 201, event.data
    event_id = event.json["eventId"]
    analysis_id = repairapp.triage({"description": DESCRIPTION, "language": "nl"}).json[
        "analysisId"
    ]
    for _ in range(2):
        assert repairapp.submit(analysis_id, eventId=event_id).status == 201
    before = tables.repairs()

    # When 20 visitors book the last seat at the same moment (each their own request)
    replies = _together(20, lambda i: repairapp.submit(analysis_id, eventId=event_id))

    # Then exactly one wins, 19 get 409 EventFull, and the event is exactly full
    outcomes = Counter((r.status, r.json.get("Code") if r.status != 201 else None) for r in replies)
    assert outcomes == {(201, None): 1, (409, "EventFull"): 19}, outcomes
    stored = tables.scan(tables.spec.repairapp_events_table.name)
    [saved] = [e for e in stored if e["eventId"] == event_id]
    assert saved["booked"] == saved["capacity"] == 3
    # ... and the 19 refused requests left nothing behind
    new = set(tables.repairs()) - set(before)
    assert new == {r.json["repairId"] for r in replies if r.status == 201}
