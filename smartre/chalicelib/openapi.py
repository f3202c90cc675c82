"""SmartRe's OpenAPI 3.1 document: the route table's operations, their summaries and the bodies
they take and answer with (the schemas are generated from ``repaircore.contracts``).

``python -m chalicelib.openapi`` (from ``smartre/``) prints it; the committed ``openapi.json`` is
its output, and a unit test fails when the Chalice routes, this table or the committed file
drift apart. The fuzzing tests generate requests from it and check every answer against it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import msgspec

from chalicelib import __version__
from repaircore.contracts.analyses import AnalysisRequest, UploadRequest
from repaircore.contracts.answers import (
    Analysis,
    Error,
    Feedback,
    ImageLink,
    Product,
    ProductPage,
    SmartReHealth,
    Upload,
)
from repaircore.contracts.smartre import FeedbackRequest, ProductInput
from repaircore.openapi import JSON, ref, schemas

SCHEMAS: dict[str, Any] = schemas(
    Error,
    SmartReHealth,
    UploadRequest,
    Upload,
    ImageLink,
    AnalysisRequest,
    Analysis,
    FeedbackRequest,
    Feedback,
    ProductInput,
    Product,
    ProductPage,
)

_ERRORS = {
    "400": "Invalid request",
    "401": "No service credential",
    "403": "Wrong service credential",
    "404": "Not found",
    "409": "Conflict",
    "412": "Precondition failed",
    "413": "Too large",
    "415": "Unsupported media type",
    "422": "Unprocessable",
    "428": "If-Match required",
    "503": "A dependency is unavailable; retry after Retry-After seconds",
}


def _errors(*codes: str) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    for code in codes:
        responses[code] = {
            "description": _ERRORS[code],
            "content": {JSON: {"schema": ref(Error)}},
        }
    return responses


def _ok(status: str, schema: type[msgspec.Struct], description: str) -> dict[str, Any]:
    return {status: {"description": description, "content": {JSON: {"schema": ref(schema)}}}}


def _body(schema: type[msgspec.Struct], required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {JSON: {"schema": ref(schema)}}}


IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,128}$"},
}
PROTECTED = ("401", "403", "503")

# (path, method) → operation. Paths use Chalice's ``{name}`` syntax, as OpenAPI does.
OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/api/health", "GET"): {
        "operationId": "getHealth",
        "security": [],
        "responses": {**_ok("200", SmartReHealth, "All dependencies reachable"), **_errors("503")},
    },
    ("/api/images", "POST"): {
        "operationId": "createImageUpload",
        "requestBody": _body(UploadRequest, required=False),
        "responses": {**_ok("201", Upload, "A presigned POST"), **_errors("400", *PROTECTED)},
    },
    ("/api/images/{image_id}/link", "GET"): {
        "operationId": "getImageLink",
        "responses": {
            **_ok("200", ImageLink, "A short-lived link to view the photo"),
            **_errors("404", *PROTECTED),
        },
    },
    ("/api/analyses", "POST"): {
        "operationId": "createAnalysis",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body(AnalysisRequest),
        "responses": {
            **_ok("201", Analysis, "The merged analysis (replayed for a repeated key)"),
            **_errors("400", "409", "413", "415", "422", *PROTECTED),
        },
    },
    ("/api/analyses/{analysis_id}", "GET"): {
        "operationId": "getAnalysis",
        "responses": {
            **_ok("200", Analysis, "The stored analysis"),
            **_errors("404", *PROTECTED),
        },
    },
    ("/api/analyses/{analysis_id}/feedback", "POST"): {
        "operationId": "createFeedback",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body(FeedbackRequest),
        "responses": {
            **_ok("201", Feedback, "The stored label"),
            **_errors("400", "404", "409", "413", "415", "422", *PROTECTED),
        },
    },
    ("/api/products", "GET"): {
        "operationId": "listProducts",
        "parameters": [
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": 100},
            },
        ],
        "responses": {
            **_ok("200", ProductPage, "One page of products"),
            **_errors("400", *PROTECTED),
        },
    },
    ("/api/products/{product_id}", "GET"): {
        "operationId": "getProduct",
        "responses": {**_ok("200", Product, "The product"), **_errors("404", *PROTECTED)},
    },
    ("/api/products/{product_id}", "PUT"): {
        "operationId": "putProduct",
        "parameters": [
            {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
            {"name": "If-None-Match", "in": "header", "schema": {"const": "*"}},
        ],
        "requestBody": _body(ProductInput),
        "responses": {
            **_ok("200", Product, "Updated"),
            **_ok("201", Product, "Created"),
            **_errors("400", "404", "409", "413", "415", "428", *PROTECTED),
        },
    },
}


def _path_parameters(path: str) -> list[dict[str, Any]]:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    return [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string", "maxLength": 64}}
        for n in names
    ]


def document() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for (path, method), operation in sorted(OPERATIONS.items()):
        entry = paths.setdefault(path, {})
        params = _path_parameters(path) + list(operation.get("parameters", []))
        entry[method.lower()] = {**operation, "parameters": params} if params else dict(operation)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SmartRe",
            "version": __version__,
            "description": "Repair triage ML service: photo uploads, analyses, products, feedback.",
        },
        "servers": [{"url": "/"}],
        "security": [{"serviceKey": []}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"serviceKey": {"type": "http", "scheme": "bearer"}},
        },
    }


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, sort_keys=False)
    sys.stdout.write("\n")
