"""S3 and DynamoDB failing under a mixed load of triages and repair requests.

At 5 % of calls failing (throttling and server errors), the SDK's retries (3 attempts, standard
mode), the workflow's ASL Retry and the store's transaction retries absorb everything: clients
see only 201s. At 30 %, some requests run out of retries (about 2 %): those clients get 503 with
a ``Retry-After``, nothing else, and once the faults stop the same requests with the same
idempotency keys succeed exactly once. The runs send one request at a time so that the seeded
fault plan hits the same calls every run (with concurrent clients the interleaving decides).
Either way the tables hold exactly what clients were told. ``make bench`` runs 500 requests
from four clients (``bench/bench_faults.py``).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator

import pytest

from localaws.server import Emulator
from localaws.stack import LocalStack
from tests.reliability.conftest import DESCRIPTION, RepairApp, Tables
from tests.reliability.fault_run import Ledger, Snapshot, audit, retry_unavailable, run_mixed

REQUESTS = 100


@pytest.fixture(scope="module")
def emulator(stack: LocalStack) -> Iterator[Emulator]:
    assert stack.emulator is not None
    yield stack.emulator
    stack.emulator.clear_faults()


@pytest.fixture(scope="module")
def material(repairapp: RepairApp, laptop_jpeg: bytes) -> tuple[list[str], list[str]]:
    """Photos uploaded and analyses made before any fault is injected."""
    images = [repairapp.upload_photo(laptop_jpeg) for _ in range(6)]
    analyses = [
        repairapp.triage({"description": DESCRIPTION, "language": "en"}).json["analysisId"]
        for _ in range(3)
    ]
    return images, analyses


def _run(
    repairapp: RepairApp,
    emulator: Emulator,
    material: tuple[list[str], list[str]],
    rate: float,
    concurrency: int,
) -> tuple[Ledger, dict[str, object]]:
    images, analyses = material
    return run_mixed(
        repairapp,
        emulator,
        total=REQUESTS,
        rate=rate,
        image_ids=images,
        seed_analyses=analyses,
        concurrency=concurrency,
    )


def test_at_5_percent_faults_clients_see_only_successes_and_every_record_is_whole(
    repairapp: RepairApp,
    emulator: Emulator,
    tables: Tables,
    material: tuple[list[str], list[str]],
) -> None:
    # Given the tables as they are
    before = Snapshot.take(tables)

    # When 100 mixed requests run one after another (so the seeded faults fall on the same calls
    # every run) while 5 % of S3 and DynamoDB calls fail
    ledger, faults = _run(repairapp, emulator, material, 0.05, concurrency=1)

    # Then faults were injected, every client got a 201, and storage matches the answers
    assert int(str(faults["injected"])) > 0
    assert ledger.statuses() == {201: REQUESTS}, ledger.statuses()
    assert audit(ledger, before, Snapshot.take(tables)) == []


def test_at_30_percent_faults_clients_get_503_with_retry_after_and_retries_succeed_once(
    repairapp: RepairApp,
    emulator: Emulator,
    tables: Tables,
    material: tuple[list[str], list[str]],
) -> None:
    # Given the tables as they are
    before = Snapshot.take(tables)

    # When 100 mixed requests run one after another (seeded: the same calls fail every run)
    # while 30 % of S3 and DynamoDB calls fail
    ledger, _ = _run(repairapp, emulator, material, 0.30, concurrency=1)

    # Then each client got a 201 or a 503 with a Retry-After, and some got each
    statuses = ledger.statuses()
    assert set(statuses) == {201, 503}, statuses
    unavailable = [e for e in ledger.entries if e.status == 503]
    assert all(e.reply.get("Code") == "ServiceUnavailable" for e in unavailable)
    assert all(e.retry_after and e.retry_after.isdigit() for e in unavailable)

    # When every 503'd request is sent again with its own key, the faults gone
    finals = retry_unavailable(repairapp, ledger)

    # Then each succeeds, and storage holds exactly one record per key, as the clients were told
    assert [e.status for e in finals] == [201] * len(unavailable)
    assert audit(ledger, before, Snapshot.take(tables)) == []


def test_a_retry_after_success_replays_the_same_answer_and_stores_nothing_new(
    repairapp: RepairApp, tables: Tables, material: tuple[list[str], list[str]]
) -> None:
    # Given a repair request that succeeded
    _, analyses = material
    first = repairapp.submit(analyses[0], key="replay-key-000001")
    assert first.status == 201
    before = Snapshot.take(tables)

    # When the client sends it again with the same key (its answer was lost, say)
    again = repairapp.submit(analyses[0], key="replay-key-000001")

    # Then it gets the same answer, marked as a replay, and nothing new is stored
    assert again.status == 201
    assert again.json == first.json
    assert again.headers["idempotent-replayed"] == "true"
    after = Snapshot.take(tables)
    assert after.repairs.keys() == before.repairs.keys()
    assert after.counters == before.counters


def test_the_workflow_retries_a_dynamodb_server_error_when_it_stores_an_analysis(
    stack: LocalStack, emulator: Emulator, tables: Tables
) -> None:
    # Given DynamoDB answers the next two PutItem calls with a 500 InternalServerError
    assert stack.spec is not None
    analysis_id = "an_" + secrets.token_urlsafe(16)
    request = {
        "imageId": None,
        "imageKey": None,
        "description": DESCRIPTION,
        "productCategory": None,
        "brand": None,
        "productAgeYears": None,
        "language": "en",
    }
    payload = {
        "analysisId": analysis_id,
        "correlationId": f"{analysis_id}-retry",
        "request": request,
        "requestedAt": "2026-01-01T00:00:00Z",
        "expiresAt": 1767225600 + 90 * 86400,
    }
    emulator.inject_faults(
        [
            {
                "service": "dynamodb",
                "operation": "PutItem",
                "error": "InternalServerError",
                "status": 500,
                "limit": 2,
            }
        ]
    )

    # When the analysis workflow runs
    try:
        result = emulator.client("stepfunctions").start_sync_execution(
            stateMachineArn=stack.spec.state_machine_arn,
            name=f"{analysis_id}-retry",
            input=json.dumps(payload),
        )
    finally:
        injected = emulator.clear_faults()["injected"]

    # Then its Persist step retried past both errors and the analysis is stored once
    assert injected == 2
    assert result["status"] == "SUCCEEDED", result.get("error")
    assert analysis_id in tables.analyses()
