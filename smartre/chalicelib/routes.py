"""SmartRe's HTTP API: read the request, call one service, return its result."""

from __future__ import annotations

from typing import Any

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest

from chalicelib import __version__, auth
from chalicelib.services import health
from repaircore.http import handles_errors, health_response

api = Blueprint(__name__)


@api.authorizer(ttl_seconds=300)
def service_key(auth_request: AuthRequest) -> AuthResponse:
    return auth.authorize_service(auth_request.token)


def route(
    path: str, methods: tuple[str, ...] = ("GET",), *, public: bool = False, **kwargs: Any
) -> Any:
    """Register a view with the error map and, unless public, the service-key authorizer."""

    def register(view: Any) -> Any:
        api.route(
            path, methods=list(methods), authorizer=None if public else service_key, **kwargs
        )(handles_errors(view))
        return view

    return register


@route("/api/health", public=True)
def get_health() -> Response:
    return health_response("smartre", __version__, health.check_dependencies())
