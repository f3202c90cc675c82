"""GET /api/images/{id}/link: a five-minute presigned GET of a photo, refused once it is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from chalice.test import Client

IMAGE_ID = "img_" + "L" * 22
PHOTO = b"\xff\xd8\xff photo bytes"


def _store_photo(image_id: str = IMAGE_ID) -> None:
    from chalicelib import resources

    resources.photos().put(f"uploads/{image_id}/photo", PHOTO, content_type="image/jpeg")


def test_a_link_reads_the_photo_for_five_minutes(client: Client, auth: dict[str, str]) -> None:
    # Given a stored photo
    _store_photo()

    # When RepairApp asks for a link
    response = client.http.get(f"/api/images/{IMAGE_ID}/link", headers=auth)

    # Then the link reads exactly that photo, and says when it and the photo expire
    assert response.status_code == 200
    body = response.json_body
    assert body["imageId"] == IMAGE_ID
    assert requests.get(body["url"], timeout=5).content == PHOTO  # moto answers in-process
    query = parse_qs(urlparse(body["url"]).query)
    assert query.get("X-Amz-Expires") == ["300"] or "Expires" in query
    expires = datetime.fromisoformat(body["expiresAt"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 300
    deleted = datetime.fromisoformat(body["deletedAfter"].replace("Z", "+00:00"))
    assert timedelta(days=6, hours=23) < deleted - datetime.now(UTC) <= timedelta(days=7)


def test_without_the_service_key_no_link_is_minted(client: Client, aws: Any) -> None:
    _store_photo()

    response = client.http.get(f"/api/images/{IMAGE_ID}/link")

    assert response.status_code == 401


@pytest.mark.parametrize("image_id", ["img_" + "M" * 22, "not-an-image-id"])
def test_a_deleted_or_unknown_photo_is_404_photo_gone(
    client: Client, auth: dict[str, str], image_id: str
) -> None:
    response = client.http.get(f"/api/images/{image_id}/link", headers=auth)

    assert response.status_code == 404
    assert response.json_body["Code"] == "PhotoGone"


def test_a_photo_past_its_seven_days_is_gone_even_where_the_lifecycle_rule_has_not_run(
    aws: Any,
) -> None:
    from chalicelib.services import images
    from repaircore.errors import NotFound

    _store_photo()
    later = datetime.now(UTC) + timedelta(days=7, minutes=1)

    with pytest.raises(NotFound) as gone:
        images.create_view_link(IMAGE_ID, now=later)

    assert gone.value.code == "PhotoGone"


def test_the_retention_is_the_buckets_lifecycle_rule() -> None:
    from chalicelib.services import images
    from infra.definition import PHOTO_RETENTION_DAYS

    assert images.PHOTO_RETENTION_DAYS == PHOTO_RETENTION_DAYS
