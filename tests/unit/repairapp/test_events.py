"""Repair-café events: coordinators plan them, everyone lists the coming ones and gets an .ics."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from chalice.test import Client


def event_body(days: float = 10, **overrides: Any) -> dict[str, Any]:
    starts = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    body: dict[str, Any] = {
        "groupIdentifier": "Repair Café Leuven",
        "place": "Parochiezaal Sint-Jan",
        "address": "Naamsestraat 1",
        "postcode": "3000",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=3)).isoformat(),
        "capacity": 12,
        "categories": ["kettle", "Lamp"],
        "skills": ["electrical"],
    }
    body.update(overrides)
    return body


def create(client: Client, coordinator: dict[str, str], **overrides: Any) -> Any:
    return client.http.post(
        "/api/staff/events", headers=coordinator, body=json.dumps(event_body(**overrides))
    )


def test_a_coordinator_creates_an_event_with_its_seats_and_version(
    client: Client, coordinator: dict[str, str]
) -> None:
    response = create(client, coordinator)

    assert response.status_code == 201, response.body
    event = response.json_body
    assert event["eventId"].startswith("ev_")
    assert (event["capacity"], event["seatsLeft"], event["booked"]) == (12, 12, 0)
    assert event["categories"] == ["Kettle", "Lamp"]
    assert event["version"] == 1
    assert event["startsAt"][-6:] in ("+01:00", "+02:00")  # shown in Brussels time


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"postcode": "0999"}, "InvalidPostcode"),
        ({"postcode": "1804"}, "InvalidPostcode"),  # 4 digits, but no such Belgian postcode
        ({"startsAt": "2026-05-02T14:00:00"}, "InvalidTime"),  # no offset
        ({"capacity": 0}, "OutOfRange"),
        ({"capacity": "12"}, "InvalidType"),
        ({"categories": ["Spaceship"]}, "UnknownCategory"),
        ({"skills": ["juggling"]}, "UnknownSkill"),
        ({"days": -1}, "EventInPast"),
        ({"colour": "red"}, "UnknownField"),
    ],
)
def test_a_bad_event_is_a_400_naming_the_problem(
    client: Client, coordinator: dict[str, str], overrides: dict[str, Any], code: str
) -> None:
    days = overrides.pop("days", 10)

    response = create(client, coordinator, days=days, **overrides)

    assert response.status_code == 400, response.body
    assert response.json_body["Code"] == code


def test_an_event_that_ends_before_it_starts_is_refused(
    client: Client, coordinator: dict[str, str]
) -> None:
    body = event_body()
    body["endsAt"], body["startsAt"] = body["startsAt"], body["endsAt"]

    response = client.http.post("/api/staff/events", headers=coordinator, body=json.dumps(body))

    assert response.status_code == 400
    assert response.json_body["Code"] == "EndsBeforeStarts"


def test_a_repairer_may_not_plan_events(client: Client, repairer: dict[str, str]) -> None:
    response = create(client, repairer)

    assert response.status_code == 403


def test_coming_events_are_nearest_first_from_a_postcode_and_far_ones_left_out(
    client: Client, coordinator: dict[str, str], origin: dict[str, str]
) -> None:
    # Given events in Leuven (3000), Brussels (1000) and Ostend (8400)
    for postcode in ("1000", "8400", "3000"):
        assert create(client, coordinator, postcode=postcode).status_code == 201

    # When a visitor from Kessel-Lo (3010) asks for events within 30 km
    response = client.http.get("/api/events?postcode=3010&radiusKm=30", headers=origin)

    # Then Leuven comes first, Brussels second, and Ostend (~130 km) is not listed
    assert response.status_code == 200
    items = response.json_body["items"]
    assert [e["postcode"] for e in items] == ["3000", "1000"]
    assert items[0]["distanceKm"] < 5 < 20 < items[1]["distanceKm"] < 30
    assert "booked" not in items[0]


def test_without_a_postcode_coming_events_are_soonest_first_and_past_ones_hidden(
    client: Client, coordinator: dict[str, str], origin: dict[str, str]
) -> None:
    later = create(client, coordinator, days=20).json_body
    sooner = create(client, coordinator, days=3).json_body

    response = client.http.get("/api/events", headers=origin)

    assert [e["eventId"] for e in response.json_body["items"]] == [
        sooner["eventId"],
        later["eventId"],
    ]
    assert "distanceKm" not in response.json_body["items"][0]


def test_the_category_filter_keeps_events_that_take_it(
    client: Client, coordinator: dict[str, str], origin: dict[str, str]
) -> None:
    create(client, coordinator, categories=["Laptop"])
    kettles = create(client, coordinator, categories=["Kettle"]).json_body

    response = client.http.get("/api/events?category=kettle", headers=origin)

    assert [e["eventId"] for e in response.json_body["items"]] == [kettles["eventId"]]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("postcode=99999", "InvalidPostcode"),
        ("postcode=abcd", "InvalidPostcode"),
        ("postcode=3000&radiusKm=-5", "InvalidRadius"),
        ("postcode=3000&radiusKm=lots", "InvalidRadius"),
        ("category=Spaceship", "UnknownCategory"),
    ],
)
def test_a_bad_event_query_is_a_400(
    client: Client, origin: dict[str, str], query: str, code: str
) -> None:
    response = client.http.get(f"/api/events?{query}", headers=origin)

    assert response.status_code == 400
    assert response.json_body["Code"] == code


def test_an_unknown_event_is_404_no_such_event(client: Client, origin: dict[str, str]) -> None:
    for event_id in ("ev_" + "A" * 22, "nonsense"):
        response = client.http.get(f"/api/events/{event_id}", headers=origin)

        assert response.status_code == 404
        assert response.json_body["Code"] == "NoSuchEvent"


def test_the_calendar_file_parses_back_to_the_event_with_a_stable_uid(
    client: Client, coordinator: dict[str, str], origin: dict[str, str]
) -> None:
    from icalendar import Calendar

    event = create(client, coordinator).json_body
    path = f"/api/events/{event['eventId']}/calendar.ics"

    first = client.http.get(path, headers=origin)
    second = client.http.get(path, headers=origin)

    assert first.status_code == 200
    assert first.headers["Content-Type"].startswith("text/calendar")
    assert first.body == second.body
    [vevent] = Calendar.from_ical(first.body).walk("VEVENT")
    assert str(vevent["uid"]) == f"{event['eventId']}@repairapp"
    assert vevent.decoded("dtstart") == datetime.fromisoformat(event["startsAt"])
    assert vevent.decoded("dtend") == datetime.fromisoformat(event["endsAt"])
    assert "Parochiezaal Sint-Jan" in str(vevent["location"])


def test_a_coordinator_edits_an_event_with_if_match_and_a_stale_version_is_412(
    client: Client, coordinator: dict[str, str]
) -> None:
    event = create(client, coordinator).json_body
    path = f"/api/staff/events/{event['eventId']}"

    edited = client.http.patch(
        path,
        headers={**coordinator, "If-Match": '"1"'},
        body=json.dumps({"capacity": 20, "place": "De Zaal"}),
    )
    stale = client.http.patch(
        path, headers={**coordinator, "If-Match": '"1"'}, body=json.dumps({"capacity": 5})
    )
    missing = client.http.patch(path, headers=coordinator, body=json.dumps({"capacity": 5}))

    assert edited.status_code == 200, edited.body
    assert (edited.json_body["capacity"], edited.json_body["place"]) == (20, "De Zaal")
    assert edited.headers["ETag"] == '"2"'
    assert stale.status_code == 412
    assert missing.status_code == 428


def test_the_staff_list_holds_every_event_newest_first(
    client: Client, coordinator: dict[str, str]
) -> None:
    first = create(client, coordinator, days=2).json_body
    second = create(client, coordinator, days=9).json_body

    response = client.http.get("/api/staff/events", headers=coordinator)

    assert [e["eventId"] for e in response.json_body["items"]] == [
        second["eventId"],
        first["eventId"],
    ]


def test_the_postcode_table_is_the_pinned_packages_data() -> None:
    pytest.importorskip("countrystatecity_postal_codes")
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    spec = importlib.util.spec_from_file_location(
        "belgian_postcodes", root / "scripts/belgian_postcodes.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["belgian_postcodes"] = module
    spec.loader.exec_module(module)

    assert module.TARGET.read_text(encoding="utf-8") == module.render()
