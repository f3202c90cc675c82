"""Under `chalice local` each app answers API Gateway's refusals in the `{Code, Message}` shape."""

from __future__ import annotations

import json
from collections.abc import Iterator

import chalice.local
import pytest

from repaircore.gateway_responses import GATEWAY_RESPONSES
from repaircore.local_gateway import use_gateway_responses


@pytest.fixture
def restore_chalice_local() -> Iterator[None]:
    saved = {
        cls: dict(vars(cls))
        for cls in (chalice.local.ForbiddenError, chalice.local.NotAuthorizedError)
    }
    yield
    for cls, attributes in saved.items():
        for name in set(vars(cls)) - set(attributes):
            delattr(cls, name)
        for name in ("__init__",):
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

    no_route = chalice.local.ForbiddenError({}, b'{"message": "Missing Authentication Token"}')
    no_key = chalice.local.NotAuthorizedError({}, b'{"message":"Unauthorized"}')

    assert json.loads(no_route.body) == {
        "Code": GATEWAY_RESPONSES["ACCESS_DENIED"].code,
        "Message": GATEWAY_RESPONSES["ACCESS_DENIED"].message,
    }
    assert no_route.headers["Content-Type"] == "application/json"
    assert json.loads(no_key.body)["Code"] == "Unauthorized"
