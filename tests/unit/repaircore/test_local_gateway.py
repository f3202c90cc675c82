"""Under `chalice local` each app answers API Gateway's refusals in the `{Code, Message}` shape."""

from __future__ import annotations

import json
from collections.abc import Iterator

import chalice.local
import pytest
from chalice import Chalice
from chalice.test import Client

from repaircore.gateway_responses import GATEWAY_RESPONSES
from repaircore.local_gateway import use_gateway_responses


@pytest.fixture
def restore_chalice_local() -> Iterator[None]:
    saved = {
        cls: dict(vars(cls))
        for cls in (
            chalice.local.ForbiddenError,
            chalice.local.NotAuthorizedError,
            chalice.local.LocalGateway,
        )
    }
    yield
    for cls, attributes in saved.items():
        for name in set(vars(cls)) - set(attributes):
            delattr(cls, name)
        for name in ("__init__", "_generate_lambda_event"):
            if name in attributes:
                setattr(cls, name, attributes[name])


def test_nothing_changes_outside_the_chalice_cli(restore_chalice_local: None) -> None:
    assert use_gateway_responses({}) is False

    refused = chalice.local.ForbiddenError({}, b'{"message": "Missing Authentication Token"}')

    assert refused.body == b'{"message": "Missing Authentication Token"}'


def test_under_the_chalice_cli_refusals_carry_the_gateway_responses(
    restore_chalice_local: None,
) -> None:
    assert use_gateway_responses({"AWS_CHALICE_CLI_MODE": "true"}) is True
    assert use_gateway_responses({"AWS_CHALICE_CLI_MODE": "true"}) is True  # twice is harmless

    refused = chalice.local.ForbiddenError({}, b'{"Message": "User is not authorized"}')
    no_key = chalice.local.NotAuthorizedError({}, b'{"message":"Unauthorized"}')

    assert json.loads(refused.body) == {
        "Code": GATEWAY_RESPONSES["ACCESS_DENIED"].code,
        "Message": GATEWAY_RESPONSES["ACCESS_DENIED"].message,
    }
    assert refused.headers["Content-Type"] == "application/json"
    assert json.loads(no_key.body)["Code"] == "Unauthorized"


@pytest.mark.parametrize("path", ["/api/nope", "/api", "/api/health/extra"])
def test_under_the_chalice_cli_an_unknown_path_is_a_404_no_such_route(
    restore_chalice_local: None, path: str
) -> None:
    # Given an app with one route, served as `chalice local` serves it
    app = Chalice("demo")

    @app.route("/api/health")
    def health() -> dict[str, bool]:
        return {"ok": True}

    use_gateway_responses({"AWS_CHALICE_CLI_MODE": "true"})
    use_gateway_responses({"AWS_CHALICE_CLI_MODE": "true"})  # twice is harmless
    with Client(app) as client:
        # When a path no route has is asked for, with or without a credential
        bare = client.http.get(path)
        with_token = client.http.get(path, headers={"Authorization": "Bearer abc"})
        known = client.http.get("/api/health")

    # Then API Gateway's MISSING_AUTHENTICATION_TOKEN answer comes back, as production sets it
    for reply in (bare, with_token):
        assert reply.status_code == 404
        assert reply.headers["Content-Type"] == "application/json"
        assert json.loads(reply.body) == {"Code": "NoSuchRoute", "Message": "No such route."}
    assert known.status_code == 200
