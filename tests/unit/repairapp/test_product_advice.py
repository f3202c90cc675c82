"""Coordinators edit the triage's advice per category: RepairApp's door to SmartRe's catalogue."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.fake_smartre import FakeSmartRe

KETTLE = {
    "category": "Kettle",
    "name": {"en": "Kettle", "nl": "Waterkoker"},
    "typicalRepair": {"en": "Often the switch.", "nl": "Vaak de schakelaar."},
    "commonFaults": {"en": ["Does not heat"], "nl": ["Warmt niet op"]},
}


@pytest.fixture
def kettle(fake_smartre: FakeSmartRe) -> dict[str, Any]:
    return fake_smartre.add_product("kettle", **KETTLE)


def put(client: Client, headers: dict[str, str], body: Any, if_match: str | None = '"1"') -> Any:
    extra = {"If-Match": if_match} if if_match is not None else {}
    return client.http.put(
        "/api/staff/products/kettle", body=json.dumps(body), headers={**headers, **extra}
    )


def test_a_coordinator_lists_the_advice_of_every_category(
    client: Client, coordinator: dict[str, str], kettle: dict[str, Any]
) -> None:
    response = client.http.get("/api/staff/products", headers=coordinator)

    assert response.status_code == 200
    assert response.json_body["items"][0]["typicalRepair"]["nl"] == "Vaak de schakelaar."


def test_a_coordinator_reads_one_entry_with_its_version(
    client: Client, coordinator: dict[str, str], kettle: dict[str, Any]
) -> None:
    response = client.http.get("/api/staff/products/kettle", headers=coordinator)

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'


def test_a_coordinator_saves_new_advice_through_smartres_versioned_update(
    client: Client,
    coordinator: dict[str, str],
    kettle: dict[str, Any],
    fake_smartre: FakeSmartRe,
) -> None:
    changed = {**KETTLE, "commonFaults": {"en": ["Switch clicks off at once", "  "]}}

    response = put(client, coordinator, changed)

    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json_body["commonFaults"] == {"en": ["Switch clicks off at once"]}
    sent = fake_smartre.calls("product")[-1]
    assert (sent.method, sent.headers["if-match"]) == ("PUT", '"1"')


def test_a_stale_version_is_a_412_and_the_other_edit_stands(
    client: Client,
    coordinator: dict[str, str],
    kettle: dict[str, Any],
    fake_smartre: FakeSmartRe,
) -> None:
    # Given another coordinator saved version 2 first
    assert put(client, coordinator, {**KETTLE, "name": {"en": "First"}}).status_code == 200

    # When this one saves on top of version 1
    response = put(client, coordinator, {**KETTLE, "name": {"en": "Second"}})

    # Then it is refused as stale and the first edit is kept
    assert response.status_code == 412
    assert response.json_body["Code"] == "PreconditionFailed"
    assert fake_smartre.products["kettle"]["name"] == {"en": "First"}


def test_a_repairer_may_not_edit_the_advice(
    client: Client, repairer: dict[str, str], kettle: dict[str, Any]
) -> None:
    assert client.http.get("/api/staff/products", headers=repairer).status_code == 403
    response = put(client, repairer, KETTLE)

    assert response.status_code == 403
    assert response.json_body["Code"] == "Forbidden"


def test_an_update_without_if_match_is_428(
    client: Client, coordinator: dict[str, str], kettle: dict[str, Any]
) -> None:
    response = put(client, coordinator, KETTLE, if_match=None)

    assert response.status_code == 428
    assert response.json_body["Code"] == "PreconditionRequired"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**KETTLE, "category": "Spaceship"}, "UnknownCategory"),
        ({**KETTLE, "name": {"nl": "Alleen Nederlands"}}, "MissingField"),
        ({**KETTLE, "name": {"en": "Kettle", "es": "Hervidor"}}, "UnknownField"),
        ({**KETTLE, "typicalRepair": {"en": "x" * 2001}}, "TooLong"),
        ({**KETTLE, "commonFaults": {"en": ["fault"] * 13}}, "InvalidType"),
        ({**KETTLE, "commonFaults": {"en": [3]}}, "InvalidType"),
        ({**KETTLE, "version": 3}, "UnknownField"),
    ],
)
def test_invalid_advice_is_refused_before_smartre_is_called(
    client: Client,
    coordinator: dict[str, str],
    kettle: dict[str, Any],
    fake_smartre: FakeSmartRe,
    body: dict[str, Any],
    code: str,
) -> None:
    response = put(client, coordinator, body)

    assert response.status_code == 400
    assert response.json_body["Code"] == code
    assert [c for c in fake_smartre.calls("product") if c.method == "PUT"] == []


def test_an_unknown_product_is_404(client: Client, coordinator: dict[str, str]) -> None:
    response = client.http.get("/api/staff/products/no-such-thing", headers=coordinator)

    assert response.status_code == 404
    assert response.json_body["Code"] == "ProductNotFound"


def test_only_an_items_name_per_language_passes_the_personal_data_door(aws: Any) -> None:
    from chalicelib.smartre_client import SmartReClient

    client = SmartReClient("http://127.0.0.1:9", lambda: "key")

    with pytest.raises(ValueError, match="personal data"):
        client.update_product("kettle", {**KETTLE, "name": "Mira Janssens"}, 1)
    with pytest.raises(ValueError, match="personal data"):
        client.update_product("kettle", {**KETTLE, "name": {"en": "Kettle", "x": "Mira"}}, 1)
