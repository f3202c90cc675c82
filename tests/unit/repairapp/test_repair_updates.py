"""PATCH /api/repairs/{id} and GET /api/staff/repairs/{id}: statuses move one version at a time."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from chalice.test import Client

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]


def _walk(patch_repair: Patch, repair_id: str, *statuses: str) -> Any:
    response = None
    for status in statuses:
        response = patch_repair(repair_id, status=status)
        assert response.status_code == 200, response.json_body
    return response


def test_staff_see_the_request_with_contact_details_and_its_version(
    client: Client, repairer: dict[str, str], submit: Submit
) -> None:
    created = submit()

    response = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)

    assert response.status_code == 200
    repair = response.json_body
    assert repair["contact"] == {"name": "Mira Janssens", "email": "mira.janssens@example.be"}
    assert repair["postcode"] == "9000"
    assert repair["version"] == 1
    assert response.headers["ETag"] == '"1"'


def test_an_unknown_request_is_404_for_staff(client: Client, repairer: dict[str, str]) -> None:
    response = client.http.get(f"/api/staff/repairs/rp_{'C' * 22}", headers=repairer)

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"


def test_a_request_moves_through_the_workflow_with_its_history(
    client: Client, origin: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    created = submit()

    response = _walk(patch_repair, created["repairId"], "accepted", "in_repair", "fixed")

    repair = response.json_body
    assert repair["status"] == "fixed"
    assert repair["outcome"] == "Fixed"
    assert repair["version"] == 4
    assert response.headers["ETag"] == '"4"'
    tracked = client.http.get(
        f"/api/repairs/{created['repairId']}",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
    ).json_body
    assert [h["status"] for h in tracked["history"]] == [
        "submitted",
        "accepted",
        "in_repair",
        "fixed",
    ]


def test_a_note_is_kept_in_the_history(submit: Submit, patch_repair: Patch) -> None:
    created = submit()

    response = patch_repair(
        created["repairId"], status="accepted", internalNote="Bring it Saturday"
    )

    assert response.json_body["history"][-1]["internalNote"] == "Bring it Saturday"


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], "fixed"),
        ([], "in_repair"),
        (["accepted"], "submitted"),
        (["accepted"], "accepted"),
        (["accepted", "in_repair", "fixed"], "cancelled"),
        (["cancelled"], "accepted"),
    ],
    ids=[
        "submitted-to-fixed",
        "submitted-to-in-repair",
        "backwards",
        "same-status",
        "closed-to-cancelled",
        "cancelled-is-final",
    ],
)
def test_an_illegal_transition_is_409(
    submit: Submit, patch_repair: Patch, path: list[str], target: str
) -> None:
    created = submit()
    _walk(patch_repair, created["repairId"], *path)

    response = patch_repair(created["repairId"], status=target, barrier=None)

    assert response.status_code == 409
    assert response.json_body["Code"] == "InvalidTransition"


def test_any_open_status_can_be_cancelled(submit: Submit, patch_repair: Patch) -> None:
    for path in ([], ["accepted"], ["accepted", "in_repair"]):
        created = submit()
        _walk(patch_repair, created["repairId"], *path)

        assert patch_repair(created["repairId"], status="cancelled").status_code == 200


def test_a_stale_version_is_412(submit: Submit, patch_repair: Patch) -> None:
    created = submit()
    patch_repair(created["repairId"], version=1, status="accepted")

    response = patch_repair(created["repairId"], version=1, status="cancelled")

    assert response.status_code == 412
    assert response.json_body["Code"] == "PreconditionFailed"


def test_a_patch_without_if_match_is_428(
    client: Client, repairer: dict[str, str], submit: Submit
) -> None:
    created = submit()

    response = client.http.patch(
        f"/api/repairs/{created['repairId']}",
        headers=repairer,
        body=json.dumps({"status": "accepted"}),
    )

    assert response.status_code == 428
    assert response.json_body["Code"] == "PreconditionRequired"


@pytest.mark.parametrize("if_match", ["*", 'W/"1"', "9" * 5000, "\u00b2", "0"])
def test_an_unreadable_if_match_is_400(
    client: Client, repairer: dict[str, str], submit: Submit, if_match: str
) -> None:
    created = submit()

    response = client.http.patch(
        f"/api/repairs/{created['repairId']}",
        headers={**repairer, "If-Match": if_match},
        body=json.dumps({"status": "accepted"}),
    )

    assert response.status_code == 400
    assert response.json_body["Code"] == "InvalidIfMatch"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"status": "repaired"}, "UnknownStatus"),
        ({"status": "end_of_life"}, "BarrierRequired"),
        ({"status": "end_of_life", "barrier": "Bad luck"}, "UnknownBarrier"),
        ({"status": "fixed", "barrier": "Too worn out"}, "BarrierWithoutEndOfLife"),
        ({"status": "fixed", "outcome": "Repairable"}, "OutcomeMismatch"),
        ({"status": "fixed", "productCategory": "Spaceship"}, "UnknownCategory"),
        ({"status": "fixed", "note": "n" * 501}, "TooLong"),
        ({"status": "fixed", "publicMessage": "n" * 501}, "TooLong"),
        ({"status": "fixed", "note": "a", "internalNote": "b"}, "NoteAndInternalNote"),
        ({"status": "fixed", "priority": 3}, "UnknownField"),
    ],
    ids=[
        "unknown-status",
        "end-of-life-without-barrier",
        "unknown-barrier",
        "barrier-when-fixed",
        "outcome-contradicts-status",
        "unknown-category",
        "note-too-long",
        "public-message-too-long",
        "note-and-internal-note",
        "unknown-field",
    ],
)
def test_a_bad_update_is_400_and_changes_nothing(
    submit: Submit, patch_repair: Patch, body: dict[str, Any], code: str
) -> None:
    created = submit()
    _walk(patch_repair, created["repairId"], "accepted", "in_repair")

    response = patch_repair(created["repairId"], version=3, **body)

    assert response.status_code == 400
    assert response.json_body["Code"] == code
    assert patch_repair(created["repairId"], version=3, status="fixed").status_code == 200


def test_closing_erases_the_contact_details_and_the_photo_reference(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch, aws: Any
) -> None:
    # Given a request made with a photo
    created = submit(inputs={"imageId": "img_" + "P" * 22})

    # When it closes
    _walk(patch_repair, created["repairId"], "accepted", "in_repair")
    closed = patch_repair(created["repairId"], status="end_of_life", barrier="Too worn out")

    # Then only the analysis (without the photo) and the postcode remain
    assert closed.status_code == 200
    assert closed.json_body["contact"] is None
    assert closed.json_body["barrier"] == "Too worn out"
    stored = boto3.client("dynamodb").get_item(
        TableName=aws["env"]["REPAIRS_TABLE_NAME"], Key={"repairId": {"S": created["repairId"]}}
    )["Item"]
    raw = json.dumps(stored)
    assert "contact" not in stored
    assert "Mira" not in raw
    assert "img_" not in raw
    assert stored["postcode"]["S"] == "9000"


def test_cancelling_erases_the_contact_details_too(submit: Submit, patch_repair: Patch) -> None:
    created = submit()

    response = patch_repair(created["repairId"], status="cancelled")

    assert response.json_body["contact"] is None


def all_have_read(parties: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hold each of the next ``parties`` reads until all of them have read: the worst case,
    where every update passed its own version check and only the conditional write decides."""
    from chalicelib.repair_store import RepairStore

    barrier = threading.Barrier(parties)
    original = RepairStore.find

    def find(self: RepairStore, repair_id: str) -> Any:
        item = original(self, repair_id)
        barrier.wait(timeout=10)
        return item

    monkeypatch.setattr(RepairStore, "find", find)


def test_of_20_concurrent_updates_of_one_version_exactly_one_wins(
    client: Client,
    repairer: dict[str, str],
    submit: Submit,
    serialised_emulator: None,
) -> None:
    # Given a request at version 1, and 20 staff members who all loaded that version
    created = submit()
    url = f"/api/repairs/{created['repairId']}"

    def update(i: int) -> int:
        body = {"status": "accepted" if i % 2 else "cancelled", "note": f"attempt {i}"}
        response = client.http.patch(
            url, headers={**repairer, "If-Match": "1"}, body=json.dumps(body)
        )
        return int(response.status_code)

    # When they all save at once
    with pytest.MonkeyPatch.context() as patch, ThreadPoolExecutor(max_workers=20) as pool:
        all_have_read(20, patch)
        statuses = Counter(pool.map(update, range(20)))

    # Then one update wins and every other one is told its version is stale
    assert statuses == Counter({200: 1, 412: 19})
    final = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)
    assert final.json_body["version"] == 2
    assert len(final.json_body["history"]) == 2
