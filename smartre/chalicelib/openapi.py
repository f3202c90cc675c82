"""SmartRe's OpenAPI 3.1 document, built from one table of operations next to the routes.

``python -m chalicelib.openapi`` (from ``smartre/``) prints it; the committed ``openapi.json`` is
its output, and a unit test fails when the Chalice routes, this table or the committed file
drift apart. The fuzzing tests generate requests from it and check every answer against it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from chalicelib import __version__
from repaircore.openapi import JSON, nullable, nulls_allowed, ref
from repaircore.vocabulary import ALL_CATEGORIES, LANGUAGES, REPAIR_BARRIERS, REPAIR_OUTCOMES


def _probability() -> dict[str, Any]:
    return {"type": "number", "minimum": 0, "maximum": 1}


SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["Code", "Message"],
        "properties": {"Code": {"type": "string"}, "Message": {"type": "string"}},
    },
    "Health": {
        "type": "object",
        "required": ["service", "version", "ok", "checks"],
        "properties": {
            "service": {"const": "smartre"},
            "version": {"type": "string"},
            "ok": {"type": "boolean"},
            "checks": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "UploadRequest": nulls_allowed(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {"contentType": {"enum": ["image/jpeg", "image/png", "image/webp"]}},
        }
    ),
    "Upload": {
        "type": "object",
        "required": ["imageId", "url", "fields", "maxBytes", "expiresAt"],
        "properties": {
            "imageId": {"type": "string", "pattern": "^img_[A-Za-z0-9_-]{22}$"},
            "url": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "maxBytes": {"type": "integer"},
            "expiresAt": {"type": "string", "format": "date-time"},
        },
    },
    "ImageLink": {
        "type": "object",
        "additionalProperties": False,
        "required": ["imageId", "url", "expiresAt", "deletedAfter"],
        "properties": {
            "imageId": {"type": "string", "pattern": "^img_[A-Za-z0-9_-]{22}$"},
            "url": {"type": "string", "description": "A presigned GET, valid until expiresAt"},
            "expiresAt": {"type": "string", "format": "date-time"},
            "deletedAfter": {
                "type": "string",
                "format": "date-time",
                "description": "When the photo's 7-day retention ends",
            },
        },
    },
    "AnalysisRequest": nulls_allowed(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "imageId": {"type": "string", "pattern": "^img_[A-Za-z0-9_-]{22}$"},
                "description": {"type": "string", "maxLength": 2000},
                "productCategory": {"enum": list(ALL_CATEGORIES)},
                "brand": {"type": "string", "maxLength": 100},
                "productAgeYears": {"type": "number", "minimum": 0, "maximum": 100},
                "language": {"enum": list(LANGUAGES)},
            },
        }
    ),
    "Confidence": {
        "type": "object",
        "required": ["label", "confidence"],
        "properties": {"label": {"type": "string"}, "confidence": _probability()},
    },
    "Barrier": {
        "type": "object",
        "description": "The most likely barrier if the item ends its life: P(barrier | End of "
        "life), given whatever the outcome; `top3` lists the three most likely.",
        "required": ["label", "confidence"],
        "properties": {
            "label": {"type": "string"},
            "confidence": _probability(),
            "top3": {"type": "array", "maxItems": 3, "items": ref("Confidence")},
        },
    },
    "ProductCategory": {
        "type": "object",
        "required": ["label", "confidence", "top3", "recognised"],
        "properties": {
            "label": {"type": ["string", "null"]},
            "confidence": _probability(),
            "recognised": {"type": "boolean"},
            "top3": {"type": "array", "maxItems": 3, "items": ref("Confidence")},
        },
    },
    "Outcome": {
        "type": "object",
        "required": ["fixed", "repairable", "endOfLife", "predicted"],
        "properties": {
            "fixed": _probability(),
            "repairable": _probability(),
            "endOfLife": _probability(),
            "predicted": {"enum": list(REPAIR_OUTCOMES)},
        },
    },
    "SafetyWarning": {
        "type": "object",
        "required": ["code", "severity", "message", "advice"],
        "properties": {
            "code": {"type": "string"},
            "severity": {"enum": ["danger", "warning"]},
            "message": {"type": "string"},
            "advice": {"type": "string"},
            "translations": {
                "type": "object",
                "description": "message and advice in every UI language",
                "additionalProperties": False,
                "properties": {
                    lang: {
                        "type": "object",
                        "required": ["message", "advice"],
                        "properties": {
                            "message": {"type": "string"},
                            "advice": {"type": "string"},
                        },
                    }
                    for lang in LANGUAGES
                },
            },
        },
    },
    "AdviceText": {
        "type": "object",
        "required": ["name", "typicalRepair", "commonFaults"],
        "properties": {
            "name": {"type": "string"},
            "typicalRepair": {"type": "string"},
            "commonFaults": {"type": "array", "items": {"type": "string"}},
        },
    },
    "Advice": {
        "type": "object",
        "required": ["productId", "category", "name", "typicalRepair", "commonFaults"],
        "properties": {
            "productId": {"type": "string"},
            "category": {"type": "string"},
            "name": {"type": "string"},
            "typicalRepair": {"type": "string"},
            "commonFaults": {"type": "array", "items": {"type": "string"}},
            "translations": {
                "type": "object",
                "description": "the same advice in every UI language",
                "additionalProperties": False,
                "properties": {lang: ref("AdviceText") for lang in LANGUAGES},
            },
        },
    },
    "CategoryFromText": {
        "type": "object",
        "description": "The item the description names, over every Open Repair Data category.",
        "required": ["label", "confidence", "top3"],
        "properties": {
            "label": {"type": "string"},
            "confidence": _probability(),
            "top3": {"type": "array", "maxItems": 3, "items": ref("Confidence")},
        },
    },
    "SimilarRecord": {
        "type": "object",
        "description": "One real past repair from Open Repair Data (CC BY-SA 4.0).",
        "required": ["year", "network", "category", "brand", "problem", "outcome", "barrier"],
        "properties": {
            "year": {"type": ["integer", "null"]},
            "network": {"type": "string"},
            "category": {"type": "string"},
            "brand": {"type": ["string", "null"]},
            "problem": {"type": "string"},
            "outcome": {"enum": ["Fixed", "Repairable", "End of life"]},
            "barrier": {"type": ["string", "null"]},
            "similarity": {"type": "number"},
        },
    },
    "SimilarRepairs": {
        "type": "object",
        "description": "What past repairs of this category did, and the five most like this one.",
        "required": ["category", "recordCount", "records", "attribution"],
        "properties": {
            "category": {"type": "string"},
            "recordCount": {"type": "integer", "minimum": 0},
            "records": {"type": "array", "maxItems": 5, "items": ref("SimilarRecord")},
            "attribution": {"type": "string"},
        },
    },
    "Analysis": {
        "type": "object",
        "required": [
            "analysisId",
            "productCategory",
            "outcome",
            "barrier",
            "safetyWarnings",
            "advice",
            "partial",
            "missing",
            "modelVersions",
            "inputs",
            "createdAt",
        ],
        "properties": {
            "analysisId": {"type": "string", "pattern": "^an_[A-Za-z0-9_-]{22}$"},
            "productCategory": nullable(ref("ProductCategory")),
            "categoryFromText": nullable(ref("CategoryFromText")),
            "outcome": nullable(ref("Outcome")),
            "barrier": nullable(ref("Barrier")),
            "safetyWarnings": {"type": "array", "items": ref("SafetyWarning")},
            "advice": nullable(ref("Advice")),
            "similarRepairs": nullable(ref("SimilarRepairs")),
            "partial": {"type": "boolean"},
            "missing": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["part", "reason"],
                    "properties": {"part": {"type": "string"}, "reason": {"type": "string"}},
                },
            },
            "modelVersions": {
                "type": "object",
                "additionalProperties": {"type": ["string", "null"]},
            },
            "unadapted": nullable(
                {
                    "type": "object",
                    "description": "The outcome model's answer before this deployment's "
                    "adaptation state (modelVersions.adaptation), for `category`; a feedback "
                    "label adds it to the state.",
                    "required": ["category", "outcome", "barriers"],
                    "properties": {
                        "category": {"type": ["string", "null"]},
                        "outcome": {
                            "type": "object",
                            "required": ["fixed", "repairable", "endOfLife"],
                            "properties": {
                                "fixed": _probability(),
                                "repairable": _probability(),
                                "endOfLife": _probability(),
                            },
                        },
                        "barriers": {"type": "object", "additionalProperties": _probability()},
                    },
                }
            ),
            "inputs": {"type": "object"},
            "timings": {"type": "object"},
            "requestedAt": {"type": "string"},
            "createdAt": {"type": "string", "format": "date-time"},
        },
    },
    "FeedbackRequest": nulls_allowed(
        {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "productCategory": {"enum": list(ALL_CATEGORIES)},
                "outcome": {"enum": list(REPAIR_OUTCOMES)},
                "barrier": {"enum": list(REPAIR_BARRIERS)},
                "source": {"type": "string", "maxLength": 50},
                "reference": {"type": "string", "maxLength": 100},
            },
        }
    ),
    "Feedback": {
        "type": "object",
        "required": ["analysisId", "labelId", "createdAt", "truth", "predicted"],
        "properties": {
            "analysisId": {"type": "string"},
            "labelId": {"type": "string"},
            "createdAt": {"type": "string"},
            "truth": {"type": "object"},
            "predicted": {"type": "object"},
        },
    },
    "LocalisedText": {
        "type": "object",
        "required": ["en"],
        "additionalProperties": False,
        "properties": {lang: {"type": "string"} for lang in LANGUAGES},
    },
    "ProductInput": nulls_allowed(
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["category", "name", "typicalRepair"],
            "properties": {
                "category": {"enum": list(ALL_CATEGORIES)},
                "name": ref("LocalisedText"),
                "typicalRepair": ref("LocalisedText"),
                "commonFaults": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        lang: {"type": "array", "maxItems": 12, "items": {"type": "string"}}
                        for lang in LANGUAGES
                    },
                },
            },
        }
    ),
    "Product": {
        "type": "object",
        "required": ["productId", "category", "name", "typicalRepair", "version"],
        "properties": {
            "productId": {"type": "string"},
            "category": {"type": "string"},
            "name": {"type": "object"},
            "typicalRepair": {"type": "object"},
            "commonFaults": {"type": "object"},
            "version": {"type": "integer", "minimum": 1},
            "updatedAt": {"type": "string"},
        },
    },
    "ProductPage": {
        "type": "object",
        "required": ["items", "nextCursor"],
        "properties": {
            "items": {"type": "array", "items": ref("Product")},
            "nextCursor": {"type": ["string", "null"]},
        },
    },
}

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
            "content": {JSON: {"schema": ref("Error")}},
        }
    return responses


def _ok(status: str, schema: str, description: str) -> dict[str, Any]:
    return {status: {"description": description, "content": {JSON: {"schema": ref(schema)}}}}


def _body(schema: str, required: bool = True) -> dict[str, Any]:
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
        "responses": {**_ok("200", "Health", "All dependencies reachable"), **_errors("503")},
    },
    ("/api/images", "POST"): {
        "operationId": "createImageUpload",
        "requestBody": _body("UploadRequest", required=False),
        "responses": {**_ok("201", "Upload", "A presigned POST"), **_errors("400", *PROTECTED)},
    },
    ("/api/images/{image_id}/link", "GET"): {
        "operationId": "getImageLink",
        "responses": {
            **_ok("200", "ImageLink", "A short-lived link to view the photo"),
            **_errors("404", *PROTECTED),
        },
    },
    ("/api/analyses", "POST"): {
        "operationId": "createAnalysis",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("AnalysisRequest"),
        "responses": {
            **_ok("201", "Analysis", "The merged analysis (replayed for a repeated key)"),
            **_errors("400", "409", "413", "415", "422", *PROTECTED),
        },
    },
    ("/api/analyses/{analysis_id}", "GET"): {
        "operationId": "getAnalysis",
        "responses": {
            **_ok("200", "Analysis", "The stored analysis"),
            **_errors("404", *PROTECTED),
        },
    },
    ("/api/analyses/{analysis_id}/feedback", "POST"): {
        "operationId": "createFeedback",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("FeedbackRequest"),
        "responses": {
            **_ok("201", "Feedback", "The stored label"),
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
            **_ok("200", "ProductPage", "One page of products"),
            **_errors("400", *PROTECTED),
        },
    },
    ("/api/products/{product_id}", "GET"): {
        "operationId": "getProduct",
        "responses": {**_ok("200", "Product", "The product"), **_errors("404", *PROTECTED)},
    },
    ("/api/products/{product_id}", "PUT"): {
        "operationId": "putProduct",
        "parameters": [
            {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
            {"name": "If-None-Match", "in": "header", "schema": {"const": "*"}},
        ],
        "requestBody": _body("ProductInput"),
        "responses": {
            **_ok("200", "Product", "Updated"),
            **_ok("201", "Product", "Created"),
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
