"""SmartRe's HTTP API: read the request, call one service, return its result.

Every route but health sits behind the service-key authorizer (see ``chalicelib.auth``).
"""

from __future__ import annotations

from typing import Any

from chalice import AuthResponse, Blueprint, Response
from chalice.app import AuthRequest

from chalicelib import __version__, auth
from chalicelib.services import analyses, catalogue, feedback, health, images
from repaircore.contracts.analyses import UploadRequest
from repaircore.errors import InvalidInput
from repaircore.http import handles_errors, header, health_response, json_object, query_param
from repaircore.request_context import current_request
from repaircore.validation import decode

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


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=body,
        status_code=status,
        headers={"Content-Type": "application/json", **(headers or {})},
    )


def _optional_body() -> dict[str, Any]:
    request = current_request()
    return json_object(request) if request.raw_body else {}


def _limit(default: int = 50) -> int:
    raw = query_param(current_request(), "limit")
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= 100:
        raise InvalidInput("limit must be a whole number from 1 to 100", code="InvalidLimit")
    return int(raw)


@route("/api/health", public=True)
def get_health() -> Response:
    return health_response("smartre", __version__, health.check_dependencies())


@route("/api/images", methods=("POST",))
def create_image_upload() -> Response:
    request = decode(_optional_body(), UploadRequest)
    return _json(images.create_upload(request.content_type or "image/jpeg"), 201)


@route("/api/images/{image_id}/link")
def get_image_link(image_id: str) -> Response:
    return _json(images.create_view_link(image_id), headers={"Cache-Control": "no-store"})


@route("/api/analyses", methods=("POST",))
def create_analysis() -> Response:
    request = analyses.parse_request(json_object(current_request()))
    key = header(current_request(), "Idempotency-Key")
    analysis, replayed = analyses.create_analysis(request, key)
    return _json(analysis, 201, {"Idempotent-Replayed": str(replayed).lower()})


@route("/api/analyses/{analysis_id}")
def get_analysis(analysis_id: str) -> Response:
    return _json(analyses.get_analysis(analysis_id))


@route("/api/analyses/{analysis_id}/feedback", methods=("POST",))
def create_feedback(analysis_id: str) -> Response:
    body = json_object(current_request())
    key = header(current_request(), "Idempotency-Key")
    return _json(feedback.record_feedback(analysis_id, body, key), 201)


@route("/api/products")
def list_products() -> Response:
    return _json(catalogue.list_products(query_param(current_request(), "cursor"), _limit()))


@route("/api/products/{product_id}")
def get_product(product_id: str) -> Response:
    product = catalogue.get_product(product_id)
    return _json(product, headers={"ETag": f'"{product["version"]}"'})


@route("/api/products/{product_id}", methods=("PUT",))
def put_product(product_id: str) -> Response:
    request = current_request()
    product = catalogue.save_product(
        product_id,
        json_object(request),
        if_match=header(request, "If-Match"),
        if_none_match=header(request, "If-None-Match"),
    )
    status = 201 if product["version"] == 1 else 200
    return _json(product, status, {"ETag": f'"{product["version"]}"'})
