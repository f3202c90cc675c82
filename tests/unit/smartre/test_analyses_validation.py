"""POST /api/analyses refuses bad input with a specific code before any work or write."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

KEY = {"Idempotency-Key": "test-key-0001"}


def analyse(
    client: Client, auth: dict[str, str], body: Any, headers: dict[str, str] | None = None
) -> Any:
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.http.post(
        "/api/analyses",
        body=raw,
        headers={
            "Content-Type": "application/json",
            **auth,
            **(KEY if headers is None else headers),
        },
    )


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ("", 400, "EmptyBody"),
        ("{", 400, "MalformedJson"),
        ("[]", 400, "ExpectedObject"),
        ('{"description": ' * 30 + "1" + "}" * 30, 400, "TooDeeplyNested"),
        ({}, 400, "MissingInput"),
        ({"description": 42}, 400, "InvalidType"),
        ({"description": "x" * 10_000}, 400, "TooLong"),
        ({"description": "x" * 20_000}, 413, "BodyTooLarge"),
        ({"description": "x" * 3000}, 400, "TooLong"),
        ({"description": "broken", "productCategory": "Spaceship"}, 400, "UnknownCategory"),
        ({"description": "broken", "productAgeYears": -1}, 400, "OutOfRange"),
        ({"description": "broken", "productAgeYears": "old"}, 400, "InvalidType"),
        ({"description": "broken", "language": "xx"}, 400, "UnknownLanguage"),
        ({"imageId": "../../etc/passwd"}, 400, "InvalidImageId"),
        ({"imageId": "img_short"}, 400, "InvalidImageId"),
        ({"description": "broken", "colour": "red"}, 400, "UnknownField"),
    ],
)
def test_bad_bodies_are_client_errors(
    client: Client, auth: dict[str, str], body: Any, status: int, code: str
) -> None:
    response = analyse(client, auth, body)

    assert response.status_code == status
    assert response.json_body["Code"] == code


def test_a_missing_idempotency_key_is_refused(client: Client, auth: dict[str, str]) -> None:
    response = analyse(client, auth, {"description": "kettle does not heat"}, headers={})

    assert response.status_code == 400
    assert response.json_body["Code"] == "InvalidIdempotencyKey"


def test_refused_requests_write_nothing(client: Client, auth: dict[str, str], aws: Any) -> None:
    from repaircore import clients

    analyse(client, auth, {"description": "broken", "productAgeYears": -3})
    dynamodb = clients.client("dynamodb")

    for table in ("smartre-local-analyses", "smartre-local-idempotency"):
        assert dynamodb.scan(TableName=table)["Count"] == 0


def test_unknown_analysis_is_404(client: Client, auth: dict[str, str]) -> None:
    for analysis_id in ("an_" + "A" * 22, "nonsense"):
        response = client.http.get(f"/api/analyses/{analysis_id}", headers=auth)
        assert response.status_code == 404
        assert response.json_body["Code"] == "AnalysisNotFound"
