"""RepairApp -> SmartRe through their real HTTP APIs on the local stack (``make run``'s)."""

from __future__ import annotations

import base64
import csv
import io
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from localaws.defaults import ACCOUNT_ID
from localaws.stack import LocalStack
from tests.integration.repairapp.conftest import RepairApp
from tests.support.http import Reply, call, upload

DESCRIPTION = "The laptop does not start; the charger light stays off since it fell."


def _labels(stack: LocalStack, analysis_id: str) -> list[dict[str, Any]]:
    assert stack.spec is not None
    ddb = stack._clients()("dynamodb")
    reply = ddb.query(
        TableName=stack.spec.labels_table.name,
        KeyConditionExpression="analysisId = :a",
        ExpressionAttributeValues={":a": {"S": analysis_id}},
    )
    return list(reply["Items"])


def test_a_photo_becomes_a_tracked_request_and_a_fixed_repair_teaches_smartre(
    repairapp: RepairApp, laptop_jpeg: bytes
) -> None:
    # Given a citizen's photo and description, triaged by SmartRe's workflow
    image_id = repairapp.upload_photo(laptop_jpeg)
    triage = repairapp.triage(
        {
            "imageId": image_id,
            "description": DESCRIPTION,
            "productCategory": "Laptop",
            "language": "en",
        }
    )
    assert triage.status == 201, triage.data
    analysis_id = triage.json["analysisId"]

    # When they ask for a repair, and staff accept, repair and close it as fixed
    created = repairapp.submit(analysis_id)
    assert created.status == 201, created.data
    repair_id, token = created.json["repairId"], created.json["trackingToken"]
    staff = repairapp.sign_in("coordinator")
    queue = repairapp.get("/api/repairs?status=submitted&limit=100", **staff)
    assert repair_id in [row["repairId"] for row in queue.json["items"]]
    version = 1
    for status in ("accepted", "in_repair", "fixed"):
        reply = repairapp.patch(
            f"/api/repairs/{repair_id}", {"status": status}, **staff, **{"If-Match": str(version)}
        )
        assert reply.status == 200, reply.data
        version = reply.json["version"]

    # Then the citizen sees the outcome, SmartRe holds one label with the truth, and the
    # statistics and the export include the repair
    tracked = repairapp.get(f"/api/repairs/{repair_id}", **{"X-Tracking-Token": token})
    assert tracked.json["status"] == "fixed"
    assert reply.json["feedbackStatus"] == "sent"
    [label] = _labels(repairapp.stack, analysis_id)
    assert label["truth"]["M"]["outcome"]["S"] == "Fixed"
    assert label["truth"]["M"]["productCategory"]["S"] == "Laptop"
    stats = repairapp.get("/api/stats", **staff).json
    assert stats["byStatus"]["fixed"] >= 1
    export = repairapp.get("/api/export.csv", **staff)
    assert export.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(export.data.decode())))
    assert any(r["product_category"] == "Laptop" and r["repair_status"] == "Fixed" for r in rows)
    assert b"Jonas" not in export.data


def test_no_public_answer_carries_the_account_id(repairapp: RepairApp, laptop_jpeg: bytes) -> None:
    # Given the emulator's account id, which named the photos bucket before issue 18
    account = ACCOUNT_ID.encode()
    answers: dict[str, Reply] = {}

    # When a citizen goes the whole public way: upload, triage, request, tracking, analysis
    ticket = repairapp.post("/api/uploads", {"contentType": "image/jpeg"})
    answers["upload ticket"] = ticket
    answers["upload to S3"] = upload(ticket.json, laptop_jpeg)
    body = {"imageId": ticket.json["imageId"], "description": DESCRIPTION, "language": "en"}
    answers["triage"] = triage = repairapp.triage(body)
    analysis_id = triage.json["analysisId"]
    answers["analysis"] = repairapp.get(
        f"/api/analyses/{analysis_id}", **{"X-Analysis-Token": triage.json["analysisToken"]}
    )
    answers["request"] = created = repairapp.submit(analysis_id)
    answers["tracking"] = repairapp.get(
        f"/api/repairs/{created.json['repairId']}",
        **{"X-Tracking-Token": created.json["trackingToken"]},
    )
    for path in ("/api/health", "/api/vocabulary", "/api/nope", "/api"):
        answers[path] = repairapp.get(path)

    # Then none of them names the account: not in a body, a header, or the signed upload policy
    assert answers["upload ticket"].status == 201
    assert answers["upload to S3"].status in (200, 204)
    assert (answers["triage"].status, answers["request"].status) == (201, 201)
    policy = base64.b64decode(ticket.json["fields"]["policy"])
    assert b"repairapp-local-photos" in policy  # the bucket is named in it, without the account
    assert account not in policy
    for what, reply in answers.items():
        assert account not in reply.data, what
        assert account not in repr(reply.headers).encode(), what


def test_a_direct_call_to_the_api_origin_is_refused(repairapp: RepairApp) -> None:
    direct = call("GET", repairapp.stack.repairapp_url + "/api/vocabulary")
    through_the_site = repairapp.get("/api/vocabulary")

    assert direct.status == 403
    assert direct.json["Code"] == "DirectAccessForbidden"
    assert through_the_site.status == 200


def test_an_analysis_smartre_does_not_have_is_refused(repairapp: RepairApp) -> None:
    reply = repairapp.submit("an_" + "N" * 22)

    assert reply.status == 422
    assert reply.json["Code"] == "AnalysisNotFound"


def test_smartres_photo_errors_reach_the_citizen(repairapp: RepairApp) -> None:
    # A photo slot that was never filled: SmartRe cannot read the photo
    ticket = repairapp.post("/api/uploads", {"contentType": "image/jpeg"})

    reply = repairapp.triage(
        {"imageId": ticket.json["imageId"], "description": DESCRIPTION, "language": "en"}
    )

    assert 400 <= reply.status < 500, reply.data
    assert reply.json["Code"] not in ("ServiceUnavailable", "InternalServerError")


def test_staff_routes_need_a_signed_in_role(repairapp: RepairApp) -> None:
    repairer = repairapp.sign_in("repairer")

    assert repairapp.get("/api/stats").status == 401
    assert repairapp.get("/api/stats", **repairer).status == 200
    assert repairapp.get("/api/export.csv", **repairer).status == 403


def test_of_20_concurrent_updates_through_http_exactly_one_wins(repairapp: RepairApp) -> None:
    # Given a request at version 1 (text-only triage)
    triage = repairapp.triage(
        {"description": DESCRIPTION, "productCategory": "Kettle", "language": "nl"}
    )
    assert triage.status == 201, triage.data
    repair_id = repairapp.submit(triage.json["analysisId"]).json["repairId"]
    staff = repairapp.sign_in("repairer")

    # When 20 staff members save their change of version 1 at once
    def update(i: int) -> int:
        status = "accepted" if i % 2 else "cancelled"
        reply = repairapp.patch(
            f"/api/repairs/{repair_id}", {"status": status}, **staff, **{"If-Match": "1"}
        )
        return reply.status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = Counter(pool.map(update, range(20)))

    # Then exactly one wins
    assert statuses[200] == 1, statuses
    assert statuses[200] + statuses[412] == 20, statuses
