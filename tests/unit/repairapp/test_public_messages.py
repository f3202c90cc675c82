"""A status change carries a public message for the visitor and an internal note for staff.

Only the public message reaches the tracking API; notes written before the two fields existed
(one ``note``, shown to the visitor word for word) are read as internal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import boto3
from chalice.test import Client

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]
PUBLIC = "We found the fault: bring the charger along on Saturday."
INTERNAL = "Moederbord defect, vervangstuk kost meer dan de laptop waard is."


def _tracked(client: Client, origin: dict[str, str], created: dict[str, Any]) -> Any:
    return client.http.get(
        f"/api/repairs/{created['repairId']}",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
    )


def test_the_public_message_reaches_the_tracking_api_and_the_internal_note_does_not(
    client: Client, origin: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    # Given a request accepted with both a public message and an internal note
    created = submit()
    response = patch_repair(
        created["repairId"], status="accepted", publicMessage=PUBLIC, internalNote=INTERNAL
    )
    assert response.status_code == 200, response.json_body

    # When the visitor opens the tracking page
    tracked = _tracked(client, origin, created)

    # Then the public message is there and the internal note nowhere in the answer
    assert tracked.status_code == 200
    assert tracked.json_body["history"][-1] == {
        "status": "accepted",
        "at": tracked.json_body["history"][-1]["at"],
        "publicMessage": PUBLIC,
    }
    assert INTERNAL not in tracked.body.decode()


def test_staff_see_both_the_public_message_and_the_internal_note(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    created = submit()
    patch_repair(
        created["repairId"], status="accepted", publicMessage=PUBLIC, internalNote=INTERNAL
    )

    staff = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)

    entry = staff.json_body["history"][-1]
    assert (entry["publicMessage"], entry["internalNote"]) == (PUBLIC, INTERNAL)


def test_the_old_note_field_is_taken_as_internal(
    client: Client,
    origin: dict[str, str],
    repairer: dict[str, str],
    submit: Submit,
    patch_repair: Patch,
) -> None:
    created = submit()

    patch_repair(created["repairId"], status="accepted", note=INTERNAL)

    assert INTERNAL not in _tracked(client, origin, created).body.decode()
    staff = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)
    assert staff.json_body["history"][-1]["internalNote"] == INTERNAL


def test_a_note_stored_before_the_split_is_internal(
    aws: dict[str, Any],
    client: Client,
    origin: dict[str, str],
    repairer: dict[str, str],
    submit: Submit,
) -> None:
    # Given a request whose stored history still has the old single `note`
    import os

    created = submit()
    table = boto3.resource("dynamodb").Table(os.environ["REPAIRS_TABLE_NAME"])
    item = table.get_item(Key={"repairId": created["repairId"]})["Item"]
    item["history"] = [
        {"status": "submitted", "at": item["createdAt"], "note": None},
        {"status": "accepted", "at": item["createdAt"], "note": INTERNAL},
    ]
    item["status"] = "accepted"
    table.put_item(Item=item)

    # Then the visitor does not see it, and staff see it as the internal note
    tracked = _tracked(client, origin, created)
    assert tracked.status_code == 200
    assert INTERNAL not in tracked.body.decode()
    assert tracked.json_body["history"][-1]["publicMessage"] is None
    staff = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)
    assert staff.json_body["history"][-1]["internalNote"] == INTERNAL


def test_a_public_message_alone_is_no_internal_note(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    created = submit()

    response = patch_repair(created["repairId"], status="cancelled", publicMessage=PUBLIC)

    entry = response.json_body["history"][-1]
    assert (entry["publicMessage"], entry["internalNote"]) == (PUBLIC, None)
    assert json.dumps(response.json_body).count(PUBLIC) == 1
