"""POST /api/images: one presigned upload, pinned key/type/size, short expiry."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

from chalice.test import Client


def post_json(client: Client, path: str, body: object, headers: dict[str, str]) -> object:
    return client.http.post(
        path, body=json.dumps(body), headers={"Content-Type": "application/json", **headers}
    )


def test_upload_policy_admits_one_photo_of_the_declared_type(
    client: Client, auth: dict[str, str]
) -> None:
    response = post_json(client, "/api/images", {"contentType": "image/png"}, auth)

    assert response.status_code == 201  # type: ignore[attr-defined]
    body = response.json_body  # type: ignore[attr-defined]
    policy = json.loads(base64.b64decode(body["fields"]["policy"]))
    key = f"uploads/{body['imageId']}/photo"
    assert body["imageId"].startswith("img_")
    assert {"key": key} in policy["conditions"]
    assert {"Content-Type": "image/png"} in policy["conditions"]
    assert ["content-length-range", 1, 10 * 1024 * 1024] in policy["conditions"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert 0 < (expires - datetime.now(UTC)).total_seconds() <= 300


def test_each_upload_gets_its_own_unguessable_id(client: Client, auth: dict[str, str]) -> None:
    ids = {post_json(client, "/api/images", {}, auth).json_body["imageId"] for _ in range(5)}  # type: ignore[attr-defined]
    assert len(ids) == 5
    assert all(len(i) == len("img_") + 22 for i in ids)


def test_non_image_content_types_are_refused(client: Client, auth: dict[str, str]) -> None:
    response = post_json(client, "/api/images", {"contentType": "image/svg+xml"}, auth)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert response.json_body["Code"] == "UnsupportedImageType"  # type: ignore[attr-defined]


def test_uploads_need_the_service_key(client: Client) -> None:
    assert client.http.post("/api/images").status_code == 401
    wrong = client.http.post("/api/images", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
