"""The bodies API Gateway answers with before our code runs, in the apps' own error shape.

API Gateway's defaults are ``{"message": "Unauthorized"}``-style bodies; every other error of the
APIs is ``{"Code", "Message"}``. ``deploy.sh`` installs these as gateway responses, and the local
API Gateway (``chalice local``: ``repaircore.local_gateway``, ``localaws.apigateway``) answers with
the very same bodies. Here, in the shared package, so each app's ``chalice local`` finds them.
"""

from __future__ import annotations

import json
from typing import Final, NamedTuple


class GatewayResponse(NamedTuple):
    status: int
    code: str
    message: str

    def body(self) -> str:
        return json.dumps({"Code": self.code, "Message": self.message})


# API Gateway response type → what the client gets.
GATEWAY_RESPONSES: Final[dict[str, GatewayResponse]] = {
    "UNAUTHORIZED": GatewayResponse(401, "Unauthorized", "Send a valid credential."),
    "ACCESS_DENIED": GatewayResponse(403, "Forbidden", "This credential may not call this API."),
    # API Gateway's answer to an unknown path or method (a REST API has no "not found" of its
    # own): 404 instead of its default 403 "Missing Authentication Token".
    "MISSING_AUTHENTICATION_TOKEN": GatewayResponse(404, "NoSuchRoute", "No such route."),
    "THROTTLED": GatewayResponse(429, "Throttled", "Too many requests; slow down."),
    "DEFAULT_4XX": GatewayResponse(400, "BadRequest", "The request was refused."),
    "DEFAULT_5XX": GatewayResponse(502, "GatewayError", "The service failed; try again shortly."),
}
