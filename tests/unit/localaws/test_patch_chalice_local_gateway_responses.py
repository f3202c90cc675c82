"""chalice local's authorizer refusals carry production's gateway-response bodies."""

from __future__ import annotations

import json
from pathlib import Path

import chalice.local

from infra.gateway_responses import GATEWAY_RESPONSES
from localaws.patches import chalice_local_gateway_responses


def test_refusals_use_the_apps_error_shape() -> None:
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
