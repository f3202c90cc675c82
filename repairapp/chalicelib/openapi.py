"""The OpenAPI 3.1 document of RepairApp's API: every route, its inputs, answers and errors.

Built from the route table (``routes.ROUTES``: paths, methods, roles), the summaries and body
references below and the schemas generated from ``repaircore.contracts``, so
a route added without documentation fails the drift test. ``python -m chalicelib.openapi``
(from ``repairapp/``) prints it; ``repairapp/openapi.json`` is that output, committed, and a
unit test fails when it is stale. The unit tests also check every response they receive
against this document.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import msgspec

from chalicelib import __version__
from chalicelib.identifiers import ANALYSIS_ID, PRODUCT_ID, REPAIR_ID
from chalicelib.repairs import STATUSES
from chalicelib.routes import ROUTES
from repaircore.contracts.analyses import PhotoUploadRequest, TriageRequest
from repaircore.contracts.answers import (
    Analysis,
    Error,
    EventItem,
    EventItems,
    EventList,
    EventSummary,
    PhotoLink,
    Product,
    ProductList,
    RepairCreated,
    RepairHealth,
    RepairPage,
    StaffEvent,
    StaffEventList,
    StaffRepair,
    StaffSession,
    Stats,
    TrackedRepair,
    TriageAnswer,
    Upload,
    Vocabulary,
)
from repaircore.contracts.answers import Event as EventAnswer
from repaircore.contracts.events import (
    BookingRequest,
    CheckinRequest,
    EventChange,
    EventInput,
    WalkInRequest,
)
from repaircore.contracts.repairapp import (
    ProductUpdate,
    RepairRequest,
    RepairUpdate,
    StaffSessionRequest,
)
from repaircore.openapi import JSON, ref, schemas

KEY_PATTERN = "^[A-Za-z0-9_-]{8,128}$"


SCHEMAS: dict[str, Any] = schemas(
    Error,
    RepairHealth,
    Vocabulary,
    PhotoUploadRequest,
    Upload,
    TriageRequest,
    TriageAnswer,
    RepairRequest,
    RepairCreated,
    TrackedRepair,
    StaffRepair,
    RepairPage,
    RepairUpdate,
    StaffSessionRequest,
    StaffSession,
    PhotoLink,
    ProductUpdate,
    ProductList,
    Stats,
    EventInput,
    EventChange,
    EventAnswer,
    StaffEvent,
    EventList,
    StaffEventList,
    BookingRequest,
    CheckinRequest,
    WalkInRequest,
    EventItem,
    EventItems,
    EventSummary,
)
STRING = {"type": "string"}
STATUS = {"type": "string", "enum": list(STATUSES)}

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
    return _json_response(description, ref(Error))


ERRORS: dict[str, dict[str, Any]] = {
    "400": _error("Invalid input; Code names the problem (e.g. InvalidPostcode, TooLong)"),
    "401": _error("No valid staff sign-in (Unauthorized)"),
    "403": _error("DirectAccessForbidden (not through the site) or Forbidden (role)"),
    "404": _error("Not found (NotFound)"),
    "409": _error(
        "Conflict: InvalidTransition, RequestInProgress for this key, EventFull, EventClosed, "
        "RepairClosed, AlreadyCheckedIn, CapacityBelowBookings"
    ),
    "412": _error("The version in If-Match is stale (PreconditionFailed)"),
    "413": _error("Too large: BodyTooLarge, ImageTooLarge, TooManyPixels, ExportTooLarge"),
    "415": _error("Unsupported media type (request body, or the photo's type)"),
    "422": _error(
        "IdempotencyKeyReused, AnalysisNotFound, CategoryNotAccepted, or an unusable photo"
    ),
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


def _body(schema: type[msgspec.Struct]) -> dict[str, Any]:
    return {"required": True, "content": {JSON: {"schema": ref(schema)}}}


REPAIR_ID_PARAMETER = _path_parameter("repairId", REPAIR_ID.pattern)
TRACKING_TOKEN = {
    "name": "X-Tracking-Token",
    "in": "header",
    # Without it the answer is the same 404 as a wrong one (no existence leaks).
    "required": False,
    "description": "The tracking token (never in the URL, which access logs keep); "
    "missing or wrong: 404",
    "schema": STRING,
}
PRODUCT_ID_PARAMETER = _path_parameter("productId", PRODUCT_ID.pattern)
EVENT_ID_PARAMETER = _path_parameter("eventId", r"ev_[A-Za-z0-9_-]{22}")

# (path, method) -> operation, without the parts derived from the route table (security, 401/403).
OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("/api/health", "GET"): {
        "summary": "Health of RepairApp and what it depends on (public)",
        "responses": {
            "200": _json_response("All dependencies reachable", ref(RepairHealth)),
            "503": _json_response("Some dependency is not", ref(RepairHealth)),
        },
    },
    ("/api/vocabulary", "GET"): {
        "summary": "Open Repair Data categories, outcomes, barriers; the languages",
        "responses": {"200": _json_response("The vocabulary", ref(Vocabulary))},
    },
    ("/api/uploads", "POST"): {
        "summary": "A presigned upload for one photo (POST the form straight to S3)",
        "requestBody": _body(PhotoUploadRequest),
        "responses": {
            "201": _json_response("Upload slot", ref(Upload)),
            **_errors(400, 413, 415, 503),
        },
    },
    ("/api/triage", "POST"): {
        "summary": "SmartRe's analysis of a photo and/or description (nothing is stored here)",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body(TriageRequest),
        "responses": {
            "201": _json_response("The analysis", ref(TriageAnswer), Idempotent_Replayed=REPLAYED),
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
            "200": _json_response("The analysis", ref(Analysis)),
            **_errors(404, 503),
        },
    },
    ("/api/repairs", "POST"): {
        "summary": "Ask for a repair (contact details stay in RepairApp)",
        "parameters": [IDEMPOTENCY_KEY],
        "requestBody": _body(RepairRequest),
        "responses": {
            "201": _json_response(
                "Created; the token is shown once",
                ref(RepairCreated),
                Idempotent_Replayed=REPLAYED,
            ),
            **_errors(400, 404, 409, 413, 415, 422, 503),
        },
    },
    ("/api/repairs/{repairId}", "GET"): {
        "summary": "Track a request with its token (wrong or missing token: 404)",
        "parameters": [
            REPAIR_ID_PARAMETER,
            TRACKING_TOKEN,
        ],
        "responses": {
            "200": _json_response("The request", ref(TrackedRepair)),
            **_errors(404, 503),
        },
    },
    ("/api/repairs/{repairId}/booking", "PUT"): {
        "summary": "Book a seat at an event for the request, or move it there (its token)",
        "parameters": [REPAIR_ID_PARAMETER, TRACKING_TOKEN],
        "requestBody": _body(BookingRequest),
        "responses": {
            "200": _json_response("The request with its booking", ref(TrackedRepair)),
            **_errors(400, 404, 409, 413, 415, 422, 503),
        },
    },
    ("/api/repairs/{repairId}/booking", "DELETE"): {
        "summary": "Cancel the request's booking; the seat is free again (its token)",
        "parameters": [REPAIR_ID_PARAMETER, TRACKING_TOKEN],
        "responses": {
            "200": _json_response("The request, booking cancelled", ref(TrackedRepair)),
            **_errors(404, 409, 503),
        },
    },
    ("/api/staff/sessions", "POST"): {
        "summary": "Staff sign-in: Cognito ID token and roles",
        "requestBody": _body(StaffSessionRequest),
        "responses": {
            "201": _json_response("Signed in", ref(StaffSession)),
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
            "200": _json_response("A page", ref(RepairPage)),
            **_errors(400, 503),
        },
    },
    ("/api/staff/repairs/{repairId}", "GET"): {
        "summary": "The full request for staff, with contact details and version",
        "parameters": [REPAIR_ID_PARAMETER],
        "responses": {
            "200": _json_response("The request", ref(StaffRepair), ETag=ETAG),
            **_errors(404, 503),
        },
    },
    ("/api/staff/repairs/{repairId}/photo", "GET"): {
        "summary": "A short-lived link to the request's photo (staff only)",
        "description": "404 NoPhoto: sent without one; 404 PhotoGone: deleted (closed or 7 days)",
        "parameters": [REPAIR_ID_PARAMETER],
        "responses": {
            "200": _json_response("The link", ref(PhotoLink)),
            **_errors(404, 503),
        },
    },
    ("/api/repairs/{repairId}", "PATCH"): {
        "summary": "Change the status (closing sends the real outcome to SmartRe, once)",
        "parameters": [REPAIR_ID_PARAMETER, IF_MATCH],
        "requestBody": _body(RepairUpdate),
        "responses": {
            "200": _json_response("The updated request", ref(StaffRepair), ETag=ETAG),
            **_errors(400, 404, 409, 412, 413, 415, 428, 503),
        },
    },
    ("/api/stats", "GET"): {
        "summary": "Counts by status and category, share fixed, impact of fixed items",
        "responses": {"200": _json_response("The numbers", ref(Stats)), **_errors(503)},
    },
    ("/api/staff/products", "GET"): {
        "summary": "SmartRe's advice per category, every language (coordinators)",
        "responses": {"200": _json_response("Every entry", ref(ProductList)), **_errors(503)},
    },
    ("/api/staff/products/{productId}", "GET"): {
        "summary": "One category's advice with its version (coordinators)",
        "parameters": [PRODUCT_ID_PARAMETER],
        "responses": {
            "200": _json_response("The entry", ref(Product), ETag=ETAG),
            **_errors(404, 503),
        },
    },
    ("/api/staff/products/{productId}", "PUT"): {
        "summary": "Change a category's advice; the next triage shows it (coordinators)",
        "parameters": [PRODUCT_ID_PARAMETER, IF_MATCH],
        "requestBody": _body(ProductUpdate),
        "responses": {
            "200": _json_response("The saved entry", ref(Product), ETag=ETAG),
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
    # --- repair-café events (docs/events.md) ----------------------------------------------------
    ("/api/events", "GET"): {
        "summary": "Coming events: nearest first with ?postcode=, else soonest first",
        "parameters": [
            _query(
                "postcode", STRING, "A Belgian postcode: distances from it (400 InvalidPostcode)"
            ),
            _query("radiusKm", STRING, "With postcode: only events this close (default 30)"),
            _query("category", STRING, "Only events that take this ORDS category"),
        ],
        "responses": {"200": _json_response("The events", ref(EventList)), **_errors(400, 503)},
    },
    ("/api/events/{eventId}", "GET"): {
        "summary": "One event (NoSuchEvent: 404)",
        "parameters": [EVENT_ID_PARAMETER],
        "responses": {"200": _json_response("The event", ref(EventAnswer)), **_errors(404, 503)},
    },
    ("/api/events/{eventId}/calendar.ics", "GET"): {
        "summary": "The event as an iCalendar file (one VEVENT, stable UID)",
        "parameters": [EVENT_ID_PARAMETER],
        "responses": {
            "200": {
                "description": "RFC 5545 calendar",
                "content": {"text/calendar; charset=utf-8": {"schema": {"type": "string"}}},
            },
            **_errors(404, 503),
        },
    },
    ("/api/staff/events", "GET"): {
        "summary": "Every event, past ones too, newest first (coordinators)",
        "responses": {"200": _json_response("The events", ref(StaffEventList)), **_errors(503)},
    },
    ("/api/staff/events", "POST"): {
        "summary": "Plan an event (coordinators)",
        "requestBody": _body(EventInput),
        "responses": {
            "201": _json_response("Created", ref(StaffEvent), ETag=ETAG),
            **_errors(400, 413, 415, 503),
        },
    },
    ("/api/staff/events/{eventId}", "PATCH"): {
        "summary": "Edit an event; capacity never below the seats booked (coordinators)",
        "parameters": [EVENT_ID_PARAMETER, IF_MATCH],
        "requestBody": _body(EventChange),
        "responses": {
            "200": _json_response("The saved event", ref(StaffEvent), ETag=ETAG),
            **_errors(400, 404, 409, 412, 413, 415, 428, 503),
        },
    },
    ("/api/staff/events/{eventId}/items", "GET"): {
        "summary": "The event's items with their triage and parts/tools hints (prepare, table)",
        "parameters": [EVENT_ID_PARAMETER],
        "responses": {"200": _json_response("The items", ref(EventItems)), **_errors(404, 503)},
    },
    ("/api/staff/events/{eventId}/checkins", "POST"): {
        "summary": "Check a booked visitor in: the next ticket; the request goes in_repair",
        "description": "Idempotent: the same request again answers the same ticket",
        "parameters": [EVENT_ID_PARAMETER],
        "requestBody": _body(CheckinRequest),
        "responses": {
            "200": _json_response("The item with its ticket", ref(EventItem)),
            **_errors(400, 404, 409, 413, 415, 503),
        },
    },
    ("/api/staff/events/{eventId}/walk-ins", "POST"): {
        "summary": "A visitor without booking: created and checked in; triage runs afterwards",
        "parameters": [EVENT_ID_PARAMETER, IDEMPOTENCY_KEY],
        "requestBody": _body(WalkInRequest),
        "responses": {
            "201": _json_response("The item", ref(EventItem), Idempotent_Replayed=REPLAYED),
            **_errors(400, 404, 409, 413, 415, 422, 503),
        },
    },
    ("/api/staff/repairs/{repairId}/claim", "POST"): {
        "summary": "Take the item (claimedBy: you), at the version you saw",
        "parameters": [REPAIR_ID_PARAMETER, IF_MATCH],
        "responses": {
            "200": _json_response("The item", ref(EventItem), ETag=ETAG),
            **_errors(400, 404, 409, 412, 428, 503),
        },
    },
    ("/api/staff/events/{eventId}/summary", "GET"): {
        "summary": "After the event: seen, outcomes, barriers, items still without outcome",
        "parameters": [EVENT_ID_PARAMETER],
        "responses": {
            "200": _json_response("The summary", ref(EventSummary)),
            **_errors(404, 503),
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
