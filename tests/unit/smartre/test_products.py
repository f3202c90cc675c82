"""The product catalogue: list, read, optimistic updates (If-Match), creation (If-None-Match)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

PRODUCT = {
    "category": "Kettle",
    "name": {"en": "Kettle", "nl": "Waterkoker"},
    "typicalRepair": {"en": "Often the switch or the thermostat.", "nl": "Vaak de schakelaar."},
    "commonFaults": {"en": ["Does not heat"], "nl": ["Warmt niet op"]},
}


def put(client: Client, auth: dict[str, str], product_id: str, body: Any, **headers: str) -> Any:
    return client.http.put(
        f"/api/products/{product_id}",
        body=json.dumps(body),
        headers={"Content-Type": "application/json", **auth, **headers},
    )


@pytest.fixture
def kettle(client: Client, auth: dict[str, str]) -> Any:
    response = put(client, auth, "kettle", PRODUCT, **{"If-None-Match": "*"})
    assert response.status_code == 201
    return response.json_body


def test_create_then_read_returns_the_product_with_its_version(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    response = client.http.get("/api/products/kettle", headers=auth)

    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.json_body["name"]["nl"] == "Waterkoker"
    assert response.json_body["category"] == "Kettle"


def test_update_with_the_current_version_bumps_it(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    changed = {**PRODUCT, "name": {"en": "Electric kettle"}}

    response = put(client, auth, "kettle", changed, **{"If-Match": '"1"'})

    assert response.status_code == 200
    assert response.json_body["version"] == 2
    assert response.json_body["name"] == {"en": "Electric kettle"}


def test_update_with_a_stale_version_is_a_409_and_changes_nothing(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    put(client, auth, "kettle", PRODUCT, **{"If-Match": "1"})

    stale = put(
        client, auth, "kettle", {**PRODUCT, "name": {"en": "Lost update"}}, **{"If-Match": "1"}
    )

    assert stale.status_code == 409
    assert stale.json_body["Code"] == "VersionConflict"
    assert client.http.get("/api/products/kettle", headers=auth).json_body["name"]["en"] == "Kettle"


def test_update_without_if_match_is_refused(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    response = put(client, auth, "kettle", PRODUCT)

    assert response.status_code == 428
    assert response.json_body["Code"] == "PreconditionRequired"


def test_creating_an_existing_product_is_a_conflict(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    response = put(client, auth, "kettle", PRODUCT, **{"If-None-Match": "*"})
    assert response.status_code == 409
    assert response.json_body["Code"] == "ProductExists"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({**PRODUCT, "category": "Spaceship"}, "UnknownCategory"),
        ({**PRODUCT, "name": {"nl": "alleen Nederlands"}}, "MissingField"),
        ({**PRODUCT, "commonFaults": {"en": "not a list"}}, "InvalidType"),
        ({**PRODUCT, "commonFaults": {"en": ["fault"] * 13}}, "InvalidType"),
        ({**PRODUCT, "commonFaults": {"en": ["x" * 201]}}, "InvalidType"),
        ({**PRODUCT, "price": 3}, "UnknownField"),
    ],
)
def test_invalid_products_are_refused(
    client: Client, auth: dict[str, str], body: Any, code: str
) -> None:
    response = put(client, auth, "kettle", body, **{"If-None-Match": "*"})
    assert response.status_code == 400
    assert response.json_body["Code"] == code


def test_a_blank_line_in_the_fault_list_is_a_fault_removed_not_an_error(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    changed = {**PRODUCT, "commonFaults": {"en": ["Does not  heat", "   ", ""]}}

    response = put(client, auth, "kettle", changed, **{"If-Match": '"1"'})

    assert response.status_code == 200
    assert response.json_body["commonFaults"]["en"] == ["Does not heat"]


def test_unknown_products_are_404(client: Client, auth: dict[str, str]) -> None:
    assert client.http.get("/api/products/no-such-thing", headers=auth).status_code == 404
    missing = put(client, auth, "no-such-thing", PRODUCT, **{"If-Match": "1"})
    assert missing.status_code == 404
    assert missing.json_body["Code"] == "ProductNotFound"


def test_the_list_pages_with_a_cursor(client: Client, auth: dict[str, str]) -> None:
    for i in range(3):
        put(client, auth, f"item-{i}", PRODUCT, **{"If-None-Match": "*"})

    first = client.http.get("/api/products?limit=2", headers=auth).json_body
    second = client.http.get(
        f"/api/products?limit=2&cursor={first['nextCursor']}", headers=auth
    ).json_body

    ids = [p["productId"] for p in first["items"] + second["items"]]
    assert sorted(ids) == ["item-0", "item-1", "item-2"]


def test_advice_carries_every_language_so_the_spa_can_switch(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    from chalicelib.services import catalogue

    catalogue.reset_cache()
    advice = catalogue.advice_for("Kettle", "nl")

    assert advice is not None
    assert advice["typicalRepair"] == "Vaak de schakelaar."
    assert set(advice["translations"]) == {"en", "nl", "fr", "de"}
    assert advice["translations"]["en"]["commonFaults"] == ["Does not heat"]
    # A language the coordinators have not written yet falls back to English.
    assert advice["translations"]["fr"]["name"] == "Kettle"


def test_the_next_advice_shows_an_edit_saved_by_another_container(
    client: Client, auth: dict[str, str], kettle: Any
) -> None:
    from chalicelib import resources
    from chalicelib.services import catalogue

    # Given a warm cache (as in a workflow Lambda)
    catalogue.reset_cache()
    assert (
        catalogue.advice_for("Kettle", "en")["typicalRepair"]
        == "Often the switch or the thermostat."
    )

    # When another container saves new text (its reset_cache does not reach this one)
    resources.products().update_versioned(
        {"productId": "kettle"}, {"typicalRepair": {"en": "Descale first."}}, expected_version=1
    )

    # Then the next advice shows it
    assert catalogue.advice_for("Kettle", "en")["typicalRepair"] == "Descale first."
