"""RepairApp's HTTP API (what the SPA calls): read the request, call one service, answer."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint, Response

from chalicelib import __version__
from chalicelib.services import health
from repaircore.http import handles_errors, health_response

api = Blueprint(__name__)


def route(path: str, methods: tuple[str, ...] = ("GET",), **kwargs: Any) -> Any:
    """Register a view behind the one error map."""

    def register(view: Any) -> Any:
        api.route(path, methods=list(methods), **kwargs)(handles_errors(view))
        return view

    return register


@route("/api/health")
def get_health() -> Response:
    return health_response("repairapp", __version__, health.check_dependencies())
