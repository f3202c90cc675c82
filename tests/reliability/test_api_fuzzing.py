"""Both APIs fuzzed by schemathesis from their committed OpenAPI documents, on the live stack.

Authenticated runs (SmartRe with the service key; RepairApp with the CloudFront origin header
and a coordinator's token) reach the real code: every phase runs (examples, the coverage
phase's boundary and invalid values, random fuzzing, stateful sequences following the links
schemathesis infers) and every check applies, so any 5xx, any status, header, content type or
body the document does not declare, any invalid input accepted, any missing credential or
required header ignored, fails the test. Unauthenticated runs (random or no credentials, and
for RepairApp no origin header) must be refused everywhere but health, in the documented shape.

One check is off: ``positive_data_acceptance`` (a schema-valid request must not get a 4xx).
The documents cannot express what these APIs check beyond types and sizes: that an id or a
cursor is one the API issued, Belgian postcodes, text that is still long enough once control
characters and whitespace runs are removed, "a photo, a description or both". Those requests
get the documented 400/404/422 with a specific ``Code``, which the other checks verify.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from localaws.stack import LocalStack
from tests.reliability.conftest import RepairApp
from tests.reliability.fuzzing import FuzzReport, fuzz

REPO_ROOT = Path(__file__).resolve().parents[2]
# `make test` runs a sample of about 300 generated requests per app; `make bench` the full 1,000
# (FUZZ_REQUESTS=1000), which takes about 3.5 minutes more on 2 cores.
MIN_REQUESTS = int(os.environ.get("FUZZ_REQUESTS", "300"))
SEED = 20261127
AUTHENTICATED_CHECKS: dict[str, Any] = {
    "positive_data_acceptance": {"enabled": False},
    # Without Idempotency-Key: 400; without a staff token: 401; without the origin header
    # too (schemathesis drops every credential at once): 403; without If-Match: 428.
    "missing_required_header": {"expected-statuses": [400, 401, 403, 428]},
    # schemathesis's list plus 413: a body over the 16 KiB limit is refused before it is read
    # (BodyTooLarge), e.g. an advice edit at every field's maximum length in four languages.
    "negative_data_rejection": {
        "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]
    },
}
UNAUTHENTICATED_CHECKS: dict[str, Any] = {
    name: {"enabled": False}
    for name in (
        "positive_data_acceptance",
        "negative_data_rejection",
        "missing_required_header",
        "ignored_auth",
        "use_after_free",
        "ensure_resource_availability",
    )
}
# Refused before any view runs: an undeclared method (405) or body media type (415).
REFUSED_BEFORE_ROUTING = {405, 415}


def _document(app: str) -> dict[str, Any]:
    return dict(json.loads((REPO_ROOT / app / "openapi.json").read_text()))


def _operations(app: str) -> int:
    return sum(len(operations) for operations in _document(app)["paths"].values())


def _examples_per_operation(at_1000: int) -> int:
    """The per-operation budget that yields about MIN_REQUESTS (``at_1000`` yields 1,000)."""
    return max(3, math.ceil(at_1000 * MIN_REQUESTS / 1000))


def _assert_clean(report: FuzzReport) -> None:
    assert report.errors == [], report.summary()
    assert report.failures == [], report.summary()
    assert report.server_errors == 0, report.summary()


def test_smartre_with_the_service_key_survives_the_generated_requests(
    stack: LocalStack,
) -> None:
    report = fuzz(
        _document("smartre"),
        stack.smartre_url,
        seed=SEED,
        max_examples=_examples_per_operation(38),
        workers=2,
        auth={"serviceKey": {"bearer": stack.service_key}},
        checks=AUTHENTICATED_CHECKS,
    )

    print(f"\nSmartRe, authenticated: {report.summary()}")
    _assert_clean(report)
    assert report.requests >= MIN_REQUESTS
    assert len(report.by_operation) == _operations("smartre")


def test_repairapp_with_the_origin_header_and_a_staff_token_survives_the_requests(
    stack: LocalStack, repairapp: RepairApp
) -> None:
    token = repairapp.sign_in("coordinator")["Authorization"].removeprefix("Bearer ")
    # Signing out would end the fuzzer's own session half-way (test_access covers it), and the
    # fuzzer's many failed sign-ins are counted against an address of its own, so the sign-in
    # throttle does not lock the other tests out of 127.0.0.1.
    document = _document("repairapp")
    del document["paths"]["/api/staff/sessions"]["delete"]

    report = fuzz(
        document,
        stack.repairapp_url,
        seed=SEED,
        max_examples=_examples_per_operation(55),
        workers=2,
        auth={"originVerify": {"api_key": stack.origin_secret}, "staffToken": {"bearer": token}},
        headers={"X-Origin-Verify": stack.origin_secret, "X-Forwarded-For": "198.51.100.18"},
        checks=AUTHENTICATED_CHECKS,
    )

    print(f"\nRepairApp, authenticated: {report.summary()}")
    _assert_clean(report)
    assert report.requests >= MIN_REQUESTS
    assert len(report.by_operation) == _operations("repairapp") - 1


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
def test_without_credentials_every_operation_but_health_is_refused(
    stack: LocalStack, app: str
) -> None:
    # RepairApp is called directly without the origin header, SmartRe without its key (the
    # fuzzer sends random or no Authorization values).
    base = stack.smartre_url if app == "smartre" else stack.repairapp_url

    report = fuzz(
        _document(app),
        base,
        seed=SEED,
        max_examples=3,
        workers=2,
        phases=("coverage", "fuzzing"),
        checks=UNAUTHENTICATED_CHECKS,
    )

    print(f"\n{app}, no credentials: {report.summary()}")
    _assert_clean(report)
    served = {op: n for op, n in report.by_operation.items() if op != "GET /api/health"}
    assert sum(served.values()) > 100
    # chalice local answers any OPTIONS as a CORS preflight (200, no body, no data)
    answered = {
        (operation, status)
        for (operation, method, status) in report.answers
        if method != "OPTIONS" and operation != "GET /api/health"
    }
    refused = {401, 403} | REFUSED_BEFORE_ROUTING
    assert {status for _, status in answered} <= refused, sorted(answered)
