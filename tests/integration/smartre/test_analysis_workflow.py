"""The real analysis workflow (ASL + task code + trained models) on the embedded AWS.

Requests go to SmartRe's HTTP API under chalice local; the API starts the Express state machine
with StartSyncExecution; the emulator runs the ASL and invokes the Lambda tasks in warm workers.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.integration.smartre.conftest import SmartRe

DESCRIPTION = "The laptop does not start any more, the screen stays black"


@pytest.fixture(scope="module")
def laptop_jpeg(photos: Path) -> bytes:
    return (photos / "laptop" / sorted(os.listdir(photos / "laptop"))[0]).read_bytes()


@pytest.fixture
def no_faults(smartre: SmartRe) -> Iterator[None]:
    yield
    assert smartre.stack.emulator is not None
    smartre.stack.emulator.clear_faults()


def assert_complete_analysis(analysis: dict[str, Any]) -> None:
    outcome = analysis["outcome"]
    assert abs(outcome["fixed"] + outcome["repairable"] + outcome["endOfLife"] - 1) < 1e-3
    assert outcome["predicted"] in {"Fixed", "Repairable", "End of life"}
    assert analysis["analysisId"].startswith("an_")


def test_photo_and_text_give_a_category_and_an_outcome(
    smartre: SmartRe, laptop_jpeg: bytes
) -> None:
    image_id = smartre.upload_photo(laptop_jpeg)

    reply = smartre.analyse({"imageId": image_id, "description": DESCRIPTION, "language": "en"})

    assert reply.status == 201, reply.data
    analysis = reply.json
    assert_complete_analysis(analysis)
    assert analysis["partial"] is False
    category = analysis["productCategory"]
    assert len(category["top3"]) == 3
    assert "Laptop" in [c["label"] for c in category["top3"]]
    assert analysis["modelVersions"]["image"]
    assert analysis["timings"]["photoMs"] is not None
    assert smartre.get(f"/api/analyses/{analysis['analysisId']}").json == analysis


def test_text_only_skips_the_photo_branch(smartre: SmartRe) -> None:
    reply = smartre.analyse(
        {"description": "Kettle does not heat up, light stays off", "productCategory": "Kettle"}
    )

    assert reply.status == 201, reply.data
    assert reply.json["productCategory"] is None
    assert reply.json["partial"] is False
    assert_complete_analysis(reply.json)


def test_photo_only_still_gives_an_outcome(smartre: SmartRe, laptop_jpeg: bytes) -> None:
    reply = smartre.analyse({"imageId": smartre.upload_photo(laptop_jpeg)})

    assert reply.status == 201, reply.data
    assert reply.json["productCategory"] is not None
    assert_complete_analysis(reply.json)


def test_a_failing_branch_gives_a_partial_answer(
    smartre: SmartRe, laptop_jpeg: bytes, no_faults: None
) -> None:
    image_id = smartre.upload_photo(laptop_jpeg)
    assert smartre.stack.emulator is not None
    smartre.stack.emulator.inject_faults(
        [{"service": "s3", "operation": "GetObject", "error": "InternalError", "rate": 1.0}]
    )

    reply = smartre.analyse({"imageId": image_id, "description": DESCRIPTION})

    assert reply.status == 201, reply.data
    assert reply.json["partial"] is True
    assert reply.json["productCategory"] is None
    assert reply.json["missing"][0]["part"] == "productCategory"
    assert_complete_analysis(reply.json)


def test_a_transient_error_is_retried_by_the_workflow(
    smartre: SmartRe, laptop_jpeg: bytes, no_faults: None
) -> None:
    image_id = smartre.upload_photo(laptop_jpeg)
    assert smartre.stack.emulator is not None
    # Three failures exhaust the SDK's own retries inside the first task attempt; the ASL Retry
    # then runs the task again, which succeeds.
    smartre.stack.emulator.inject_faults(
        [{"service": "s3", "operation": "GetObject", "error": "InternalError", "limit": 3}]
    )

    reply = smartre.analyse({"imageId": image_id, "description": DESCRIPTION})

    assert reply.status == 201, reply.data
    assert reply.json["partial"] is False
    assert smartre.stack.emulator.fault_counts()["rules"][0]["injected"] == 3


def _png_bomb() -> bytes:
    buffer = io.BytesIO()
    Image.new("1", (8000, 7500)).save(buffer, "PNG", optimize=True)  # 60 MP, a few kB
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "make", "status", "code"),
    [
        ("truncated JPEG", lambda jpeg: jpeg[: len(jpeg) // 3], 422, "CorruptImage"),
        (
            "text renamed .jpg",
            lambda jpeg: b"just some text, not a photo\n" * 20,
            415,
            "UnsupportedImageType",
        ),
        ("60-megapixel PNG bomb", lambda jpeg: _png_bomb(), 413, "TooManyPixels"),
        (
            "11 MB upload",
            lambda jpeg: jpeg[:4] + os.urandom(11 * 1024 * 1024),
            413,
            "ImageTooLarge",
        ),
    ],
)
def test_bad_photos_are_client_errors_and_store_nothing(
    smartre: SmartRe, laptop_jpeg: bytes, name: str, make: Any, status: int, code: str
) -> None:
    before = smartre.stored_analyses()
    image_id = smartre.upload_photo(make(laptop_jpeg))

    reply = smartre.analyse({"imageId": image_id, "description": DESCRIPTION})

    assert (reply.status, reply.json["Code"]) == (status, code), name
    assert smartre.stored_analyses() == before


def test_a_photo_that_was_never_uploaded_is_refused(smartre: SmartRe) -> None:
    ticket = smartre.post("/api/images", {})

    reply = smartre.analyse({"imageId": ticket.json["imageId"]})

    assert (reply.status, reply.json["Code"]) == (422, "ImageNotFound")


def test_concurrent_requests_with_one_key_make_one_analysis(smartre: SmartRe) -> None:
    before = smartre.stored_analyses()
    replies: list[Any] = []

    def send() -> None:
        replies.append(
            smartre.analyse(
                {"description": "Toaster sparks when switched on"}, key="same-key-000001"
            )
        )

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert [r.status for r in replies] == [201, 201]
    assert replies[0].json["analysisId"] == replies[1].json["analysisId"]
    assert smartre.stored_analyses() == before + 1


def test_a_stored_analysis_expires_after_the_retention_period(smartre: SmartRe) -> None:
    # An analysis holds what a person typed: DynamoDB's TTL removes it on its own
    import time

    before = int(time.time())
    reply = smartre.analyse({"description": DESCRIPTION, "language": "en"})
    assert reply.status == 201, reply.data

    ddb = smartre.stack._clients()("dynamodb")
    table = smartre.stack.spec.analyses_table.name
    item = ddb.get_item(TableName=table, Key={"analysisId": {"S": reply.json["analysisId"]}})
    expires = int(item["Item"]["expiresAt"]["N"])
    period = 90 * 86400  # smartre/chalicelib/services/retention.py, docs/reliability.md
    assert before + period <= expires <= int(time.time()) + period
    ttl = ddb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED"
    assert ttl["AttributeName"] == "expiresAt"
