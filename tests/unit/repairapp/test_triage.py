"""Uploads, triage and analyses: validated here, answered by SmartRe, passed through unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import new_key
from tests.unit.repairapp.fake_smartre import FakeSmartRe

TRIAGE = {
    "imageId": "img_" + "A" * 22,
    "description": "The laptop does not start any more; the charger light stays off.",
    "productCategory": "laptop",
    "brand": "Lenovo",
    "productAgeYears": 4,
    "language": "nl",
}


def _triage(client: Client, origin: dict[str, str], body: Any, key: str | None = None) -> Any:
    return client.http.post(
        "/api/triage",
        headers={**origin, "Idempotency-Key": key or new_key()},
        body=body if isinstance(body, str) else json.dumps(body),
    )


def test_an_upload_slot_comes_from_smartre(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    response = client.http.post(
        "/api/uploads", headers=origin, body=json.dumps({"contentType": "image/png"})
    )

    assert response.status_code == 201
    assert set(response.json_body) == {"imageId", "url", "fields", "maxBytes", "expiresAt"}
    [call] = fake_smartre.calls("images")
    assert json.loads(call.body) == {"contentType": "image/png"}


def test_an_upload_of_another_type_is_refused(client: Client, origin: dict[str, str]) -> None:
    response = client.http.post(
        "/api/uploads", headers=origin, body=json.dumps({"contentType": "image/svg+xml"})
    )

    assert response.status_code == 400
    assert response.json_body["Code"] == "UnsupportedImageType"


def test_triage_returns_smartres_analysis_for_the_validated_request(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    response = _triage(client, origin, TRIAGE)

    assert response.status_code == 201
    analysis = response.json_body
    assert analysis["analysisId"].startswith("an_")
    assert analysis["productCategory"]["label"] == "Laptop"
    [call] = fake_smartre.calls("analyses")
    assert json.loads(call.body) == {**TRIAGE, "productCategory": "Laptop"}


def test_a_retried_triage_returns_the_same_analysis(client: Client, origin: dict[str, str]) -> None:
    key = new_key()
    first = _triage(client, origin, TRIAGE, key)

    again = _triage(client, origin, TRIAGE, key)

    assert again.status_code == 201
    assert again.json_body["analysisId"] == first.json_body["analysisId"]
    assert again.headers["Idempotent-Replayed"] == "true"


def test_a_reused_triage_key_with_another_body_is_422(
    client: Client, origin: dict[str, str]
) -> None:
    key = new_key()
    _triage(client, origin, TRIAGE, key)

    response = _triage(client, origin, {**TRIAGE, "brand": "Dell"}, key)

    assert response.status_code == 422
    assert response.json_body["Code"] == "IdempotencyKeyReused"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({**TRIAGE, "description": "x" * 10_000}, 400, "TooLong"),
        ({**TRIAGE, "description": "hi"}, 400, "TooShort"),
        ({k: v for k, v in TRIAGE.items() if k != "description"}, 400, "MissingField"),
        ({**TRIAGE, "productCategory": "Spaceship"}, 400, "UnknownCategory"),
        ({**TRIAGE, "productAgeYears": -1}, 400, "OutOfRange"),
        ({**TRIAGE, "productAgeYears": "four"}, 400, "InvalidType"),
        ({**TRIAGE, "language": "es"}, 400, "UnknownLanguage"),
        ({**TRIAGE, "imageId": "../../secrets"}, 400, "InvalidImageId"),
        ({**TRIAGE, "extra": 1}, 400, "UnknownField"),
        ("[" * 50 + "]" * 50, 400, "TooDeeplyNested"),
        ("{not json", 400, "MalformedJson"),
        ("[]", 400, "ExpectedObject"),
        ("", 400, "EmptyBody"),
        (json.dumps({**TRIAGE, "description": "x" * 20_000}), 413, "BodyTooLarge"),
    ],
    ids=[
        "description-10kB",
        "description-too-short",
        "description-missing",
        "unknown-category",
        "negative-age",
        "age-not-a-number",
        "unknown-language",
        "image-id-malformed",
        "unknown-field",
        "deeply-nested",
        "malformed-json",
        "not-an-object",
        "empty-body",
        "body-over-16kB",
    ],
)
def test_bad_triage_input_is_refused_before_smartre_is_called(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    body: Any,
    status: int,
    code: str,
) -> None:
    response = _triage(client, origin, body)

    assert response.status_code == status
    assert response.json_body["Code"] == code
    assert fake_smartre.calls("analyses") == []


@pytest.mark.parametrize(
    ("status", "code"),
    [(413, "ImageTooLarge"), (415, "UnsupportedImageType"), (422, "CorruptImage")],
)
def test_smartres_photo_errors_reach_the_citizen_as_they_are(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, status: int, code: str
) -> None:
    fake_smartre.fail("analyses", status, {"Code": code, "Message": "the photo cannot be used"})

    response = _triage(client, origin, TRIAGE)

    assert response.status_code == status
    assert response.json_body == {"Code": code, "Message": "the photo cannot be used"}


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429, 401])
def test_smartre_failing_is_a_503_with_a_retry_hint(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, status: int
) -> None:
    fake_smartre.fail("analyses", status)

    response = _triage(client, origin, TRIAGE)

    assert response.status_code == 503
    assert response.json_body["Code"] == "ServiceUnavailable"
    assert int(response.headers["Retry-After"]) >= 1


def test_smartre_timing_out_is_a_503(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    short_smartre_timeouts: None,
) -> None:
    fake_smartre.delays["analyses"] = 1.0

    response = _triage(client, origin, TRIAGE)

    assert response.status_code == 503
    assert response.json_body["Code"] == "ServiceUnavailable"
    assert "Retry-After" in response.headers


def test_an_analysis_is_read_back_by_id_with_its_token(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    # Given a triage answer, which carries the analysis's token
    created = _triage(client, origin, TRIAGE).json_body
    token = created.pop("analysisToken")

    # When it is read back with the token
    response = client.http.get(
        f"/api/analyses/{created['analysisId']}", headers={**origin, "X-Analysis-Token": token}
    )

    # Then it is the same analysis (and the token is not repeated)
    assert response.status_code == 200
    assert response.json_body == created


@pytest.mark.parametrize(
    "token", [None, "", "A" * 43, "other"], ids=["none", "empty", "wrong", "another-analysis"]
)
def test_an_analysis_without_its_token_is_404_and_smartre_is_not_asked(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, token: str | None
) -> None:
    # Given an analysis of someone else (its description is personal data)
    created = _triage(client, origin, TRIAGE).json_body
    other = _triage(client, origin, {**TRIAGE, "description": "Another kettle, another person"})
    if token == "other":
        token = other.json_body["analysisToken"]
    headers = origin if token is None else {**origin, "X-Analysis-Token": token}
    asked = len(fake_smartre.calls("analysis"))

    response = client.http.get(f"/api/analyses/{created['analysisId']}", headers=headers)

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"
    assert len(fake_smartre.calls("analysis")) == asked


@pytest.mark.parametrize("analysis_id", ["an_" + "Q" * 22, "not-an-id"])
def test_an_unknown_analysis_is_404(
    client: Client, origin: dict[str, str], analysis_id: str
) -> None:
    response = client.http.get(
        f"/api/analyses/{analysis_id}", headers={**origin, "X-Analysis-Token": "A" * 43}
    )

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"


def test_the_vocabulary_is_the_open_repair_data_standard(
    client: Client, origin: dict[str, str]
) -> None:
    response = client.http.get("/api/vocabulary", headers=origin)

    assert response.status_code == 200
    vocabulary = response.json_body
    assert len(vocabulary["categories"]) == 46
    assert "Unpowered - Textile" in vocabulary["categories"]
    assert vocabulary["outcomes"] == ["Fixed", "Repairable", "End of life"]
    assert "Spare parts not available" in vocabulary["barriers"]
    assert sorted(vocabulary["languages"]) == ["de", "en", "fr", "nl"]


def test_the_smartre_client_refuses_to_send_contact_fields(aws: Any) -> None:
    from chalicelib.smartre_client import SmartReClient

    client = SmartReClient("http://127.0.0.1:9", lambda: "key")

    with pytest.raises(ValueError, match="personal data"):
        client.create_analysis({"description": "broken", "email": "a@b.be"}, "key-12345678")
