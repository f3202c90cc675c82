"""Who may call what: every route of both APIs x every kind of caller, as a table.

Callers: nobody (no credential), a citizen holding the tracking token of *another* request,
a signed-in repairer, a signed-in coordinator, and the SmartRe service credential. RepairApp
is called through the CloudFront emulator (the origin header is added, as in production);
direct calls without that header, and presigned upload policies, have tests of their own.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from localaws.stack import LocalStack
from repaircore.vocabulary import PRODUCT_CATEGORIES
from tests.reliability.conftest import DESCRIPTION, RepairApp, SmartRe, new_key, repair_body
from tests.support.http import call

CALLERS = ("nobody", "other_citizen", "repairer", "coordinator", "service")


@dataclass
class World:
    """What the table's requests refer to: one analysis, two requests, everyone's credentials."""

    analysis_id: str
    analysis_token: str
    repair_id: str
    token: str
    other_token: str
    headers: dict[str, dict[str, str]]
    staff_credentials: dict[str, str]
    fresh_repair: Callable[[], str]
    event_id: str = ""


@pytest.fixture(scope="module")
def world(repairapp: RepairApp, stack: LocalStack) -> World:
    triage = repairapp.triage({"description": DESCRIPTION, "language": "en"})
    assert triage.status == 201, triage.data
    analysis_id = triage.json["analysisId"]
    mine, other = (repairapp.submit(analysis_id) for _ in range(2))
    assert mine.status == other.status == 201

    def fresh_repair() -> str:
        created = repairapp.submit(analysis_id)
        assert created.status == 201, created.data
        return str(created.json["repairId"])

    creds = stack.demo_staff["repairer"]
    coordinator = repairapp.sign_in("coordinator")
    event = repairapp.post("/api/staff/events", EVENT_BODY, **coordinator)
    assert event.status == 201, event.data
    return World(
        event_id=event.json["eventId"],
        analysis_id=analysis_id,
        analysis_token=triage.json["analysisToken"],
        repair_id=mine.json["repairId"],
        token=mine.json["trackingToken"],
        other_token=other.json["trackingToken"],
        headers={
            "nobody": {},
            "other_citizen": {"Authorization": f"Bearer {other.json['trackingToken']}"},
            "repairer": repairapp.sign_in("repairer"),
            "coordinator": repairapp.sign_in("coordinator"),
            "service": {"Authorization": f"Bearer {stack.service_key}"},
        },
        staff_credentials={"username": creds["username"], "password": creds["password"]},
        fresh_repair=fresh_repair,
    )


@dataclass(frozen=True)
class Route:
    """One operation: how to call it validly, and what each caller gets (status, Code)."""

    name: str
    request: Callable[[World, str], tuple[str, str, Any]]
    expected: dict[str, tuple[int, str | None]]


_STARTS = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
EVENT_BODY = {
    "groupIdentifier": "Repair Café Leuven",
    "place": "Parochiezaal",
    "address": "Naamsestraat 1",
    "postcode": "3000",
    "startsAt": _STARTS.isoformat(),
    "endsAt": (_STARTS + timedelta(hours=3)).isoformat(),
    "capacity": 20,
    "categories": list(PRODUCT_CATEGORIES),  # whatever the triage makes of the kettle
    "skills": ["electrical"],
}
OK = {caller: (200, None) for caller in CALLERS}
CREATED = {caller: (201, None) for caller in CALLERS}
UNAUTHORIZED = (401, "Unauthorized")
STAFF_ONLY = {
    "nobody": UNAUTHORIZED,
    "other_citizen": UNAUTHORIZED,
    "repairer": (200, None),
    "coordinator": (200, None),
    "service": UNAUTHORIZED,
}
NOT_FOUND = (404, "NotFound")

REPAIRAPP_ROUTES = [
    Route("GET /api/health", lambda w, c: ("GET", "/api/health", None), OK),
    Route("GET /api/vocabulary", lambda w, c: ("GET", "/api/vocabulary", None), OK),
    Route(
        "POST /api/uploads",
        lambda w, c: ("POST", "/api/uploads", {"contentType": "image/png"}),
        CREATED,
    ),
    Route(
        "POST /api/triage",
        lambda w, c: ("POST", "/api/triage", {"description": DESCRIPTION, "language": "nl"}),
        CREATED,
    ),
    # An analysis holds what a person typed: only its token (from the triage answer) opens it.
    Route(
        "GET /api/analyses/{analysisId} (its token)",
        lambda w, c: (
            "GET",
            f"/api/analyses/{w.analysis_id}?analysisToken={w.analysis_token}",
            None,
        ),
        OK,
    ),
    Route(
        "GET /api/analyses/{analysisId} (no token)",
        lambda w, c: ("GET", f"/api/analyses/{w.analysis_id}", None),
        {caller: NOT_FOUND for caller in CALLERS},
    ),
    Route(
        "POST /api/repairs",
        lambda w, c: ("POST", "/api/repairs", repair_body(w.analysis_id)),
        CREATED,
    ),
    # The tracking token is the only key to a citizen's request: a bearer credential of any
    # kind opens nothing, and another request's token is the same 404 as no token at all.
    Route(
        "GET /api/repairs/{repairId} (another request's token)",
        lambda w, c: ("GET", f"/api/repairs/{w.repair_id}?token={w.other_token}", None),
        {caller: NOT_FOUND for caller in CALLERS},
    ),
    Route(
        "GET /api/repairs/{repairId} (no token)",
        lambda w, c: ("GET", f"/api/repairs/{w.repair_id}", None),
        {caller: NOT_FOUND for caller in CALLERS},
    ),
    Route(
        "GET /api/repairs/{repairId} (its own token)",
        lambda w, c: ("GET", f"/api/repairs/{w.repair_id}?token={w.token}", None),
        OK,
    ),
    # A booking is changed with the request's own token only (the table's event is far ahead).
    Route(
        "PUT /api/repairs/{repairId}/booking (its own token)",
        lambda w, c: (
            "PUT",
            f"/api/repairs/{w.repair_id}/booking?token={w.token}",
            {"eventId": w.event_id},
        ),
        OK,
    ),
    Route(
        "PUT /api/repairs/{repairId}/booking (another request's token)",
        lambda w, c: (
            "PUT",
            f"/api/repairs/{w.repair_id}/booking?token={w.other_token}",
            {"eventId": w.event_id},
        ),
        {caller: NOT_FOUND for caller in CALLERS},
    ),
    Route(
        "DELETE /api/repairs/{repairId}/booking (its own token)",
        lambda w, c: ("DELETE", f"/api/repairs/{w.repair_id}/booking?token={w.token}", None),
        OK,
    ),
    Route(
        "DELETE /api/repairs/{repairId}/booking (no token)",
        lambda w, c: ("DELETE", f"/api/repairs/{w.repair_id}/booking", None),
        {caller: NOT_FOUND for caller in CALLERS},
    ),
    Route(
        "POST /api/staff/sessions",
        lambda w, c: ("POST", "/api/staff/sessions", w.staff_credentials),
        CREATED,
    ),
    # Signing out ends only the session it is called with (the table's staff tokens are fresh
    # ones, so the rows after it keep theirs).
    Route(
        "DELETE /api/staff/sessions",
        lambda w, c: ("DELETE", "/api/staff/sessions", None),
        {**STAFF_ONLY, "repairer": (204, None), "coordinator": (204, None)},
    ),
    Route("GET /api/repairs", lambda w, c: ("GET", "/api/repairs?limit=5", None), STAFF_ONLY),
    Route(
        "GET /api/staff/repairs/{repairId}",
        lambda w, c: ("GET", f"/api/staff/repairs/{w.repair_id}", None),
        STAFF_ONLY,
    ),
    # Only staff mint a link to a person's photo (this request was made without one).
    Route(
        "GET /api/staff/repairs/{repairId}/photo",
        lambda w, c: ("GET", f"/api/staff/repairs/{w.repair_id}/photo", None),
        {**STAFF_ONLY, "repairer": (404, "NoPhoto"), "coordinator": (404, "NoPhoto")},
    ),
    Route(
        "PATCH /api/repairs/{repairId}",
        lambda w, c: ("PATCH", f"/api/repairs/{w.fresh_repair()}", {"status": "accepted"}),
        STAFF_ONLY,
    ),
    Route("GET /api/stats", lambda w, c: ("GET", "/api/stats", None), STAFF_ONLY),
    # The advice per category: coordinators only. The PUT is sent without If-Match, so the
    # table never changes the catalogue: a coordinator gets 428, anyone else is refused first.
    Route(
        "GET /api/staff/products",
        lambda w, c: ("GET", "/api/staff/products", None),
        {**STAFF_ONLY, "repairer": (403, "Forbidden")},
    ),
    Route(
        "GET /api/staff/products/{productId}",
        lambda w, c: ("GET", "/api/staff/products/laptop", None),
        {**STAFF_ONLY, "repairer": (403, "Forbidden")},
    ),
    Route(
        "PUT /api/staff/products/{productId}",
        lambda w, c: (
            "PUT",
            "/api/staff/products/laptop",
            {"category": "Laptop", "name": {"en": "Laptop"}, "typicalRepair": {"en": "Battery"}},
        ),
        {
            **STAFF_ONLY,
            "repairer": (403, "Forbidden"),
            "coordinator": (428, "PreconditionRequired"),
        },
    ),
    Route(
        "GET /api/export.csv",
        lambda w, c: ("GET", "/api/export.csv", None),
        {**STAFF_ONLY, "repairer": (403, "Forbidden")},
    ),
    # Repair-café events: the coming ones are for everyone; planning them is for coordinators.
    Route("GET /api/events", lambda w, c: ("GET", "/api/events?postcode=3000", None), OK),
    Route("GET /api/events/{eventId}", lambda w, c: ("GET", f"/api/events/{w.event_id}", None), OK),
    Route(
        "GET /api/events/{eventId}/calendar.ics",
        lambda w, c: ("GET", f"/api/events/{w.event_id}/calendar.ics", None),
        OK,
    ),
    Route(
        "GET /api/staff/events",
        lambda w, c: ("GET", "/api/staff/events", None),
        {**STAFF_ONLY, "repairer": (403, "Forbidden")},
    ),
    Route(
        "POST /api/staff/events",
        lambda w, c: ("POST", "/api/staff/events", EVENT_BODY),
        {**STAFF_ONLY, "repairer": (403, "Forbidden"), "coordinator": (201, None)},
    ),
    Route(
        "PATCH /api/staff/events/{eventId}",
        lambda w, c: ("PATCH", f"/api/staff/events/{w.event_id}", {"place": "De Zaal"}),
        {**STAFF_ONLY, "repairer": (403, "Forbidden")},
    ),
    # The event's day: every staff role. The check-in names a request booked elsewhere (404);
    # the claim is sent at version 1 of a request that moved on (412): neither changes anything.
    Route(
        "GET /api/staff/events/{eventId}/items",
        lambda w, c: ("GET", f"/api/staff/events/{w.event_id}/items", None),
        STAFF_ONLY,
    ),
    Route(
        "POST /api/staff/events/{eventId}/checkins",
        lambda w, c: (
            "POST",
            f"/api/staff/events/{w.event_id}/checkins",
            {"repairId": "rp_" + "N" * 22},
        ),
        {
            **STAFF_ONLY,
            "repairer": (404, "NoSuchBooking"),
            "coordinator": (404, "NoSuchBooking"),
        },
    ),
    Route(
        "POST /api/staff/events/{eventId}/walk-ins",
        lambda w, c: (
            "POST",
            f"/api/staff/events/{w.event_id}/walk-ins",
            {"description": "Lamp flickers", "productCategory": "Lamp", "language": "nl"},
        ),
        {**STAFF_ONLY, "repairer": (201, None), "coordinator": (201, None)},
    ),
    Route(
        "POST /api/staff/repairs/{repairId}/claim",
        lambda w, c: ("POST", f"/api/staff/repairs/{w.repair_id}/claim", None),
        STAFF_ONLY,
    ),
    Route(
        "GET /api/staff/events/{eventId}/summary",
        lambda w, c: ("GET", f"/api/staff/events/{w.event_id}/summary", None),
        STAFF_ONLY,
    ),
]

SERVICE_ONLY = {
    "nobody": UNAUTHORIZED,
    "other_citizen": (403, "Forbidden"),
    "repairer": (403, "Forbidden"),
    "coordinator": (403, "Forbidden"),
}
SMARTRE_ROUTES = [
    Route("GET /api/health", lambda w, c: ("GET", "/api/health", None), OK),
    Route(
        "POST /api/images",
        lambda w, c: ("POST", "/api/images", {"contentType": "image/webp"}),
        {**SERVICE_ONLY, "service": (201, None)},
    ),
    Route(
        "GET /api/images/{image_id}/link",
        lambda w, c: ("GET", f"/api/images/img_{'N' * 22}/link", None),
        {**SERVICE_ONLY, "service": (404, "PhotoGone")},
    ),
    Route(
        "POST /api/analyses",
        lambda w, c: ("POST", "/api/analyses", {"description": DESCRIPTION}),
        {**SERVICE_ONLY, "service": (201, None)},
    ),
    Route(
        "GET /api/analyses/{analysis_id}",
        lambda w, c: ("GET", f"/api/analyses/{w.analysis_id}", None),
        {**SERVICE_ONLY, "service": (200, None)},
    ),
    Route(
        "POST /api/analyses/{analysis_id}/feedback",
        lambda w, c: (
            "POST",
            f"/api/analyses/{w.analysis_id}/feedback",
            {"outcome": "Fixed", "source": "reliability-test"},
        ),
        {**SERVICE_ONLY, "service": (201, None)},
    ),
    Route(
        "GET /api/products",
        lambda w, c: ("GET", "/api/products?limit=3", None),
        {**SERVICE_ONLY, "service": (200, None)},
    ),
    Route(
        "GET /api/products/{product_id}",
        lambda w, c: ("GET", "/api/products/laptop", None),
        {**SERVICE_ONLY, "service": (200, None)},
    ),
    Route(
        "PUT /api/products/{product_id}",
        lambda w, c: ("PUT", "/api/products/laptop", {"name": {"en": "Laptop"}}),
        # The body is incomplete on purpose: only the service gets past the authorizer to the
        # validation (and so changes nothing in the catalogue).
        {**SERVICE_ONLY, "service": (400, "MissingField")},
    ),
]


def _cases(routes: list[Route]) -> list[Any]:
    return [
        pytest.param(route, caller, id=f"{route.name} as {caller}")
        for route in routes
        for caller in CALLERS
    ]


def _check(reply: Any, expected: tuple[int, str | None]) -> None:
    status, code = expected
    assert reply.status == status, reply.data[:300]
    if code is not None:
        assert reply.json["Code"] == code, reply.data[:300]


@pytest.mark.parametrize(("route", "caller"), _cases(REPAIRAPP_ROUTES))
def test_repairapp_answers_each_caller_as_the_table_says(
    repairapp: RepairApp, world: World, route: Route, caller: str
) -> None:
    method, path, body = route.request(world, caller)
    headers = {**world.headers[caller]}
    if method == "DELETE" and caller in ("repairer", "coordinator") and "/booking" not in path:
        headers = repairapp.sign_in(caller)
    # The table writes a tracking token as "?token=" for brevity; it travels in its header.
    path, _, token = path.partition("?token=")
    if token:
        headers["X-Tracking-Token"] = token
    path, _, analysis_token = path.partition("?analysisToken=")
    if analysis_token:
        headers["X-Analysis-Token"] = analysis_token
    if method == "PATCH" or path.endswith("/claim"):
        headers["If-Match"] = headers.get("If-Match", "1")
    if path.endswith("/claim") and caller in ("repairer", "coordinator"):
        version = repairapp.get(f"/api/staff/repairs/{world.repair_id}", **headers).json
        headers["If-Match"] = str(version["version"])
    if (path in ("/api/triage", "/api/repairs") or path.endswith("/walk-ins")) and method == "POST":
        headers["Idempotency-Key"] = new_key("acc")

    reply = repairapp.call(method, path, body, **headers)

    _check(reply, route.expected[caller])


@pytest.mark.parametrize(("route", "caller"), _cases(SMARTRE_ROUTES))
def test_smartre_answers_each_caller_as_the_table_says(
    smartre: SmartRe, world: World, route: Route, caller: str
) -> None:
    method, path, body = route.request(world, caller)
    headers = {**world.headers[caller]}
    if method == "POST" and "/api/analyses" in path:
        headers["Idempotency-Key"] = new_key("acc")

    reply = call(method, smartre.base + path, body, headers)

    _check(reply, route.expected.get(caller, (200, None)))


def test_every_route_of_both_apps_is_in_the_tables() -> None:
    documented = {
        app: {
            f"{method.upper()} {path}"
            for path, operations in json.loads(
                (Path(__file__).resolve().parents[2] / app / "openapi.json").read_text()
            )["paths"].items()
            for method in operations
        }
        for app in ("repairapp", "smartre")
    }
    tabled = {
        "repairapp": {r.name.split(" (")[0] for r in REPAIRAPP_ROUTES},
        "smartre": {r.name for r in SMARTRE_ROUTES},
    }

    assert tabled == documented


@pytest.mark.parametrize(
    "operation", [r for r in REPAIRAPP_ROUTES if r.name != "GET /api/health"], ids=lambda r: r.name
)
def test_a_direct_call_without_the_origin_header_is_refused_even_for_a_coordinator(
    stack: LocalStack, world: World, operation: Route
) -> None:
    method, path, body = operation.request(world, "coordinator")
    headers = {**world.headers["coordinator"], "If-Match": "1", "Idempotency-Key": new_key("dir")}

    reply = call(method, stack.repairapp_url + path, body, headers)

    assert reply.status == 403, reply.data[:300]
    assert reply.json["Code"] == "DirectAccessForbidden"


@pytest.mark.parametrize("presented", ["", "wrong", "x" * 4096], ids=["empty", "wrong", "huge"])
def test_a_direct_call_with_a_wrong_origin_header_is_refused(
    stack: LocalStack, presented: str
) -> None:
    reply = call(
        "GET", stack.repairapp_url + "/api/vocabulary", None, {"X-Origin-Verify": presented}
    )

    assert reply.status == 403
    assert reply.json["Code"] == "DirectAccessForbidden"


def test_a_direct_call_with_the_origin_secret_is_served(stack: LocalStack) -> None:
    reply = call(
        "GET",
        stack.repairapp_url + "/api/vocabulary",
        None,
        {"X-Origin-Verify": stack.origin_secret},
    )

    assert reply.status == 200


def _policy(upload: dict[str, Any]) -> dict[str, Any]:
    raw = upload["fields"]["policy"]
    return dict(json.loads(base64.b64decode(raw + "=" * (-len(raw) % 4))))


def _conditions(policy: dict[str, Any]) -> dict[str, Any]:
    """Conditions keyed by field: {"key": value} objects and ["op", "$field"|name, ...] lists."""
    found: dict[str, Any] = {}
    for condition in policy["conditions"]:
        if isinstance(condition, dict):
            found.update({name.lower(): ("eq", value) for name, value in condition.items()})
        elif condition[0] == "content-length-range":
            found["content-length-range"] = tuple(condition)
        else:
            op, field, *rest = condition
            found[str(field).lstrip("$").lower()] = (op, *rest)
    return found


@pytest.mark.parametrize("content_type", ["image/jpeg", "image/png", "image/webp"])
def test_an_upload_policy_admits_one_key_one_type_a_size_range_for_five_minutes(
    repairapp: RepairApp, content_type: str
) -> None:
    # Given an upload slot
    before = datetime.now(UTC).replace(microsecond=0)
    ticket = repairapp.post("/api/uploads", {"contentType": content_type})
    assert ticket.status == 201

    # When its signed policy is decoded
    upload = ticket.json
    policy = _policy(upload)
    conditions = _conditions(policy)

    # Then it names exactly this object, this type, 1 byte to maxBytes, and expires within 5 min
    image_id = upload["imageId"]
    assert conditions["key"] == ("eq", f"uploads/{image_id}/photo")
    assert upload["fields"]["key"] == f"uploads/{image_id}/photo"
    assert conditions["content-type"] == ("eq", content_type)
    assert conditions["content-length-range"] == ("content-length-range", 1, upload["maxBytes"])
    assert upload["maxBytes"] == 10 * 1024 * 1024
    assert conditions["bucket"][1] in upload["url"]
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert before < expires <= before + timedelta(minutes=5, seconds=2)
    assert datetime.fromisoformat(upload["expiresAt"].replace("Z", "+00:00")) <= expires
    assert upload["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"


@pytest.mark.parametrize(
    "content_type", ["image/gif", "image/svg+xml", "text/html", "application/pdf", "image/heic"]
)
def test_an_upload_slot_for_other_types_is_refused(repairapp: RepairApp, content_type: str) -> None:
    reply = repairapp.post("/api/uploads", {"contentType": content_type})

    assert reply.status == 400
    assert reply.json["Code"] == "UnsupportedImageType"


def test_two_upload_slots_never_share_a_key(repairapp: RepairApp) -> None:
    keys = {
        _conditions(_policy(repairapp.post("/api/uploads", {"contentType": "image/jpeg"}).json))[
            "key"
        ][1]
        for _ in range(5)
    }

    assert len(keys) == 5


def test_a_coordinator_token_minted_with_motos_bundled_key_is_refused(
    repairapp: RepairApp, stack: LocalStack
) -> None:
    # Given an attacker with the local ports and the private key that ships inside moto
    import time

    import jwt
    from moto.utilities.utils import load_resource

    bundled = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"), "RS256")
    now = int(time.time())
    session = repairapp.sign_in("coordinator")["Authorization"].removeprefix("Bearer ")
    real = jwt.decode(session, options={"verify_signature": False})
    forged = jwt.encode(
        {**real, "iat": now, "exp": now + 600, "jti": "forged"},
        bundled.key,
        algorithm="RS256",
        headers={"kid": "dummy"},
    )

    # When they present a token with a real coordinator's claims, signed with that key
    reply = repairapp.call("GET", "/api/export.csv", None, Authorization=f"Bearer {forged}")

    # Then the local Cognito's own key does not verify it
    assert reply.status == 401, reply.data[:300]
    assert reply.json["Code"] == "Unauthorized"


@pytest.mark.parametrize(
    "tamper",
    ["other-key", "other-type", "too-large", "site-bucket", "no-policy"],
)
def test_the_local_s3_refuses_an_upload_its_policy_forbids(
    repairapp: RepairApp, stack: LocalStack, tamper: str
) -> None:
    # Given a real upload slot
    from tests.support.http import upload as post_upload

    slot = repairapp.post("/api/uploads", {"contentType": "image/jpeg"}).json
    fields = dict(slot["fields"])
    data = b"\xff\xd8\xff photo"
    url = slot["url"]
    site_bucket = stack.spec.site_bucket.name

    # When the form is changed the way an attacker would
    if tamper == "other-key":
        fields["key"] = "uploads/someone-else/photo"
    elif tamper == "other-type":
        fields["Content-Type"] = "text/html"
    elif tamper == "too-large":
        data = b"\xff" * (slot["maxBytes"] + 20)
    elif tamper == "site-bucket":
        url = url.rsplit("/", 1)[0] + "/" + site_bucket
        fields["key"] = "index.html"
    else:
        fields = {"key": "index.html", "Content-Type": "text/html"}
        url = url.rsplit("/", 1)[0] + "/" + site_bucket
    reply = post_upload({**slot, "url": url, "fields": fields}, data)

    # Then S3 (the emulator, as AWS) refuses it, and the untouched slot still works
    assert reply.status in (400, 403), reply.data[:300]
    assert b"<Code>" in reply.data
    assert post_upload(slot, b"\xff\xd8\xff photo").status == 204


def test_the_emulators_port_without_the_stacks_credentials_opens_nothing(
    repairapp: RepairApp, stack: LocalStack
) -> None:
    # Given an attacker who reaches the embedded AWS's port: unsigned, with the well-known
    # `testing` keys, or with the stack's key id (it shows in upload forms) and a guessed secret
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError

    from infra.app_config import parameter_path

    assert stack.emulator is not None
    assert stack.spec is not None
    emulator, spec = stack.emulator, stack.spec
    base = parameter_path(spec)
    repairapp.upload_photo(b"\xff\xd8\xff a person's photo")
    ssm = emulator.client("ssm")
    pool = ssm.get_parameter(Name=base + "user-pool-id")["Parameter"]["Value"]
    client_id = ssm.get_parameter(Name=base + "user-pool-client-id")["Parameter"]["Value"]
    coordinator = stack.demo_staff["coordinator"]["username"]
    repairer = stack.demo_staff["repairer"]["username"]
    site_index = emulator.client("s3").get_object(Bucket=spec.site_bucket.name, Key="index.html")
    index_before = site_index["Body"].read()
    attackers = {
        "unsigned": {"config": Config(signature_version=UNSIGNED, retries={"max_attempts": 1})},
        "testing": {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"},
        "guessed": {"aws_access_key_id": emulator.credentials.access_key_id,
                    "aws_secret_access_key": "guessed", "aws_session_token": "guessed"},
    }  # fmt: skip
    attempts: list[tuple[str, Callable[[Any], Any]]] = [
        # read personal data
        ("dynamodb", lambda c: c.scan(TableName=spec.repairs_table.name)),
        ("s3", lambda c: c.list_objects_v2(Bucket=spec.photos_bucket.name)),
        ("ssm", lambda c: c.get_parameter(Name=spec.service_key.name, WithDecryption=True)),
        ("cognito-idp", lambda c: c.list_users(UserPoolId=pool)),
        # write what the upload policy forbids: a page into the site
        ("s3", lambda c: c.put_object(Bucket=spec.site_bucket.name, Key="index.html",
                                      Body=b"<h1>owned</h1>", ContentType="text/html")),
        # mint a coordinator token: promote an account, or make one
        ("cognito-idp", lambda c: c.admin_add_user_to_group(
            UserPoolId=pool, Username=repairer, GroupName="coordinator")),
        ("cognito-idp", lambda c: c.admin_set_user_password(
            UserPoolId=pool, Username=coordinator, Password="Owned-Passw0rd!", Permanent=True)),
        ("cognito-idp", lambda c: c.admin_initiate_auth(
            UserPoolId=pool, ClientId=client_id, AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": coordinator, "PASSWORD": "x"})),
    ]  # fmt: skip

    # When they try each door with each
    answers = []
    for name, keys in attackers.items():
        for service, attempt in attempts:
            client = boto3.client(
                service, endpoint_url=emulator.endpoint_url, region_name=spec.region,
                **{"config": Config(retries={"max_attempts": 1}), **keys},
            )  # fmt: skip
            with pytest.raises(ClientError) as raised:
                attempt(client)
            answers.append((name, service, raised.value.response["Error"]["Code"]))
    # ...and sign themselves up to the staff pool, which needs no credentials on AWS either
    unsigned = boto3.client(
        "cognito-idp", endpoint_url=emulator.endpoint_url, region_name=spec.region,
        config=Config(signature_version=UNSIGNED),
    )  # fmt: skip
    with pytest.raises(ClientError) as sign_up:
        unsigned.sign_up(ClientId=client_id, Username="mallory", Password="Owned-Passw0rd!")

    # Then every door answers AWS's refusal, and nothing changed
    refusals = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken",
                "MissingAuthenticationToken", "MissingAuthenticationTokenException",
                "UnrecognizedClientException", "InvalidClientTokenId",
                "InvalidSignatureException"}  # fmt: skip
    assert all(code in refusals for _, _, code in answers), answers
    assert len(answers) == len(attackers) * len(attempts)
    assert sign_up.value.response["Error"]["Code"] == "NotAuthorizedException"
    cognito = emulator.client("cognito-idp")
    groups = cognito.admin_list_groups_for_user(UserPoolId=pool, Username=repairer)["Groups"]
    assert [g["GroupName"] for g in groups] == ["repairer"]
    site_index = emulator.client("s3").get_object(Bucket=spec.site_bucket.name, Key="index.html")
    assert site_index["Body"].read() == index_before
    assert repairapp.sign_in("coordinator")  # the real password still works
