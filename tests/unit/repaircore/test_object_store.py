"""The S3 adapter: objects, size caps and presigned upload policies."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from botocore.stub import Stubber

from repaircore.errors import InvalidInput, NotFound, PayloadTooLarge, ServiceUnavailable
from repaircore.object_store import ObjectStore

TYPES = ("image/jpeg", "image/png", "image/webp")


@pytest.fixture
def store(s3: Any) -> ObjectStore:
    s3.create_bucket(Bucket="photos", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return ObjectStore(s3, "photos")


def test_put_then_get_and_head_return_the_object(store: ObjectStore) -> None:
    store.put("a/b.jpg", b"\xff\xd8data", content_type="image/jpeg", metadata={"origin": "test"})

    got = store.get("a/b.jpg")
    head = store.head("a/b.jpg")

    assert got.body == b"\xff\xd8data"
    assert head.size == 6
    assert head.content_type == "image/jpeg"
    assert head.metadata == {"origin": "test"}


def test_missing_object_is_not_found(store: ObjectStore) -> None:
    with pytest.raises(NotFound):
        store.get("missing")
    with pytest.raises(NotFound):
        store.head("missing")


def test_get_refuses_objects_over_the_byte_cap(store: ObjectStore) -> None:
    store.put("big", b"x" * 101, content_type="image/jpeg")

    with pytest.raises(PayloadTooLarge) as caught:
        store.get("big", max_bytes=100)

    assert caught.value.code == "ImageTooLarge"


def test_delete_removes_and_tolerates_missing_keys(store: ObjectStore) -> None:
    store.put("k", b"1", content_type="text/plain")
    store.delete("k")
    store.delete("k")
    with pytest.raises(NotFound):
        store.head("k")


def test_presigned_post_policy_admits_exactly_one_key_type_and_size_range(
    store: ObjectStore,
) -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)

    post = store.presigned_post(
        "uploads/img_1/photo",
        content_type="image/png",
        allowed_content_types=TYPES,
        max_bytes=10 * 1024 * 1024,
        expires_in_seconds=300,
        now=now,
    )

    policy = json.loads(base64.b64decode(post.fields["policy"]))
    conditions = policy["conditions"]
    assert {"key": "uploads/img_1/photo"} in conditions
    assert {"Content-Type": "image/png"} in conditions
    assert ["content-length-range", 1, 10 * 1024 * 1024] in conditions
    assert {"bucket": "photos"} in conditions
    assert post.fields["key"] == "uploads/img_1/photo"
    assert post.expires_at == datetime(2026, 11, 27, 12, 5, tzinfo=UTC)
    expiry = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert (expiry - datetime.now(UTC)).total_seconds() <= 300


def test_presigned_post_refuses_other_content_types(store: ObjectStore) -> None:
    with pytest.raises(InvalidInput) as caught:
        store.presigned_post(
            "k", content_type="image/svg+xml", allowed_content_types=TYPES, max_bytes=10
        )
    assert caught.value.code == "UnsupportedImageType"


def test_slow_down_becomes_service_unavailable(s3: Any) -> None:
    store = ObjectStore(s3, "photos")
    with Stubber(s3) as stub:
        stub.add_client_error("head_object", service_error_code="SlowDown", http_status_code=503)
        with pytest.raises(ServiceUnavailable):
            store.head("k")
