"""chalice local answers authorizer refusals with API Gateway's *default* bodies.

Covers: ``chalice.local.NotAuthorizedError`` (401, body ``{"message":"Unauthorized"}``) and
``chalice.local.ForbiddenError`` (403, ``{"Message": "User is not authorized..."}``), raised by
``LocalGatewayAuthorizer`` and turned into responses by both the dev server and
``chalice.test.Client``. Production installs custom gateway responses (``infra.gateway_responses``),
so locally the same bodies are substituted here: clients see one error shape everywhere.

Also covers: an unknown path. ``LocalGateway.handle_request`` turns the route matcher's
``ValueError`` into that same ``ForbiddenError`` (403 "Missing Authentication Token"), so it used
to read "This credential may not call this API.". On AWS an unknown resource is the
``MISSING_AUTHENTICATION_TOKEN`` gateway response, which production sets to 404 ``NoSuchRoute``:
``_generate_lambda_event`` raises that answer itself before ``handle_request`` can mistake it.
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


_NO_ROUTE = GATEWAY_RESPONSES["MISSING_AUTHENTICATION_TOKEN"]


class NoSuchRouteError(chalice.local.LocalGatewayException):
    """What API Gateway answers for a path no route has (the dev server sends ``CODE``)."""

    CODE = _NO_ROUTE.status

    def __init__(self) -> None:
        super().__init__(
            {
                "Content-Type": "application/json",
                "x-amzn-ErrorType": "MissingAuthenticationTokenException",
            },
            _NO_ROUTE.body().encode(),
        )


def _generate_lambda_event(self: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return original(chalice.local.LocalGateway, "_generate_lambda_event")(self, *args, **kwargs)
    except ValueError as exc:  # RouteMatcher.match_route: no route has this path
        raise NoSuchRouteError() from exc


def apply() -> None:
    replace_attribute(chalice.local.LocalGateway, "_generate_lambda_event", _generate_lambda_event)
    for name, response in _TARGETS.items():
        owner = getattr(chalice.local, name, None)
        if owner is None:
            replace_attribute(chalice.local, name, None)  # raises: chalice moved the class
            continue
        replace_attribute(owner, "__init__", _init_with(response.body().encode(), owner))
