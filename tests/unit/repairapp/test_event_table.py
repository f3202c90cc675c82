"""The event's day: check-in with tickets, walk-ins, claims, outcomes in one PATCH, the summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import new_key
from tests.unit.repairapp.test_bookings import KETTLE, plan, request_repair  # noqa: F401

WALK_IN = {"description": "Lamp flickers when touched", "productCategory": "lamp", "language": "nl"}


@pytest.fixture
def background(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The walk-ins whose triage was started after the answer (run here by the test)."""
    from chalicelib.services import event_table

    started: list[str] = []
    monkeypatch.setattr(event_table, "start_background_triage", started.append)
    return started


@pytest.fixture
def event_with_bookings(
    plan: Callable[..., dict[str, Any]],  # noqa: F811
    request_repair: Callable[..., Any],  # noqa: F811
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    event = plan()
    booked = [request_repair(event["eventId"]).json_body for _ in range(2)]
    return event, booked


def run_schedule(client: Client, name: str) -> dict[str, Any]:
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    payload: dict[str, Any] = client.lambda_.invoke(name, event).payload
    return payload


def check_in(client: Client, staff: dict[str, str], event_id: str, repair_id: str) -> Any:
    return client.http.post(
        f"/api/staff/events/{event_id}/checkins",
        headers=staff,
        body=json.dumps({"repairId": repair_id}),
    )


def walk_in(client: Client, staff: dict[str, str], event_id: str, key: str | None = None) -> Any:
    return client.http.post(
        f"/api/staff/events/{event_id}/walk-ins",
        headers={**staff, "Idempotency-Key": key or new_key()},
        body=json.dumps(WALK_IN),
    )


def test_check_ins_hand_out_tickets_in_order_and_a_repeat_keeps_the_ticket(
    client: Client, repairer: dict[str, str], event_with_bookings: Any
) -> None:
    event, (first, second) = event_with_bookings

    one = check_in(client, repairer, event["eventId"], second["repairId"])
    two = check_in(client, repairer, event["eventId"], first["repairId"])
    again = check_in(client, repairer, event["eventId"], second["repairId"])

    assert (one.status_code, two.status_code) == (200, 200), one.body
    assert (one.json_body["ticket"], two.json_body["ticket"]) == (1, 2)
    assert again.json_body["ticket"] == 1
    assert one.json_body["bookingStatus"] == "checkedIn"
    assert one.json_body["status"] == "in_repair"


def test_end_of_life_with_its_barrier_is_one_patch_after_check_in(
    client: Client, repairer: dict[str, str], origin: dict[str, str], event_with_bookings: Any
) -> None:
    # Given a checked-in visitor (the table's item holds the version to send)
    event, (booked, _) = event_with_bookings
    item = check_in(client, repairer, event["eventId"], booked["repairId"]).json_body

    # When a repairer saves "End of life — spare parts not available"
    saved = client.http.patch(
        f"/api/repairs/{booked['repairId']}",
        headers={**repairer, "If-Match": str(item["version"])},
        body=json.dumps({"status": "end_of_life", "barrier": "Spare parts not available"}),
    )

    # Then it is stored, and the visitor's tracking page shows it with the ticket
    assert saved.status_code == 200, saved.body
    tracked = client.http.get(
        f"/api/repairs/{booked['repairId']}",
        headers={**origin, "X-Tracking-Token": booked["trackingToken"]},
    ).json_body
    assert tracked["status"] == "end_of_life"
    assert tracked["booking"]["status"] == "checkedIn"
    assert tracked["booking"]["ticket"] == item["ticket"]


def test_a_request_not_booked_at_this_event_cannot_be_checked_in(
    client: Client,
    repairer: dict[str, str],
    event_with_bookings: Any,
    plan: Callable[..., dict[str, Any]],  # noqa: F811
) -> None:
    _, (booked, _) = event_with_bookings
    other = plan()

    response = check_in(client, repairer, other["eventId"], booked["repairId"])

    assert response.status_code == 404
    assert response.json_body["Code"] == "NoSuchBooking"


def test_a_walk_in_is_created_checked_in_at_once_and_triaged_afterwards(
    client: Client,
    repairer: dict[str, str],
    event_with_bookings: Any,
    background: list[str],
) -> None:
    event, _ = event_with_bookings
    key = new_key()

    created = walk_in(client, repairer, event["eventId"], key)
    replayed = walk_in(client, repairer, event["eventId"], key)

    # The answer came before any triage: no analysis yet, but a ticket and the category's hints
    assert created.status_code == 201, created.body
    item = created.json_body
    assert (item["bookingStatus"], item["ticket"], item["status"]) == ("checkedIn", 1, "in_repair")
    assert "likelyOutcome" not in item
    assert any("E27" in hint for hint in item["hints"])
    assert replayed.json_body == item
    assert replayed.headers["Idempotent-Replayed"] == "true"
    assert background == [item["repairId"]]

    # When the schedule runs, the walk-in gets SmartRe's analysis
    assert run_schedule(client, "triage_walk_ins") == {"triaged": 1}
    items = client.http.get(f"/api/staff/events/{event['eventId']}/items", headers=repairer)
    [triaged] = [i for i in items.json_body["items"] if i["repairId"] == item["repairId"]]
    assert triaged["likelyOutcome"] == "Fixed"
    assert run_schedule(client, "triage_walk_ins") == {"triaged": 0}


def test_a_walk_in_needs_an_idempotency_key_and_a_known_category(
    client: Client, repairer: dict[str, str], event_with_bookings: Any, background: list[str]
) -> None:
    event, _ = event_with_bookings
    path = f"/api/staff/events/{event['eventId']}/walk-ins"

    no_key = client.http.post(path, headers=repairer, body=json.dumps(WALK_IN))
    bad_category = client.http.post(
        path,
        headers={**repairer, "Idempotency-Key": new_key()},
        body=json.dumps({**WALK_IN, "productCategory": "Spaceship"}),
    )
    no_text = client.http.post(
        path,
        headers={**repairer, "Idempotency-Key": new_key()},
        body=json.dumps({"language": "nl"}),
    )

    assert no_key.status_code == 400
    assert bad_category.status_code == 400
    assert bad_category.json_body["Code"] == "UnknownCategory"
    assert no_text.status_code == 400
    assert no_text.json_body["Code"] == "MissingField"
    assert background == []


def test_items_carry_the_triage_and_hints_and_leave_cancelled_bookings_out(
    client: Client,
    repairer: dict[str, str],
    origin: dict[str, str],
    event_with_bookings: Any,
) -> None:
    event, (kept, cancelled) = event_with_bookings
    client.http.delete(
        f"/api/repairs/{cancelled['repairId']}/booking",
        headers={**origin, "X-Tracking-Token": cancelled["trackingToken"]},
    )

    response = client.http.get(f"/api/staff/events/{event['eventId']}/items", headers=repairer)

    assert response.status_code == 200
    [item] = response.json_body["items"]
    assert item["repairId"] == kept["repairId"]
    assert item["productCategory"] == "Kettle"
    assert item["bookingStatus"] == "booked"
    assert item["description"] == "Kettle trips the switch"
    assert any("kettle" in hint.lower() for hint in item["hints"])
    assert response.json_body["hints"][0] == "Multimeter"


def test_a_claim_needs_the_current_version_and_names_the_staff_member(
    client: Client, repairer: dict[str, str], event_with_bookings: Any
) -> None:
    event, (booked, _) = event_with_bookings
    item = check_in(client, repairer, event["eventId"], booked["repairId"]).json_body
    path = f"/api/staff/repairs/{booked['repairId']}/claim"

    claimed = client.http.post(path, headers={**repairer, "If-Match": str(item["version"])})
    stale = client.http.post(path, headers={**repairer, "If-Match": str(item["version"])})
    missing = client.http.post(path, headers=repairer)

    assert claimed.status_code == 200, claimed.body
    assert claimed.json_body["claimedBy"] == "repairer@repairapp.test"
    assert claimed.json_body["version"] == item["version"] + 1
    assert stale.status_code == 412
    assert missing.status_code == 428


def test_the_summary_counts_outcomes_barriers_and_open_items(
    client: Client,
    repairer: dict[str, str],
    event_with_bookings: Any,
    background: list[str],
) -> None:
    event, (first, second) = event_with_bookings
    event_id = event["eventId"]
    done = check_in(client, repairer, event_id, first["repairId"]).json_body
    check_in(client, repairer, event_id, second["repairId"])
    walked = walk_in(client, repairer, event_id).json_body
    client.http.patch(
        f"/api/repairs/{first['repairId']}",
        headers={**repairer, "If-Match": str(done["version"])},
        body=json.dumps({"status": "end_of_life", "barrier": "Spare parts not available"}),
    )

    summary = client.http.get(f"/api/staff/events/{event_id}/summary", headers=repairer).json_body

    assert summary["seen"] == 3
    assert (summary["fixed"], summary["repairable"], summary["endOfLife"]) == (0, 0, 1)
    assert summary["noOutcome"] == 2
    assert summary["barriers"] == {"Spare parts not available": 1}
    assert sorted(summary["openItems"]) == sorted([second["repairId"], walked["repairId"]])
    assert summary["event"]["checkedIn"] == 3


def test_a_walk_in_key_reused_with_another_body_is_422(
    client: Client, repairer: dict[str, str], event_with_bookings: Any, background: list[str]
) -> None:
    event, _ = event_with_bookings
    path = f"/api/staff/events/{event['eventId']}/walk-ins"
    key = new_key()
    first = client.http.post(
        path, headers={**repairer, "Idempotency-Key": key}, body=json.dumps(WALK_IN)
    )

    other = client.http.post(
        path,
        headers={**repairer, "Idempotency-Key": key},
        body=json.dumps({**WALK_IN, "description": "Another lamp entirely"}),
    )

    assert first.status_code == 201
    assert other.status_code == 422
    assert other.json_body["Code"] == "IdempotencyKeyReused"
    assert len(background) == 1
