"""Staff access ends with the account, signing out ends the session, and sign-ins are throttled.

All on the embedded AWS (moto's Cognito and DynamoDB): the account is disabled, deleted or
removed from a group with the same admin calls an operator makes. The account cache is
bypassed by moving its clock past ``ACCOUNT_CACHE_SECONDS``, not by waiting.
"""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import boto3
import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import STAFF_PASSWORD

COORDINATOR = "coordinator@repairapp.test"


@pytest.fixture
def leaver(aws: dict[str, Any]) -> str:
    """A coordinator of their own, about to leave (a fresh name: the pool lives all session)."""
    username = f"leaver-{time.time_ns()}@repairapp.test"
    cognito = boto3.client("cognito-idp")
    pool = aws["pool_id"]
    cognito.admin_create_user(UserPoolId=pool, Username=username, MessageAction="SUPPRESS")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username=username, Password=STAFF_PASSWORD, Permanent=True
    )
    cognito.admin_add_user_to_group(UserPoolId=pool, Username=username, GroupName="coordinator")
    return username


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def account_clock(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> _Clock:
    from chalicelib import resources
    from chalicelib.staff_access import StaffDirectory

    clock = _Clock()
    directory = StaffDirectory(
        boto3.client("cognito-idp"), aws["pool_id"], clock=clock, ttl_seconds=30
    )
    resources.staff_directory.cache_clear()
    # Cached like the real factory, so resources.reset() can clear it.
    monkeypatch.setattr(resources, "staff_directory", functools.cache(lambda: directory))
    return clock


def _sign_in(
    client: Client, origin: dict[str, str], username: str, password: str, address: str = "1.2.3.4"
) -> Any:
    return client.http.post(
        "/api/staff/sessions",
        headers={**origin, "X-Forwarded-For": address},
        body=json.dumps({"username": username, "password": password}),
    )


def _bearer(origin: dict[str, str], token: str) -> dict[str, str]:
    return {**origin, "Authorization": f"Bearer {token}"}


def _export(client: Client, headers: dict[str, str]) -> Any:
    return client.http.get("/api/export.csv", headers=headers)


def test_the_account_cache_is_shorter_than_the_promised_minute() -> None:
    from chalicelib.staff_access import ACCOUNT_CACHE_SECONDS

    assert 0 < ACCOUNT_CACHE_SECONDS <= 60


@pytest.mark.parametrize("change", ["disabled", "deleted"])
def test_a_disabled_or_deleted_account_loses_access_within_the_cache_period(
    client: Client,
    origin: dict[str, str],
    aws: dict[str, Any],
    leaver: str,
    account_clock: _Clock,
    change: str,
) -> None:
    # Given a coordinator who signed in and used the export
    token = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]
    assert _export(client, _bearer(origin, token)).status_code == 200

    # When the account is disabled or deleted, and the cache period passes
    cognito = boto3.client("cognito-idp")
    if change == "disabled":
        cognito.admin_disable_user(UserPoolId=aws["pool_id"], Username=leaver)
    else:
        cognito.admin_delete_user(UserPoolId=aws["pool_id"], Username=leaver)
    account_clock.now += 30

    # Then the still unexpired token opens no staff route
    for path in ("/api/export.csv", "/api/repairs", "/api/stats"):
        response = client.http.get(path, headers=_bearer(origin, token))
        assert response.status_code == 401, path
        assert response.json_body["Code"] == "Unauthorized"


def test_removing_a_coordinator_from_the_group_ends_coordinator_access(
    client: Client, origin: dict[str, str], aws: dict[str, Any], leaver: str, account_clock: _Clock
) -> None:
    token = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]
    assert _export(client, _bearer(origin, token)).status_code == 200

    boto3.client("cognito-idp").admin_remove_user_from_group(
        UserPoolId=aws["pool_id"], Username=leaver, GroupName="coordinator"
    )
    account_clock.now += 30

    response = _export(client, _bearer(origin, token))
    assert response.status_code == 403
    assert response.json_body["Code"] == "Forbidden"


def test_signing_out_ends_that_session_at_once_and_not_the_others(
    client: Client, origin: dict[str, str], leaver: str
) -> None:
    # Given a coordinator signed in on two devices
    token = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]
    other_device = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]

    # When they sign out
    signed_out = client.http.delete("/api/staff/sessions", headers=_bearer(origin, token))

    # Then that token is refused at once, even for a second sign-out
    assert signed_out.status_code == 204
    for path in ("/api/export.csv", "/api/repairs"):
        response = client.http.get(path, headers=_bearer(origin, token))
        assert response.status_code == 401, path
        assert response.json_body["Code"] == "Unauthorized"
    again = client.http.delete("/api/staff/sessions", headers=_bearer(origin, token))
    assert again.status_code == 401

    # And the other device, and a new sign-in, keep working
    assert _export(client, _bearer(origin, other_device)).status_code == 200
    fresh = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]
    assert _export(client, _bearer(origin, fresh)).status_code == 200


def test_a_signed_out_account_does_not_affect_another(
    client: Client, origin: dict[str, str], leaver: str, coordinator: dict[str, str]
) -> None:
    token = _sign_in(client, origin, leaver, STAFF_PASSWORD).json_body["idToken"]
    client.http.delete("/api/staff/sessions", headers=_bearer(origin, token))

    assert _export(client, coordinator).status_code == 200


@pytest.mark.parametrize("username", [COORDINATOR, "nobody-at-all@repairapp.test"])
def test_repeated_wrong_passwords_are_throttled_the_same_for_known_and_unknown_names(
    client: Client, origin: dict[str, str], username: str
) -> None:
    from chalicelib.staff_access import MAX_FAILURES_PER_ACCOUNT

    # Given as many wrong passwords as the account allows, from two addresses
    for attempt in range(MAX_FAILURES_PER_ACCOUNT):
        address = "10.0.0.1" if attempt % 2 else "10.0.0.2"
        assert _sign_in(client, origin, username, "Wrong-Passw0rd", address).status_code == 401

    # When the next attempt comes, with the right password and from a third address
    response = _sign_in(client, origin, username, STAFF_PASSWORD, "10.0.0.3")

    # Then it is 429 with a wait, and Cognito was not asked (it would have said 201 or 401)
    assert response.status_code == 429
    assert response.json_body["Code"] == "TooManyRequests"
    assert 1 <= int(response.headers["Retry-After"]) <= 15 * 60 + 1


def test_many_failures_from_one_address_are_throttled_across_names(
    client: Client, origin: dict[str, str]
) -> None:
    from chalicelib.staff_access import MAX_FAILURES_PER_ADDRESS

    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        name = f"guess-{attempt}@repairapp.test"
        assert _sign_in(client, origin, name, "Wrong-Passw0rd", "10.9.9.9").status_code == 401

    from_there = _sign_in(client, origin, COORDINATOR, STAFF_PASSWORD, "10.9.9.9")
    elsewhere = _sign_in(client, origin, COORDINATOR, STAFF_PASSWORD, "10.9.9.8")

    assert from_there.status_code == 429
    assert elsewhere.status_code == 201


def test_a_forged_forwarded_for_entry_does_not_change_the_counted_address(
    client: Client, origin: dict[str, str]
) -> None:
    from chalicelib.staff_access import MAX_FAILURES_PER_ADDRESS

    # The address CloudFront appends is the last entry; what the client put before it is ignored
    for attempt in range(MAX_FAILURES_PER_ADDRESS):
        forged = f"192.0.2.{attempt}, 10.7.7.7"
        name = f"spray-{attempt}@repairapp.test"
        assert _sign_in(client, origin, name, "Wrong-Passw0rd", forged).status_code == 401

    response = _sign_in(client, origin, COORDINATOR, STAFF_PASSWORD, "192.0.2.200, 10.7.7.7")
    assert response.status_code == 429


def test_a_successful_sign_in_clears_the_accounts_count(
    client: Client, origin: dict[str, str]
) -> None:
    from chalicelib.staff_access import MAX_FAILURES_PER_ACCOUNT

    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        _sign_in(client, origin, COORDINATOR, "Wrong-Passw0rd", "10.1.1.1")
    assert _sign_in(client, origin, COORDINATOR, STAFF_PASSWORD, "10.1.1.1").status_code == 201

    for _ in range(MAX_FAILURES_PER_ACCOUNT - 1):
        _sign_in(client, origin, COORDINATOR, "Wrong-Passw0rd", "10.1.1.2")
    assert _sign_in(client, origin, COORDINATOR, STAFF_PASSWORD, "10.1.1.2").status_code == 201
