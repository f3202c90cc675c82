"""chalice local's authorizer refusals carry production's gateway-response bodies."""

from __future__ import annotations

import json
from pathlib import Path

import chalice.local
import pytest
from chalice import AuthResponse, Chalice
from chalice.app import AuthRequest
from chalice.test import Client

from infra.gateway_responses import GATEWAY_RESPONSES
from localaws.patches import chalice_local_gateway_responses


def test_refusals_use_the_apps_error_shape(unpatch_after: None) -> None:
    chalice_local_gateway_responses.apply()

    unauthorized = chalice.local.NotAuthorizedError({}, b'{"message":"Unauthorized"}')
    forbidden = chalice.local.ForbiddenError({}, b'{"Message": "User is not authorized"}')

    assert json.loads(unauthorized.body) == {
        "Code": "Unauthorized",
        "Message": GATEWAY_RESPONSES["UNAUTHORIZED"].message,
    }
    assert json.loads(forbidden.body)["Code"] == "Forbidden"
    assert unauthorized.CODE == 401
    assert forbidden.CODE == 403


def test_chalice_still_raises_these_classes_from_its_authorizer() -> None:
    # If chalice renames them, the patch above silently stops mattering: fail loudly instead.
    source = Path(chalice.local.__file__).read_text(encoding="utf-8")
    assert "raise NotAuthorizedError(" in source
    assert "raise ForbiddenError(" in source
    # ... and that an unknown path is still the route matcher's ValueError, caught around the
    # method the patch wraps.
    assert "lambda_event = self._generate_lambda_event(" in source
    assert 'raise ValueError("No matching route found for' in source


def _demo_app() -> Chalice:
    app = Chalice("demo")

    @app.authorizer()
    def staff(auth_request: AuthRequest) -> AuthResponse:
        return AuthResponse(routes=[], principal_id="nobody")  # allows no route

    @app.route("/api/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    @app.route("/api/staff", authorizer=staff)
    def staff_only() -> dict[str, bool]:
        return {"ok": True}

    return app


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/", "/nope"])
def test_an_unknown_path_is_a_404_no_such_route_as_on_aws(unpatch_after: None, path: str) -> None:
    # Given chalice local with production's gateway responses
    chalice_local_gateway_responses.apply()

    with Client(_demo_app()) as client:
        # When a path no route has is asked for, without and with a bearer token
        replies = [
            client.http.get(path),
            client.http.post(path, headers={"Authorization": "Bearer abc"}, body=b"{}"),
        ]

    # Then it is MISSING_AUTHENTICATION_TOKEN's answer (404 NoSuchRoute), not a credential's 403
    for reply in replies:
        assert reply.status_code == 404
        assert reply.headers["Content-Type"] == "application/json"
        assert json.loads(reply.body) == {
            "Code": "NoSuchRoute",
            "Message": GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"].message,
        }


def test_known_routes_and_authorizer_refusals_are_unchanged(unpatch_after: None) -> None:
    chalice_local_gateway_responses.apply()

    with Client(_demo_app()) as client:
        known = client.http.get("/api/health")
        refused = client.http.get("/api/staff", headers={"Authorization": "Bearer abc"})

    assert known.status_code == 200
    assert refused.status_code == 403
    assert json.loads(refused.body)["Code"] == "Forbidden"
