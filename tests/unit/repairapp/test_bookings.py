"""Booking a seat at a repair-café event: with the request, then moved or cancelled by token."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import new_key, repair_body, sent_mail
from tests.unit.repairapp.fake_smartre import FakeSmartRe
from tests.unit.repairapp.test_events import event_body

KETTLE = {"inputs": {"productCategory": "Kettle", "description": "Kettle trips the switch"}}


@pytest.fixture
def plan(client: Client, coordinator: dict[str, str]) -> Callable[..., dict[str, Any]]:
    def create(**overrides: Any) -> dict[str, Any]:
        response = client.http.post(
            "/api/staff/events", headers=coordinator, body=json.dumps(event_body(**overrides))
        )
        assert response.status_code == 201, response.body
        created: dict[str, Any] = response.json_body
        return created

    return create


@pytest.fixture
def request_repair(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> Callable[..., Any]:
    def submit(event_id: str | None = None, analysis: dict[str, Any] | None = None) -> Any:
        created = fake_smartre.add_analysis(**(analysis or KETTLE))
        body = repair_body(created["analysisId"])
        if event_id is not None:
            body["eventId"] = event_id
        return client.http.post(
            "/api/repairs",
            headers={**origin, "Idempotency-Key": new_key()},
            body=json.dumps(body),
        )

    return submit


def track(client: Client, origin: dict[str, str], created: dict[str, Any]) -> Any:
    return client.http.get(
        f"/api/repairs/{created['repairId']}",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
    )


def staff_event(client: Client, coordinator: dict[str, str], event_id: str) -> dict[str, Any]:
    items = client.http.get("/api/staff/events", headers=coordinator).json_body["items"]
    [event] = [e for e in items if e["eventId"] == event_id]
    return event


def test_a_request_books_a_seat_and_its_tracking_page_shows_the_booking(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    event = plan()

    created = request_repair(event["eventId"])

    assert created.status_code == 201, created.body
    tracked = track(client, origin, created.json_body).json_body
    assert tracked["booking"]["eventId"] == event["eventId"]
    assert tracked["booking"]["status"] == "booked"
    assert tracked["booking"]["place"] == event["place"]
    assert staff_event(client, coordinator, event["eventId"])["booked"] == 1
    subjects = [m.subject for m in sent_mail()]
    assert any("repair café" in s.lower() for s in subjects), subjects
    [booking_mail] = [m for m in sent_mail() if "calendar.ics" in m.body]
    assert f"/api/events/{event['eventId']}/calendar.ics" in booking_mail.body


def test_a_request_without_an_event_has_no_booking(
    client: Client, origin: dict[str, str], request_repair: Callable[..., Any]
) -> None:
    created = request_repair()

    assert track(client, origin, created.json_body).json_body["booking"] is None


def test_the_last_seat_is_taken_once_and_the_next_request_is_409_event_full_and_not_stored(
    client: Client,
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    event = plan(capacity=1)

    first = request_repair(event["eventId"])
    second = request_repair(event["eventId"])

    assert first.status_code == 201
    assert second.status_code == 409
    assert second.json_body["Code"] == "EventFull"
    assert staff_event(client, coordinator, event["eventId"])["booked"] == 1
    queue = client.http.get("/api/repairs?status=submitted", headers=coordinator).json_body
    assert len(queue["items"]) == 1  # the refused request left nothing behind


def test_a_category_the_event_does_not_take_is_422(
    plan: Callable[..., dict[str, Any]], request_repair: Callable[..., Any]
) -> None:
    event = plan(categories=["Laptop"])

    response = request_repair(event["eventId"])

    assert response.status_code == 422
    assert response.json_body["Code"] == "CategoryNotAccepted"


@pytest.mark.parametrize(
    ("event_id", "status", "code"),
    [("ev_" + "Z" * 22, 404, "NoSuchEvent"), ("tomorrow", 400, "InvalidEventId")],
)
def test_an_unknown_or_malformed_event_id_is_refused(
    request_repair: Callable[..., Any], event_id: str, status: int, code: str
) -> None:
    response = request_repair(event_id)

    assert response.status_code == status
    assert response.json_body["Code"] == code


def test_a_started_event_is_409_event_closed(
    aws: dict[str, Any], plan: Callable[..., dict[str, Any]], request_repair: Callable[..., Any]
) -> None:
    import boto3

    event = plan()
    boto3.client("dynamodb").update_item(
        TableName=aws["env"]["EVENTS_TABLE_NAME"],
        Key={"eventId": {"S": event["eventId"]}},
        UpdateExpression="SET startsUtc = :past",
        ExpressionAttributeValues={":past": {"S": "2020-01-01T10:00:00.000Z"}},
    )

    response = request_repair(event["eventId"])

    assert response.status_code == 409
    assert response.json_body["Code"] == "EventClosed"


def test_moving_a_booking_releases_the_old_seat_and_takes_the_new_one(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    first, second = plan(days=5), plan(days=12)
    created = request_repair(first["eventId"]).json_body
    headers = {**origin, "X-Tracking-Token": created["trackingToken"]}

    moved = client.http.put(
        f"/api/repairs/{created['repairId']}/booking",
        headers=headers,
        body=json.dumps({"eventId": second["eventId"]}),
    )

    assert moved.status_code == 200, moved.body
    assert moved.json_body["booking"]["eventId"] == second["eventId"]
    assert staff_event(client, coordinator, first["eventId"])["booked"] == 0
    assert staff_event(client, coordinator, second["eventId"])["booked"] == 1


def test_moving_to_a_full_event_keeps_the_old_booking(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    first, full = plan(days=5), plan(days=12, capacity=1)
    request_repair(full["eventId"])
    created = request_repair(first["eventId"]).json_body

    moved = client.http.put(
        f"/api/repairs/{created['repairId']}/booking",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
        body=json.dumps({"eventId": full["eventId"]}),
    )

    assert moved.status_code == 409
    assert moved.json_body["Code"] == "EventFull"
    assert track(client, origin, created).json_body["booking"]["eventId"] == first["eventId"]
    assert staff_event(client, coordinator, first["eventId"])["booked"] == 1


def test_cancelling_frees_the_seat_mails_the_visitor_and_a_repeat_changes_nothing(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    event = plan(capacity=1)
    created = request_repair(event["eventId"]).json_body
    path = f"/api/repairs/{created['repairId']}/booking"
    headers = {**origin, "X-Tracking-Token": created["trackingToken"]}

    cancelled = client.http.delete(path, headers=headers)
    again = client.http.delete(path, headers=headers)

    assert cancelled.status_code == 200
    assert cancelled.json_body["booking"]["status"] == "cancelled"
    assert again.status_code == 200
    assert staff_event(client, coordinator, event["eventId"])["booked"] == 0
    assert sum("cancelled" in m.subject or "geannuleerd" in m.subject for m in sent_mail()) == 1
    assert request_repair(event["eventId"]).status_code == 201  # the seat is free again


def test_a_closed_request_cannot_change_its_booking(
    client: Client,
    origin: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
    patch_repair: Callable[..., Any],
) -> None:
    event = plan()
    created = request_repair(event["eventId"]).json_body
    assert patch_repair(created["repairId"], status="cancelled").status_code == 200

    response = client.http.delete(
        f"/api/repairs/{created['repairId']}/booking",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
    )

    assert response.status_code == 409
    assert response.json_body["Code"] == "RepairClosed"


def test_a_booking_change_needs_the_requests_own_token(
    client: Client,
    origin: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    event = plan()
    mine = request_repair().json_body
    other = request_repair().json_body

    response = client.http.put(
        f"/api/repairs/{mine['repairId']}/booking",
        headers={**origin, "X-Tracking-Token": other["trackingToken"]},
        body=json.dumps({"eventId": event["eventId"]}),
    )

    assert response.status_code == 404


def test_a_booking_body_of_the_wrong_type_is_400(
    client: Client, origin: dict[str, str], request_repair: Callable[..., Any]
) -> None:
    created = request_repair().json_body

    response = client.http.put(
        f"/api/repairs/{created['repairId']}/booking",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
        body=json.dumps({"eventId": 42}),
    )

    assert response.status_code == 400
    assert response.json_body["Code"] == "InvalidType"


def test_closing_a_booked_request_gives_its_seat_back(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
    patch_repair: Callable[..., Any],
) -> None:
    event = plan(capacity=1)
    created = request_repair(event["eventId"]).json_body

    assert patch_repair(created["repairId"], status="cancelled").status_code == 200

    assert staff_event(client, coordinator, event["eventId"])["booked"] == 0
    assert track(client, origin, created).json_body["booking"]["status"] == "cancelled"


def test_booking_the_same_event_again_changes_nothing(
    client: Client,
    origin: dict[str, str],
    coordinator: dict[str, str],
    plan: Callable[..., dict[str, Any]],
    request_repair: Callable[..., Any],
) -> None:
    event = plan()
    created = request_repair(event["eventId"]).json_body
    headers = {**origin, "X-Tracking-Token": created["trackingToken"]}
    path = f"/api/repairs/{created['repairId']}/booking"

    again = client.http.put(path, headers=headers, body=json.dumps({"eventId": event["eventId"]}))

    assert again.status_code == 200
    assert again.json_body["booking"]["status"] == "booked"
    assert staff_event(client, coordinator, event["eventId"])["booked"] == 1
