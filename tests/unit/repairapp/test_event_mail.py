"""After booking: the day-before reminder, the coordinator's nudge, the Repairable follow-up, and
the export carrying the event's group and date."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import sent_mail
from tests.unit.repairapp.test_bookings import KETTLE, plan, request_repair  # noqa: F401
from tests.unit.repairapp.test_event_table import check_in


def to(address: str) -> list[Any]:
    return [m for m in sent_mail() if address in m.destinations["ToAddresses"]]


def subjects_to(address: str) -> list[str]:
    return [str(m.subject) for m in to(address)]


VISITOR = "mira.janssens@example.be"


@pytest.fixture
def booked(
    plan: Callable[..., dict[str, Any]],  # noqa: F811
    request_repair: Callable[..., Any],  # noqa: F811
) -> tuple[dict[str, Any], dict[str, Any]]:
    event = plan(days=3)
    created = request_repair(event["eventId"])
    assert created.status_code == 201, created.body
    return event, created.json_body


def test_the_reminder_goes_out_the_day_before_once(booked: Any) -> None:
    from chalicelib.services import event_tasks

    event, _ = booked
    starts = datetime.fromisoformat(event["startsAt"])
    two_days_before = starts - timedelta(days=2)
    day_before = starts - timedelta(days=1)
    sent_mail().clear()

    assert event_tasks.send_event_mail(two_days_before)["reminders"] == 0
    assert event_tasks.send_event_mail(day_before)["reminders"] == 1
    assert event_tasks.send_event_mail(day_before + timedelta(hours=1))["reminders"] == 0

    [reminder] = to(VISITOR)
    assert event["place"] in reminder.body


def test_no_reminder_once_the_repair_is_closed_or_the_booking_cancelled(
    client: Client,
    origin: dict[str, str],
    booked: Any,
    patch_repair: Callable[..., Any],
) -> None:
    from chalicelib.services import event_tasks

    event, created = booked
    assert patch_repair(created["repairId"], status="cancelled").status_code == 200
    sent_mail().clear()

    day_before = datetime.fromisoformat(event["startsAt"]) - timedelta(days=1)

    assert event_tasks.send_event_mail(day_before)["reminders"] == 0
    assert to(VISITOR) == []


def test_the_coordinator_is_nudged_two_days_after_an_event_with_missing_outcomes_once(
    client: Client, repairer: dict[str, str], booked: Any
) -> None:
    from chalicelib.services import event_tasks

    event, created = booked
    check_in(client, repairer, event["eventId"], created["repairId"])
    ends = datetime.fromisoformat(event["endsAt"])
    coordinator = "coordinator@repairapp.test"

    assert event_tasks.send_event_mail(ends + timedelta(days=1))["nudges"] == 0
    assert event_tasks.send_event_mail(ends + timedelta(days=2, hours=1))["nudges"] == 1
    assert event_tasks.send_event_mail(ends + timedelta(days=3))["nudges"] == 0

    [nudge] = to(coordinator)
    assert "1 outcomes missing" in nudge.subject
    assert f"/staff/events/{event['eventId']}/summary" in nudge.body


def test_a_repairable_item_is_invited_to_the_next_event_that_takes_it(
    client: Client,
    repairer: dict[str, str],
    booked: Any,
    plan: Callable[..., dict[str, Any]],  # noqa: F811
) -> None:
    event, created = booked
    plan(days=20, categories=["Laptop"])  # does not take kettles
    later = plan(days=30, place="Buurthuis De Linde")
    item = check_in(client, repairer, event["eventId"], created["repairId"]).json_body
    sent_mail().clear()

    response = client.http.patch(
        f"/api/repairs/{created['repairId']}",
        headers={**repairer, "If-Match": str(item["version"])},
        body=json.dumps({"status": "repairable"}),
    )

    assert response.status_code == 200, response.body
    follow_ups = [m for m in to(VISITOR) if "Buurthuis De Linde" in m.body]
    assert len(follow_ups) == 1
    assert later["place"] == "Buurthuis De Linde"


def test_the_export_carries_the_events_group_and_date(
    client: Client, coordinator: dict[str, str], repairer: dict[str, str], booked: Any
) -> None:
    event, created = booked
    item = check_in(client, repairer, event["eventId"], created["repairId"]).json_body
    client.http.patch(
        f"/api/repairs/{created['repairId']}",
        headers={**repairer, "If-Match": str(item["version"])},
        body=json.dumps({"status": "end_of_life", "barrier": "Spare parts not available"}),
    )

    response = client.http.get("/api/export.csv", headers=coordinator)

    [row] = list(csv.DictReader(io.StringIO(response.body.decode())))
    assert row["group_identifier"] == "Repair Café Leuven"
    assert row["event_date"] == event["startsAt"][:10]
    assert row["repair_barrier_if_end_of_life"] == "Spare parts not available"
