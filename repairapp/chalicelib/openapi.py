"""The OpenAPI 3.1 document of RepairApp's API: every route, its inputs, answers and errors.

Built from the route table (``routes.ROUTES``: paths, methods, roles) plus the schemas below, so
a route added without documentation fails the drift test. ``python -m chalicelib.openapi``
(from ``repairapp/``) prints it; ``repairapp/openapi.json`` is that output, committed, and a
unit test fails when it is stale. The unit tests also check every response they receive
against this document.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from chalicelib import __version__
from chalicelib.identifiers import ANALYSIS_ID, IMAGE_ID, PRODUCT_ID, REPAIR_ID, TRACKING_TOKEN
from chalicelib.repairs import STATUSES
from chalicelib.routes import ROUTES
from repaircore.openapi import JSON, nullable, nulls_allowed, ref
from repaircore.vocabulary import ALL_CATEGORIES, LANGUAGES, REPAIR_BARRIERS, REPAIR_OUTCOMES

KEY_PATTERN = "^[A-Za-z0-9_-]{8,128}$"


def _object(
    properties: dict[str, Any], required: list[str] | None = None, *, closed: bool = True
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    schema["required"] = list(properties) if required is None else required
    if closed:
        schema["additionalProperties"] = False
    return schema


STRING = {"type": "string"}
TIMESTAMP = {"type": "string", "format": "date-time"}
CATEGORY = {"type": "string", "enum": list(ALL_CATEGORIES)}
STATUS = {"type": "string", "enum": list(STATUSES)}
OUTCOME = {"type": "string", "enum": list(REPAIR_OUTCOMES)}
BARRIER = {"type": "string", "enum": list(REPAIR_BARRIERS)}
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}
LABEL_CONFIDENCE = _object({"label": STRING, "confidence": PROBABILITY}, closed=False)
# SmartRe's barrier: P(barrier | End of life) for the most likely one, and the three most likely.
BARRIER_PREDICTION = _object(
    {
        "label": STRING,
        "confidence": PROBABILITY,
        "top3": {"type": "array", "maxItems": 3, "items": LABEL_CONFIDENCE},
    },
    ["label", "confidence"],
    closed=False,
)

SCHEMAS: dict[str, Any] = {
    "Error": _object(
        {
            "Code": {"type": "string", "description": "Specific and stable, e.g. InvalidPostcode"},
            "Message": {"type": "string", "description": "For people; never personal data"},
        }
    ),
    "Health": _object(
        {
            "service": STRING,
            "version": STRING,
            "ok": {"type": "boolean"},
            "checks": {"type": "object", "additionalProperties": STRING},
        }
    ),
    "Vocabulary": _object(
        {
            "categories": {"type": "array", "items": CATEGORY},
            "outcomes": {"type": "array", "items": OUTCOME},
            "barriers": {"type": "array", "items": BARRIER},
            "languages": {"type": "array", "items": {"type": "string", "enum": list(LANGUAGES)}},
        }
    ),
    "UploadRequest": _object(
        {"contentType": {"type": "string", "enum": ["image/jpeg", "image/png", "image/webp"]}}
    ),
    "Upload": _object(
        {
            "imageId": STRING,
            "url": {"type": "string", "description": "POST the form here (S3)"},
            "fields": {"type": "object", "additionalProperties": STRING},
            "maxBytes": {"type": "integer"},
            "expiresAt": TIMESTAMP,
        }
    ),
    "TriageRequest": nulls_allowed(
        _object(
            {
                "imageId": {"type": "string", "pattern": f"^{IMAGE_ID.pattern}$"},
                "description": {"type": "string", "minLength": 5, "maxLength": 2000},
                "productCategory": {"type": "string", "description": "An ORDS category"},
                "brand": {"type": "string", "maxLength": 100},
                "productAgeYears": {"type": "number", "minimum": 0, "maximum": 100},
                "language": {"type": "string", "enum": list(LANGUAGES)},
            },
            required=["description", "language"],
        )
    ),
    "Analysis": {
        **_object(
            {
                "analysisId": STRING,
                "productCategory": nullable(
                    {
                        **LABEL_CONFIDENCE,
                        "properties": {
                            **LABEL_CONFIDENCE["properties"],
                            "recognised": {"type": "boolean"},
                            "top3": {"type": "array", "items": LABEL_CONFIDENCE},
                        },
                    }
                ),
                "outcome": nullable(
                    _object(
                        {
                            "fixed": PROBABILITY,
                            "repairable": PROBABILITY,
                            "endOfLife": PROBABILITY,
                            "predicted": OUTCOME,
                        },
                        closed=False,
                    )
                ),
                "barrier": nullable(BARRIER_PREDICTION),
                "safetyWarnings": {"type": "array", "items": {"type": "object"}},
                "advice": nullable({"type": "object"}),
                "categoryFromText": nullable({"type": "object"}),
                "similarRepairs": nullable({"type": "object"}),
                "partial": {"type": "boolean"},
                "missing": {"type": "array", "items": {"type": "object"}},
                "modelVersions": {"type": "object"},
                "inputs": {"type": "object"},
                "createdAt": STRING,
                "analysisToken": {
                    **STRING,
                    "description": "Only in the triage answer: send it as X-Analysis-Token "
                    "to read this analysis again",
                },
            },
            required=["analysisId", "outcome", "partial", "createdAt"],
            closed=False,
        ),
        "description": "SmartRe's analysis, passed through unchanged (docs/api.md); "
        "outcome is null in a partial answer whose text branch failed.",
    },
    "RepairRequest": _object(
        {
            "analysisId": {"type": "string", "pattern": f"^{ANALYSIS_ID.pattern}$"},
            "contact": _object(
                {
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "email": {"type": "string", "format": "email", "maxLength": 254},
                }
            ),
            "postcode": {
                "type": "string",
                "pattern": "^[0-9]{4}$",
                "description": "Belgian: 1000-9992",
            },
            "consent": {"const": True},
            "language": {
                "type": "string",
                "enum": list(LANGUAGES),
                "description": "For the mails; default: the triage's language",
            },
        },
        required=["analysisId", "contact", "postcode", "consent"],
    ),
    "RepairCreated": _object(
        {
            "repairId": {"type": "string", "pattern": f"^{REPAIR_ID.pattern}$"},
            "trackingToken": {"type": "string", "pattern": f"^{TRACKING_TOKEN.pattern}$"},
            "trackingUrl": {"type": "string", "description": "The SPA's tracking page (path)"},
        }
    ),
    "HistoryEntry": _object(
        {
            "status": STATUS,
            "at": TIMESTAMP,
            "publicMessage": nullable({**STRING, "description": "Staff's message to the visitor"}),
        }
    ),
    "StaffHistoryEntry": _object(
        {
            "status": STATUS,
            "at": TIMESTAMP,
            "publicMessage": nullable({**STRING, "description": "Shown on the tracking page"}),
            "internalNote": nullable(
                {**STRING, "description": "Staff only (notes written before the split too)"}
            ),
        }
    ),
    "TrackedRepair": _object(
        {
            "repairId": STRING,
            "status": STATUS,
            "history": {"type": "array", "items": ref("HistoryEntry")},
            "productCategory": nullable(CATEGORY),
            "analysis": nullable(ref("Analysis")),
            "createdAt": TIMESTAMP,
            "updatedAt": TIMESTAMP,
        }
    ),
    "StaffRepair": _object(
        {
            "repairId": STRING,
            "status": STATUS,
            "history": {"type": "array", "items": ref("StaffHistoryEntry")},
            "productCategory": nullable(CATEGORY),
            "analysis": nullable(ref("Analysis")),
            "createdAt": TIMESTAMP,
            "updatedAt": TIMESTAMP,
            "contact": nullable(
                {**_object({"name": STRING, "email": STRING}), "description": "null once closed"}
            ),
            "postcode": STRING,
            "version": {"type": "integer", "minimum": 1},
            "outcome": nullable(OUTCOME),
            "barrier": nullable(BARRIER),
            "closedAt": nullable(TIMESTAMP),
            "feedbackStatus": nullable({"type": "string", "enum": ["pending", "sent", "failed"]}),
        }
    ),
    "PhotoLink": _object(
        {
            "url": {**STRING, "description": "A presigned GET of the photo; works until expiresAt"},
            "expiresAt": {**TIMESTAMP, "description": "The link's end (minutes away)"},
            "deletedAfter": {**TIMESTAMP, "description": "When the photo itself is deleted"},
        }
    ),
    "RepairSummary": _object(
        {
            "repairId": STRING,
            "status": STATUS,
            "productCategory": nullable(CATEGORY),
            "postcode": STRING,
            "createdAt": TIMESTAMP,
            "updatedAt": TIMESTAMP,
        }
    ),
    "RepairPage": _object(
        {
            "items": {"type": "array", "items": ref("RepairSummary")},
            "nextCursor": nullable(STRING),
        }
    ),
    "RepairUpdate": nulls_allowed(
        _object(
            {
                "status": STATUS,
                "outcome": {**OUTCOME, "description": "Must match status if given"},
                "barrier": {
                    **BARRIER,
                    "description": "Required for end_of_life, refused otherwise",
                },
                "publicMessage": {
                    "type": "string",
                    "maxLength": 500,
                    "description": "Shown to the visitor on the tracking page",
                },
                "internalNote": {
                    "type": "string",
                    "maxLength": 500,
                    "description": "Staff only",
                },
                "note": {
                    "type": "string",
                    "maxLength": 500,
                    "deprecated": True,
                    "description": "Old name of internalNote (staff only); not with it",
                },
                "productCategory": {"type": "string", "description": "Correct the category"},
            },
            required=["status"],
        )
    ),
    "StaffSessionRequest": _object(
        {
            "username": {"type": "string", "minLength": 1, "maxLength": 128},
            "password": {"type": "string", "minLength": 1, "maxLength": 256},
        }
    ),
    "StaffSession": _object(
        {
            "idToken": STRING,
            "expiresIn": {"type": "integer", "description": "Seconds"},
            "username": STRING,
            "roles": {"type": "array", "items": {"enum": ["coordinator", "repairer"]}},
        }
    ),
    "LocalisedText": {
        **_object({lang: STRING for lang in LANGUAGES}, ["en"]),
        "description": "One text per UI language; English is required (the fallback)",
    },
    "LocalisedList": _object(
        {lang: {"type": "array", "maxItems": 12, "items": STRING} for lang in LANGUAGES}, []
    ),
    "ProductUpdate": _object(
        {
            "category": CATEGORY,
            "name": ref("LocalisedText"),
            "typicalRepair": ref("LocalisedText"),
            "commonFaults": ref("LocalisedList"),
        },
        ["category", "name", "typicalRepair"],
    ),
    "Product": _object(
        {
            "productId": STRING,
            "category": CATEGORY,
            "name": ref("LocalisedText"),
            "typicalRepair": ref("LocalisedText"),
            "commonFaults": ref("LocalisedList"),
            "version": {"type": "integer", "minimum": 1},
            "updatedAt": STRING,
        },
        ["productId", "category", "name", "typicalRepair", "version"],
    ),
    "ProductList": _object({"items": {"type": "array", "items": ref("Product")}}),
    "Stats": _object(
        {
            "byStatus": _object({status: {"type": "integer"} for status in STATUSES}),
            "byCategory": {
                "type": "array",
                "items": _object(
                    {
                        "category": CATEGORY,
                        "total": {"type": "integer"},
                        "fixed": {"type": "integer"},
                        "repairable": {"type": "integer"},
                        "endOfLife": {"type": "integer"},
                    }
                ),
            },
            "shareFixed": PROBABILITY,
            "impact": _object(
                {
                    "kgWasteAvoided": {"type": "number"},
                    "kgCo2eAvoided": {"type": "number"},
                    "source": STRING,
                    "sourceTitle": STRING,
                    "sourceLicence": STRING,
                    "sourceDate": {"type": "string", "format": "date"},
                    "sourceUrl": STRING,
                    "displacementRate": PROBABILITY,
                    "notEstimated": {"type": "array", "items": CATEGORY},
                }
            ),
        }
    ),
}

# --- parameters and headers -------------------------------------------------------------------
RETRY_AFTER = {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
REPLAYED = {
    "description": "true when this is the stored answer to an earlier request with this key",
    "schema": {"type": "string", "enum": ["true", "false"]},
}
ETAG = {"description": 'The version, quoted ("3"): send it back in If-Match', "schema": STRING}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": True,
    "description": "One per user action: a retry with the same body returns the first result",
    "schema": {"type": "string", "pattern": KEY_PATTERN},
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": True,
    "description": 'The version being changed (3 or "3"); missing: 428, stale: 412',
    "schema": STRING,
}


def _path_parameter(name: str, pattern: str) -> dict[str, Any]:
    # Other ids are valid requests too: they answer 404.
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": f"Issued ids match {pattern}",
    }


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _json_response(description: str, schema: dict[str, Any], **headers: Any) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {JSON: {"schema": schema}}}
    if headers:
        response["headers"] = {name.replace("_", "-"): value for name, value in headers.items()}
    return response


def _error(description: str) -> dict[str, Any]:
    return _json_response(description, ref("Error"))


ERRORS: dict[str, dict[str, Any]] = {
    "400": _error("Invalid input; Code names the problem (e.g. InvalidPostcode, TooLong)"),
    "401": _error("No valid staff sign-in (Unauthorized)"),
    "403": _error("DirectAccessForbidden (not through the site) or Forbidden (role)"),
    "404": _error("Not found (NotFound)"),
    "409": _error("Conflict: InvalidTransition, or RequestInProgress for this key"),
    "412": _error("The version in If-Match is stale (PreconditionFailed)"),
    "413": _error("Too large: BodyTooLarge, ImageTooLarge, TooManyPixels, ExportTooLarge"),
    "415": _error("Unsupported media type (request body, or the photo's type)"),
    "422": _error("IdempotencyKeyReused, AnalysisNotFound, or an unusable photo"),
    "428": _error("If-Match is missing (PreconditionRequired)"),
    "429": {
        **_error("Too many failed sign-ins for this account or address (TooManyRequests)"),
        "headers": {"Retry-After": RETRY_AFTER},
    },
    "503": {
        **_error("A dependency is down or busy (ServiceUnavailable): retry later"),
        "headers": {"Retry-After": RETRY_AFTER},
    },
}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): ERRORS[str(status)] for status in statuses}


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": ref(schema)}}}


REPAIR_ID_PARAMETER = _path_parameter("repairId", REPAIR_ID.pattern)
PRODUCT_ID_PARAMETER = _path_parameter("productId", PRODUCT_ID.pattern)

# (path, method) -> operation, without the parts derived from the route table (security, 401/403).
OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/api/health", "GET"): {
        "summary": "Health of RepairApp and what it depends on (public)",
        "responses": {
            "200": _json_response("All dependencies reachable", ref("Health")),
            "503": _json_response("Some dependency is not", ref("Health")),
        },
    },
    ("/api/vocabulary", "GET"): {
        "summary": "Open Repair Data categories, outcomes, barriers; the languages",
        "responses": {"200": _json_response("The vocabulary", ref("Vocabulary"))},
    },
    ("/api/uploads", "POST"): {
        "summary": "A presigned upload for one photo (POST the form straight to S3)",
        "requestBody": _body("UploadRequest"),
        "responses": {
            "201": _json_response("Upload slot", ref("Upload")),
            **_errors(400, 413, 415, 503),
        },
    },
    ("/api/triage", "POST"): {
        "summary": "SmartRe's analysis of a photo and/or description (nothing is stored here)",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("TriageRequest"),
        "responses": {
            "201": _json_response("The analysis", ref("Analysis"), Idempotent_Replayed=REPLAYED),
            **_errors(400, 404, 409, 413, 415, 422, 503),
        },
    },
    ("/api/analyses/{analysisId}", "GET"): {
        "summary": "An analysis again, for whoever holds its token (wrong or missing: 404)",
        "parameters": [
            _path_parameter("analysisId", ANALYSIS_ID.pattern),
            {
                "name": "X-Analysis-Token",
                "in": "header",
                "required": False,
                "description": "The analysisToken of the triage answer; missing or wrong: 404",
                "schema": STRING,
            },
        ],
        "responses": {
            "200": _json_response("The analysis", ref("Analysis")),
            **_errors(404, 503),
        },
    },
    ("/api/repairs", "POST"): {
        "summary": "Ask for a repair (contact details stay in RepairApp)",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body("RepairRequest"),
        "responses": {
            "201": _json_response(
                "Created; the token is shown once",
                ref("RepairCreated"),
                Idempotent_Replayed=REPLAYED,
            ),
            **_errors(400, 409, 413, 415, 422, 503),
        },
    },
    ("/api/repairs/{repairId}", "GET"): {
        "summary": "Track a request with its token (wrong or missing token: 404)",
        "parameters": [
            REPAIR_ID_PARAMETER,
            {
                "name": "X-Tracking-Token",
                "in": "header",
                # Without it the answer is the same 404 as a wrong one (no existence leaks).
                "required": False,
                "description": "The tracking token (never in the URL, which access logs keep); "
                "missing or wrong: 404",
                "schema": STRING,
            },
        ],
        "responses": {
            "200": _json_response("The request", ref("TrackedRepair")),
            **_errors(404, 503),
        },
    },
    ("/api/staff/sessions", "POST"): {
        "summary": "Staff sign-in: Cognito ID token and roles",
        "requestBody": _body("StaffSessionRequest"),
        "responses": {
            "201": _json_response("Signed in", ref("StaffSession")),
            **_errors(400, 401, 403, 413, 415, 429, 503),
        },
    },
    ("/api/staff/sessions", "DELETE"): {
        "summary": "Sign out: this token stops working on every route at once",
        "responses": {"204": {"description": "Signed out"}, **_errors(503)},
    },
    ("/api/repairs", "GET"): {
        "summary": "The queue, one page at a time (oldest first; by status without filters)",
        "parameters": [
            # An empty value means the parameter is absent (a form's blank field).
            _query("status", {"anyOf": [STATUS, {"const": ""}]}, "Only this status"),
            _query("category", STRING, "Only this ORDS category"),
            _query("cursor", STRING, "nextCursor of the previous page (same filters)"),
            _query("limit", {"type": "string", "pattern": "^[0-9]{0,3}$"}, "1-100, default 25"),
        ],
        "responses": {
            "200": _json_response("A page", ref("RepairPage")),
            **_errors(400, 503),
        },
    },
    ("/api/staff/repairs/{repairId}", "GET"): {
        "summary": "The full request for staff, with contact details and version",
        "parameters": [REPAIR_ID_PARAMETER],
        "responses": {
            "200": _json_response("The request", ref("StaffRepair"), ETag=ETAG),
            **_errors(404, 503),
        },
    },
    ("/api/staff/repairs/{repairId}/photo", "GET"): {
        "summary": "A short-lived link to the request's photo (staff only)",
        "description": "404 NoPhoto: sent without one; 404 PhotoGone: deleted (closed or 7 days)",
        "parameters": [REPAIR_ID_PARAMETER],
        "responses": {
            "200": _json_response("The link", ref("PhotoLink")),
            **_errors(404, 503),
        },
    },
    ("/api/repairs/{repairId}", "PATCH"): {
        "summary": "Change the status (closing sends the real outcome to SmartRe, once)",
        "parameters": [REPAIR_ID_PARAMETER, IF_MATCH],
        "requestBody": _body("RepairUpdate"),
        "responses": {
            "200": _json_response("The updated request", ref("StaffRepair"), ETag=ETAG),
            **_errors(400, 404, 409, 412, 413, 415, 428, 503),
        },
    },
    ("/api/stats", "GET"): {
        "summary": "Counts by status and category, share fixed, impact of fixed items",
        "responses": {"200": _json_response("The numbers", ref("Stats")), **_errors(503)},
    },
    ("/api/staff/products", "GET"): {
        "summary": "SmartRe's advice per category, every language (coordinators)",
        "responses": {"200": _json_response("Every entry", ref("ProductList")), **_errors(503)},
    },
    ("/api/staff/products/{productId}", "GET"): {
        "summary": "One category's advice with its version (coordinators)",
        "parameters": [PRODUCT_ID_PARAMETER],
        "responses": {
            "200": _json_response("The entry", ref("Product"), ETag=ETAG),
            **_errors(404, 503),
        },
    },
    ("/api/staff/products/{productId}", "PUT"): {
        "summary": "Change a category's advice; the next triage shows it (coordinators)",
        "parameters": [PRODUCT_ID_PARAMETER, IF_MATCH],
        "requestBody": _body("ProductUpdate"),
        "responses": {
            "200": _json_response("The saved entry", ref("Product"), ETag=ETAG),
            **_errors(400, 404, 412, 413, 415, 428, 503),
        },
    },
    ("/api/export.csv", "GET"): {
        "summary": "Closed repairs in Open Repair Data Standard columns, no personal data",
        "responses": {
            "200": {
                "description": "CSV with a header row",
                "content": {"text/csv; charset=utf-8": {"schema": {"type": "string"}}},
            },
            **_errors(413, 503),
        },
    },
}


def build() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for path, method, roles in ROUTES:
        operation = dict(OPERATIONS[(path, method)])
        responses = dict(operation["responses"])
        security: list[dict[str, list[str]]] = []
        if path != "/api/health":
            # The guard reads its secret from SSM: any guarded route can be 403 or 503.
            security = [{"originVerify": []}]
            responses.setdefault("403", ERRORS["403"])
            responses.setdefault("503", ERRORS["503"])
        if roles is not None:
            security = [{"originVerify": [], "staffToken": []}]
            responses.update(_errors(401, 403))
            operation["description"] = "Roles: " + ", ".join(sorted(roles))
        operation["security"] = security
        operation["responses"] = dict(sorted(responses.items()))
        operation["operationId"] = f"{method.lower()}{_camel(path)}"
        paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "RepairApp API",
            "version": __version__,
            "description": "What the SPA calls under /api (same origin, through CloudFront). "
            "Errors are {Code, Message}; 503 carries Retry-After.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "originVerify": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Origin-Verify",
                    "description": "Added by CloudFront; direct calls are refused",
                },
                "staffToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
            },
        },
    }


def _camel(path: str) -> str:
    words = path.replace("/api/", "").replace(".", " ").replace("/", " ").replace("{", " by ")
    return "".join(w[:1].upper() + w[1:] for w in words.replace("}", "").split())


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
