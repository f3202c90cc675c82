"""RepairApp's HTTP API (what the SPA calls): read the request, call one service, answer.

Every route sits behind the one error map; all but health also behind the origin guard, and
the staff routes behind the token check (see ``guards``). The request comes from
``request_context`` (per thread), not from Chalice's shared ``current_request``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection
from typing import Any

from chalice import Blueprint, Response

from chalicelib import __version__, ical
from chalicelib.auth import COORDINATOR, STAFF_ROLES
from chalicelib.guards import client_address, require_origin, require_staff
from chalicelib.services import (
    event_table,
    events,
    export,
    health,
    product_advice,
    queue,
    repair_requests,
    repair_updates,
    staff_photos,
    staff_sessions,
    stats,
    triage,
    vocabulary,
)
from repaircore.http import handles_errors, header, health_response, json_object, query_param
from repaircore.request_context import current_request

api = Blueprint(__name__)
TRACKING_TOKEN_HEADER = "X-Tracking-Token"  # noqa: S105 - a header name
ANALYSIS_TOKEN_HEADER = "X-Analysis-Token"  # noqa: S105 - a header name

# Every route, for the OpenAPI document and its drift test: (path, method, roles or None).
ROUTES: list[tuple[str, str, frozenset[str] | None]] = []


def route(
    path: str,
    methods: tuple[str, ...] = ("GET",),
    *,
    public: bool = False,
    roles: Collection[str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view behind the error map, the origin guard (unless public) and roles."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            request = current_request()
            if not public:
                require_origin(request)
            if roles is not None:
                require_staff(request, roles)
            return view(*args, **kwargs)

        api.route(path, methods=list(methods))(handles_errors(guarded))
        for method in methods:
            ROUTES.append((path, method, frozenset(roles) if roles is not None else None))
        return view

    return register


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        body=body,
        status_code=status,
        headers={
            "Content-Type": "application/json",
            "Cache-Control": "no-store",
            **(headers or {}),
        },
    )


def _replayed(replayed: bool) -> dict[str, str]:
    return {"Idempotent-Replayed": "true" if replayed else "false"}


def _versioned(repair: dict[str, Any]) -> Response:
    return _json(repair, headers={"ETag": f'"{repair["version"]}"'})


# --- citizens ---------------------------------------------------------------------------------
@route("/api/health", public=True)
def get_health() -> Response:
    return health_response("repairapp", __version__, health.check_dependencies())


@route("/api/vocabulary")
def get_vocabulary() -> Response:
    return Response(
        body=vocabulary.describe_vocabulary(),
        headers={"Content-Type": "application/json", "Cache-Control": "public, max-age=3600"},
    )


@route("/api/uploads", methods=("POST",))
def create_upload() -> Response:
    return _json(triage.start_upload(json_object(current_request())), 201)


@route("/api/triage", methods=("POST",))
def create_triage() -> Response:
    request = current_request()
    analysis, replayed = triage.run_triage(header(request, "Idempotency-Key"), json_object(request))
    return _json(analysis, 201, _replayed(replayed))


@route("/api/analyses/{analysisId}")
def get_analysis(analysisId: str) -> Response:  # noqa: N803 - the path parameter's name
    token = header(current_request(), ANALYSIS_TOKEN_HEADER)
    return _json(triage.get_analysis(analysisId, token))


@route("/api/repairs", methods=("POST",))
def create_repair() -> Response:
    request = current_request()
    created, replayed = repair_requests.submit_repair(
        header(request, "Idempotency-Key"), json_object(request)
    )
    return _json(created, 201, _replayed(replayed))


@route("/api/repairs/{repairId}")
def get_tracked_repair(repairId: str) -> Response:  # noqa: N803
    # The token travels in a header, never in the URL: request lines end up in access logs
    # (API Gateway, CloudFront, chalice local), headers do not.
    token = header(current_request(), TRACKING_TOKEN_HEADER)
    return _json(repair_requests.track_repair(repairId, token))


@route("/api/repairs/{repairId}/booking", methods=("PUT",))
def put_booking(repairId: str) -> Response:  # noqa: N803
    request = current_request()
    token = header(request, TRACKING_TOKEN_HEADER)
    return _json(repair_requests.book_repair(repairId, token, json_object(request)))


@route("/api/repairs/{repairId}/booking", methods=("DELETE",))
def delete_booking(repairId: str) -> Response:  # noqa: N803
    token = header(current_request(), TRACKING_TOKEN_HEADER)
    return _json(repair_requests.cancel_booking(repairId, token))


# --- staff ------------------------------------------------------------------------------------
@route("/api/staff/sessions", methods=("POST",))
def create_staff_session() -> Response:
    request = current_request()
    return _json(staff_sessions.start_session(json_object(request), client_address(request)), 201)


@route("/api/staff/sessions", methods=("DELETE",), roles=STAFF_ROLES)
def delete_staff_session() -> Response:
    staff_sessions.end_session(require_staff(current_request(), STAFF_ROLES))
    return Response(body="", status_code=204, headers={"Cache-Control": "no-store"})


@route("/api/repairs", roles=STAFF_ROLES)
def list_repairs() -> Response:
    request = current_request()
    return _json(
        queue.list_repairs(
            query_param(request, "status"),
            query_param(request, "category"),
            query_param(request, "cursor"),
            query_param(request, "limit"),
        )
    )


@route("/api/staff/repairs/{repairId}", roles=STAFF_ROLES)
def get_staff_repair(repairId: str) -> Response:  # noqa: N803
    return _versioned(repair_updates.get_repair(repairId))


@route("/api/staff/repairs/{repairId}/photo", roles=STAFF_ROLES)
def get_staff_repair_photo(repairId: str) -> Response:  # noqa: N803
    return _json(staff_photos.photo_link(repairId))


@route("/api/repairs/{repairId}", methods=("PATCH",), roles=STAFF_ROLES)
def update_repair(repairId: str) -> Response:  # noqa: N803
    request = current_request()
    return _versioned(
        repair_updates.update_repair(repairId, header(request, "If-Match"), json_object(request))
    )


@route("/api/stats", roles=STAFF_ROLES)
def get_stats() -> Response:
    return _json(stats.repair_stats())


@route("/api/export.csv", roles=COORDINATOR)
def export_repairs() -> Response:
    return Response(
        body=export.export_csv(),
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": 'attachment; filename="repairapp-open-repair-data.csv"',
            "Cache-Control": "no-store",
        },
    )


# --- coordinators: the advice the triage gives, per category and language ----------------------
@route("/api/staff/products", roles=COORDINATOR)
def list_products() -> Response:
    return _json(product_advice.list_products())


@route("/api/staff/products/{productId}", roles=COORDINATOR)
def get_product(productId: str) -> Response:  # noqa: N803
    return _versioned(product_advice.get_product(productId))


@route("/api/staff/products/{productId}", methods=("PUT",), roles=COORDINATOR)
def update_product(productId: str) -> Response:  # noqa: N803
    request = current_request()
    return _versioned(
        product_advice.update_product(productId, header(request, "If-Match"), json_object(request))
    )


# --- repair-café events (docs/events.md) -----------------------------------------------------
@route("/api/events")
def list_events() -> Response:
    request = current_request()
    return _json(
        events.list_coming_events(
            query_param(request, "postcode"),
            query_param(request, "radiusKm"),
            query_param(request, "category"),
        )
    )


@route("/api/events/{eventId}")
def get_event(eventId: str) -> Response:  # noqa: N803
    return _json(events.get_event(eventId))


@route("/api/events/{eventId}/calendar.ics")
def get_event_calendar(eventId: str) -> Response:  # noqa: N803
    item = events.find_event(eventId)
    return Response(
        body=ical.event_calendar(item).decode("utf-8"),
        headers={
            "Content-Type": "text/calendar; charset=utf-8",
            "Content-Disposition": f'attachment; filename="repair-cafe-{eventId}.ics"',
            "Cache-Control": "no-cache",
        },
    )


@route("/api/staff/events", roles=COORDINATOR)
def list_staff_events() -> Response:
    return _json(events.list_all_events())


@route("/api/staff/events", methods=("POST",), roles=COORDINATOR)
def create_event() -> Response:
    request = current_request()
    staff = require_staff(request, COORDINATOR)
    created = events.create_event(json_object(request), staff.username)
    return _json(created, 201, {"ETag": f'"{created["version"]}"'})


@route("/api/staff/events/{eventId}", methods=("PATCH",), roles=COORDINATOR)
def update_event(eventId: str) -> Response:  # noqa: N803
    request = current_request()
    return _versioned(
        events.update_event(eventId, header(request, "If-Match"), json_object(request))
    )


# --- the event's day: any staff role ---------------------------------------------------------
@route("/api/staff/events/{eventId}/items", roles=STAFF_ROLES)
def list_event_items(eventId: str) -> Response:  # noqa: N803
    return _json(event_table.list_items(eventId))


@route("/api/staff/events/{eventId}/checkins", methods=("POST",), roles=STAFF_ROLES)
def create_checkin(eventId: str) -> Response:  # noqa: N803
    return _json(event_table.check_in(eventId, json_object(current_request())))


@route("/api/staff/events/{eventId}/walk-ins", methods=("POST",), roles=STAFF_ROLES)
def create_walk_in(eventId: str) -> Response:  # noqa: N803
    request = current_request()
    item, replayed = event_table.walk_in(
        eventId, header(request, "Idempotency-Key"), json_object(request)
    )
    return _json(item, 201, _replayed(replayed))


@route("/api/staff/repairs/{repairId}/claim", methods=("POST",), roles=STAFF_ROLES)
def claim_repair(repairId: str) -> Response:  # noqa: N803
    request = current_request()
    staff = require_staff(request, STAFF_ROLES)
    item = event_table.claim(repairId, header(request, "If-Match"), staff.username)
    return _json(item, headers={"ETag": f'"{item["version"]}"'})


@route("/api/staff/events/{eventId}/summary", roles=STAFF_ROLES)
def get_event_summary(eventId: str) -> Response:  # noqa: N803
    return _json(event_table.summary(eventId))
