"""chalice local answers authorizer refusals with API Gateway's *default* bodies.

Covers: ``chalice.local.NotAuthorizedError`` (401, body ``{"message":"Unauthorized"}``) and
``chalice.local.ForbiddenError`` (403, ``{"Message": "User is not authorized..."}``), raised by
``LocalGatewayAuthorizer`` and turned into responses by both the dev server and
``chalice.test.Client``. Production installs custom gateway responses (``infra.gateway_responses``),
so locally the same bodies are substituted here: clients see one error shape everywhere.
"""

from __future__ import annotations

from typing import Any

import chalice.local

from infra.gateway_responses import GATEWAY_RESPONSES
from localaws.patches._patching import original, replace_attribute

_TARGETS = {
    "NotAuthorizedError": GATEWAY_RESPONSES["UNAUTHORIZED"],
    "ForbiddenError": GATEWAY_RESPONSES["ACCESS_DENIED"],
}


def _init_with(response_body: bytes, owner: type) -> Any:
    def __init__(self: Any, headers: dict[str, str], body: bytes) -> None:  # noqa: N807
        original(owner, "__init__")(
            self, {**headers, "Content-Type": "application/json"}, response_body
        )

    return __init__


def apply() -> None:
    for name, response in _TARGETS.items():
        owner = getattr(chalice.local, name, None)
        if owner is None:
            replace_attribute(chalice.local, name, None)  # raises: chalice moved the class
            continue
        replace_attribute(owner, "__init__", _init_with(response.body().encode(), owner))
