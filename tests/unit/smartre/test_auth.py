"""Only holders of the service key reach SmartRe's protected routes."""

from __future__ import annotations

from typing import Any

from chalice.test import Client

from chalicelib.auth import authorize_service, bearer_token


def test_the_service_key_is_allowed_everywhere(aws: dict[str, Any], service_key: str) -> None:
    verdict = authorize_service(f"Bearer {service_key}")

    assert verdict.routes == ["*"]
    assert verdict.principal_id == "repairapp"


def test_a_wrong_or_missing_key_is_allowed_nowhere(aws: dict[str, Any], service_key: str) -> None:
    for header in (None, "", "Bearer wrong", f"Basic {service_key}", service_key):
        assert authorize_service(header).routes == []


def test_bearer_parsing_ignores_other_schemes() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer   abc ") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token("Bearer ") is None
    assert bearer_token(None) is None


def test_routes_refuse_a_missing_key_with_401_in_the_api_error_shape(client: Client) -> None:
    response = client.http.get("/api/products")

    assert response.status_code == 401
    assert response.json_body["Code"] == "Unauthorized"


def test_routes_refuse_a_wrong_key_with_403(client: Client) -> None:
    response = client.http.get("/api/products", headers={"Authorization": "Bearer wrong"})

    assert response.status_code == 403
    assert response.json_body["Code"] == "Forbidden"
