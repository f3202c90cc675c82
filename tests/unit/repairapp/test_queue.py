"""GET /api/repairs: the staff queue, paginated from an index with opaque cursors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]


def _list(client: Client, headers: dict[str, str], query: str = "") -> Any:
    return client.http.get(f"/api/repairs{query}", headers=headers)


def test_the_queue_filters_by_status_oldest_first(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch, no_scans: None
) -> None:
    first, second, accepted = submit(), submit(), submit()
    patch_repair(accepted["repairId"], status="accepted")

    page = _list(client, repairer, "?status=submitted").json_body

    assert [r["repairId"] for r in page["items"]] == [first["repairId"], second["repairId"]]
    assert page["nextCursor"] is None
    assert set(page["items"][0]) == {
        "repairId",
        "status",
        "productCategory",
        "postcode",
        "createdAt",
        "updatedAt",
    }


def test_the_queue_filters_by_category(
    client: Client, repairer: dict[str, str], submit: Submit, no_scans: None
) -> None:
    kettle = submit(inputs={"productCategory": "Kettle"})
    submit(inputs={"productCategory": "Laptop"})

    page = _list(client, repairer, "?category=kettle").json_body

    assert [r["repairId"] for r in page["items"]] == [kettle["repairId"]]


def test_status_and_category_filters_combine(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch, no_scans: None
) -> None:
    kettle = submit(inputs={"productCategory": "Kettle"})
    accepted_kettle = submit(inputs={"productCategory": "Kettle"})
    submit(inputs={"productCategory": "Laptop"})
    patch_repair(accepted_kettle["repairId"], status="accepted")

    page = _list(client, repairer, "?status=submitted&category=Kettle").json_body

    assert [r["repairId"] for r in page["items"]] == [kettle["repairId"]]


def test_pages_follow_the_cursor_across_statuses_until_the_end(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch, no_scans: None
) -> None:
    # Given five requests in two statuses
    created = [submit()["repairId"] for _ in range(5)]
    for repair_id in created[3:]:
        patch_repair(repair_id, status="accepted")

    # When staff page through the unfiltered queue two at a time
    seen: list[str] = []
    cursor = ""
    for _ in range(10):
        page = _list(client, repairer, f"?limit=2&cursor={cursor}").json_body
        assert len(page["items"]) <= 2
        seen += [r["repairId"] for r in page["items"]]
        if page["nextCursor"] is None:
            break
        cursor = page["nextCursor"]

    # Then they see every request once, submitted ones first
    assert seen == created


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?status=lost", "UnknownStatus"),
        ("?category=Spaceship", "UnknownCategory"),
        ("?limit=0", "InvalidLimit"),
        ("?limit=101", "InvalidLimit"),
        ("?limit=ten", "InvalidLimit"),
        ("?limit=" + "9" * 5000, "InvalidLimit"),
        ("?limit=%C2%B2", "InvalidLimit"),
        ("?cursor=not-a-cursor", "InvalidCursor"),
        ("?cursor=" + "A" * 5000, "InvalidCursor"),
    ],
)
def test_bad_queue_parameters_are_400(
    client: Client, repairer: dict[str, str], query: str, code: str
) -> None:
    response = _list(client, repairer, query)

    assert response.status_code == 400
    assert response.json_body["Code"] == code


def test_a_cursor_is_refused_with_other_filters(
    client: Client, repairer: dict[str, str], submit: Submit
) -> None:
    for _ in range(3):
        submit()
    cursor = _list(client, repairer, "?status=submitted&limit=1").json_body["nextCursor"]

    response = _list(client, repairer, f"?status=accepted&cursor={cursor}")

    assert response.status_code == 400
    assert response.json_body["Code"] == "InvalidCursor"


def _forged(payload: dict[str, Any]) -> str:
    import base64
    import json

    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "inner",
    [
        {"repairId": 1, "status": ["submitted"]},  # right keys, wrong types
        {},  # missing keys
        {"x": "y"},  # keys of no index
    ],
)
def test_a_forged_cursor_with_the_right_filters_digest_is_400(
    client: Client, repairer: dict[str, str], submit: Submit, inner: dict[str, Any]
) -> None:
    # Given a real cursor, so the forger knows the format and the filters digest
    for _ in range(2):
        submit()
    real = _list(client, repairer, "?status=submitted&limit=1").json_body["nextCursor"]
    payload, _, signature = real.partition(".")
    import base64
    import json

    outer = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged_inner = _forged(inner)

    # When they send it with another inner key, unsigned or with the real cursor's signature
    for cursor in (
        _forged({**outer, "c": forged_inner}),
        f"{_forged({**outer, 'c': forged_inner})}.{signature}",
        f"{payload}.{signature[:-2]}AA",
    ):
        response = _list(client, repairer, f"?status=submitted&cursor={cursor}")

        # Then each is refused as a cursor, not treated as an outage
        assert response.status_code == 400, cursor
        assert response.json_body["Code"] == "InvalidCursor"
