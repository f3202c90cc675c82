"""A repair-café event on the whole local stack: plan, book, mail, check in, outcome, export.

Everything goes over HTTP through the CloudFront emulator; the confirmation mail is read from
the embedded AWS's SES, and the walk-in's triage is the real SmartRe workflow, run after the
answer.
"""

from __future__ import annotations

import csv
import io
import time
import uuid
from datetime import datetime
from typing import Any

from localaws.stack import LocalStack
from tests.integration.repairapp.conftest import RepairApp
from tests.support.events import event_body


def _mail_to(stack: LocalStack, address: str) -> list[dict[str, Any]]:
    assert stack.emulator is not None
    return stack.emulator.sent_mail(to=address)  # a signed read: the mailbox is personal data


def test_a_visitor_books_an_event_and_the_table_logs_the_outcome(
    repairapp: RepairApp, stack: LocalStack
) -> None:
    # Given a coordinator's event next week in Leuven
    coordinator = repairapp.sign_in("coordinator")
    repairer = repairapp.sign_in("repairer")
    leuven = event_body()
    starts = datetime.fromisoformat(leuven["startsAt"])
    event = repairapp.post("/api/staff/events", leuven, **coordinator)
    assert event.status == 201, event.data
    event_id = event.json["eventId"]
    listed = repairapp.get("/api/events?postcode=3010")
    assert event_id in [e["eventId"] for e in listed.json["items"]]

    # When a visitor triages their kettle and books the event with the request
    address = f"events.{uuid.uuid4().hex[:8]}@example.be"
    triage = repairapp.triage(
        {
            "description": "De waterkoker slaat meteen af",
            "productCategory": "Kettle",
            "language": "nl",
        }
    )
    assert triage.status == 201, triage.data
    created = repairapp.submit(
        triage.json["analysisId"],
        eventId=event_id,
        contact={"name": "Jonas Peeters", "email": address},
    )
    assert created.status == 201, created.data
    repair_id, token = created.json["repairId"], created.json["trackingToken"]

    # Then the booking mail with the calendar link arrived
    mails = _mail_to(stack, address)
    assert any(f"/api/events/{event_id}/calendar.ics" in m["body"] for m in mails), mails

    # When a repairer checks the visitor in and logs "End of life — spare parts not available"
    checked = repairapp.post(
        f"/api/staff/events/{event_id}/checkins", {"repairId": repair_id}, **repairer
    )
    assert checked.status == 200, checked.data
    assert checked.json["ticket"] == 1
    saved = repairapp.patch(
        f"/api/repairs/{repair_id}",
        {"status": "end_of_life", "barrier": "Spare parts not available"},
        **repairer,
        **{"If-Match": str(checked.json["version"])},
    )
    assert saved.status == 200, saved.data

    # Then the tracking page shows it, and the export carries the event's group and date
    tracked = repairapp.get(f"/api/repairs/{repair_id}", **{"X-Tracking-Token": token}).json
    assert tracked["status"] == "end_of_life"
    assert tracked["booking"]["ticket"] == 1
    export = repairapp.get("/api/export.csv", **coordinator)
    rows = list(csv.DictReader(io.StringIO(export.data.decode())))
    assert any(
        r["group_identifier"] == "Repair Café Leuven"
        and r["event_date"] == starts.date().isoformat()
        for r in rows
    )


def test_a_walk_in_is_answered_at_once_and_triaged_by_smartre_afterwards(
    repairapp: RepairApp,
) -> None:
    coordinator = repairapp.sign_in("coordinator")
    gent = event_body(
        days=2,
        groupIdentifier="Repair Café Gent",
        place="Buurtcentrum",
        address="Kouter 1",
        postcode="9000",
        capacity=5,
        categories=["Lamp"],
    )
    event_id = repairapp.post("/api/staff/events", gent, **coordinator).json["eventId"]

    walked = repairapp.post(
        f"/api/staff/events/{event_id}/walk-ins",
        {"description": "The lamp flickers when I touch the cable", "language": "en"},
        **coordinator,
        **{"Idempotency-Key": repairapp.key()},
    )

    assert walked.status == 201, walked.data
    assert "likelyOutcome" not in walked.json
    deadline = time.monotonic() + 60
    while True:
        items = repairapp.get(f"/api/staff/events/{event_id}/items", **coordinator).json["items"]
        [item] = items
        if "likelyOutcome" in item or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert item["likelyOutcome"] in ("Fixed", "Repairable", "End of life")
