"""GET /api/staff/repairs/{id}/photo: staff, and only staff, get a short-lived link to the photo."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.fake_smartre import FakeSmartRe

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]
IMAGE_ID = "img_" + "P" * 22


def _photo(client: Client, headers: dict[str, str], repair_id: str) -> Any:
    return client.http.get(f"/api/staff/repairs/{repair_id}/photo", headers=headers)


def test_staff_get_a_short_lived_link_to_the_photo(
    client: Client, repairer: dict[str, str], submit: Submit, fake_smartre: FakeSmartRe
) -> None:
    created = submit(inputs={"imageId": IMAGE_ID, "description": "It smells burnt"})

    response = _photo(client, repairer, created["repairId"])

    assert response.status_code == 200
    assert f"/uploads/{IMAGE_ID}/photo" in response.json_body["url"]
    assert set(response.json_body) == {"url", "expiresAt", "deletedAfter"}
    assert [r.path for r in fake_smartre.calls("image-link")] == [f"/api/images/{IMAGE_ID}/link"]


def test_staff_see_the_persons_description(
    client: Client, repairer: dict[str, str], submit: Submit
) -> None:
    created = submit(inputs={"imageId": IMAGE_ID, "description": "It smells burnt"})

    staff = client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)

    assert staff.json_body["analysis"]["inputs"]["description"] == "It smells burnt"


@pytest.mark.parametrize("who", ["visitor", "no_role"])
def test_no_one_but_staff_can_mint_a_photo_link(
    client: Client,
    origin: dict[str, str],
    no_role: dict[str, str],
    submit: Submit,
    fake_smartre: FakeSmartRe,
    who: str,
) -> None:
    created = submit(inputs={"imageId": IMAGE_ID})
    headers = (
        {**origin, "X-Tracking-Token": created["trackingToken"]} if who == "visitor" else no_role
    )

    response = _photo(client, headers, created["repairId"])

    assert response.status_code == (401 if who == "visitor" else 403)
    assert fake_smartre.calls("image-link") == []


def test_a_request_without_a_photo_is_404_no_photo(
    client: Client, repairer: dict[str, str], submit: Submit
) -> None:
    created = submit()

    response = _photo(client, repairer, created["repairId"])

    assert response.status_code == 404
    assert response.json_body["Code"] == "NoPhoto"


def test_an_expired_photo_is_404_photo_gone(
    client: Client, repairer: dict[str, str], submit: Submit, fake_smartre: FakeSmartRe
) -> None:
    created = submit(inputs={"imageId": IMAGE_ID})
    fake_smartre.gone_images.add(IMAGE_ID)

    response = _photo(client, repairer, created["repairId"])

    assert response.status_code == 404
    assert response.json_body["Code"] == "PhotoGone"


def test_a_closed_request_has_no_photo_left(
    client: Client,
    repairer: dict[str, str],
    submit: Submit,
    patch_repair: Patch,
    fake_smartre: FakeSmartRe,
) -> None:
    created = submit(inputs={"imageId": IMAGE_ID})
    patch_repair(created["repairId"], status="cancelled")

    response = _photo(client, repairer, created["repairId"])

    assert response.status_code == 404
    assert response.json_body["Code"] == "PhotoGone"
    assert fake_smartre.calls("image-link") == []


def test_an_unknown_request_is_404_not_found(client: Client, repairer: dict[str, str]) -> None:
    response = _photo(client, repairer, "rp_" + "Q" * 22)

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"
