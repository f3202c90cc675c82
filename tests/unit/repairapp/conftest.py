"""RepairApp unit tests: the app in-process on moto, via chalice.test.Client.

The emulator is provisioned once per session from the real infra definition (provisioning costs
~1 s); each test starts from empty tables, fresh adapters and a reset SmartRe double. SmartRe is
a small HTTP server (``fake_smartre``); the one thing replaced in-process is the download of the
user pool's public keys, which moto serves only over HTTP in server mode: the tests hand the
verifier moto's published key set instead.
"""

from __future__ import annotations

import functools
import json
import secrets
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from chalice.test import Client

from tests.support.apps import provisioned_aws, use_app
from tests.unit.repairapp.fake_smartre import FakeSmartRe

APP_DIR = use_app("repairapp")
ANALYSIS_ID_FORMAT = "an_" + "A" * 22
STAFF_PASSWORD = "Test-Passw0rd-ok"
SITE_URL = "https://repair.example"


def moto_jwks() -> dict[str, Any]:
    from moto.utilities.utils import load_resource

    keys: dict[str, Any] = load_resource("cognitoidp/resources/jwks-public.json")
    return keys


@pytest.fixture(scope="session")
def jwks_downloads() -> list[str]:
    return []


@pytest.fixture(scope="session")
def _session_aws(jwks_downloads: list[str]) -> Iterator[dict[str, Any]]:
    import os

    from chalicelib import auth
    from repaircore import clients

    fake = FakeSmartRe(service_key="").start()
    patch = pytest.MonkeyPatch()
    patch.setenv("SMARTRE_API_URL", fake.url)

    def fetch(url: str) -> dict[str, Any]:
        jwks_downloads.append(url)
        return moto_jwks()

    patch.setattr(auth, "fetch_jwks", fetch)
    patch.setattr(clients, "_session", _SharedSession())
    try:
        with provisioned_aws(APP_DIR) as provisioned:
            import boto3

            ssm = boto3.client("ssm")
            path = provisioned["env"]["CONFIG_PARAMETER_PATH"]

            def parameter(name: str) -> str:
                value = ssm.get_parameter(Name=path + name, WithDecryption=True)
                return str(value["Parameter"]["Value"])

            fake.service_key = parameter("smartre-service-key")
            # What `infra cdn` records on AWS (and the local stack): the links in mails use it.
            ssm.put_parameter(Name=path + "site-url", Value=SITE_URL, Type="String")
            staff = _staff_tokens(parameter("user-pool-id"), parameter("user-pool-client-id"))
            yield {
                **provisioned,
                "fake": fake,
                "origin_secret": parameter("origin-verify-secret"),
                "staff": staff,
                "pool_id": parameter("user-pool-id"),
                "client_id": parameter("user-pool-client-id"),
                "tables": [
                    os.environ["REPAIRS_TABLE_NAME"],
                    os.environ["STATS_TABLE_NAME"],
                    os.environ["IDEMPOTENCY_TABLE_NAME"],
                    os.environ["ACCESS_TABLE_NAME"],
                    os.environ["EVENTS_TABLE_NAME"],
                ],
            }
    finally:
        patch.undo()
        fake.stop()


class _SharedSession:
    """One boto3 session for the whole run: tests still get fresh clients (the root conftest
    resets them), but the service models are read from disk once instead of once per test."""

    def __init__(self) -> None:
        import boto3

        self._session = boto3.session.Session()

    def __call__(self) -> Any:
        return self._session

    def cache_clear(self) -> None:
        return


def _staff_tokens(pool_id: str, client_id: str) -> dict[str, str]:
    import boto3

    cognito = boto3.client("cognito-idp")
    tokens = {}
    for role in ("repairer", "coordinator", "none"):
        username = f"{role}@repairapp.test"
        cognito.admin_create_user(UserPoolId=pool_id, Username=username, MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username=username, Password=STAFF_PASSWORD, Permanent=True
        )
        if role != "none":
            cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=username, GroupName=role)
        result = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": STAFF_PASSWORD},
        )
        tokens[role] = result["AuthenticationResult"]["IdToken"]
    return tokens


@pytest.fixture
def aws(_session_aws: dict[str, Any], jwks_downloads: list[str]) -> Iterator[dict[str, Any]]:
    """Empty tables, fresh adapters, a SmartRe double that answers normally."""
    import boto3

    from chalicelib import resources

    ddb = boto3.client("dynamodb")
    for table in _session_aws["tables"]:
        key_names = [
            k["AttributeName"] for k in ddb.describe_table(TableName=table)["Table"]["KeySchema"]
        ]
        for page in ddb.get_paginator("scan").paginate(TableName=table):
            for item in page["Items"]:
                ddb.delete_item(TableName=table, Key={k: item[k] for k in key_names})
    _session_aws["fake"].reset()
    jwks_downloads.clear()
    sent_mail().clear()
    resources.reset()
    yield _session_aws
    resources.reset()


def sent_mail() -> list[Any]:
    """What moto's SES recorded (``Message``: source, destinations, subject, body)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    messages: list[Any] = ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"].sent_messages
    return messages


@pytest.fixture(autouse=True)
def responses_match_the_openapi_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every response a test receives must be one the OpenAPI document promises."""
    from chalice.test import TestHTTPClient

    from tests.unit.repairapp.contract import check_response

    original = TestHTTPClient.request

    def checked(self: Any, method: str, path: str, **kwargs: Any) -> Any:
        response = original(self, method, path, **kwargs)
        check_response(method, path, response.status_code, response.headers, response.body)
        return response

    monkeypatch.setattr(TestHTTPClient, "request", checked)


@pytest.fixture
def fake_smartre(aws: dict[str, Any]) -> FakeSmartRe:
    fake: FakeSmartRe = aws["fake"]
    return fake


@pytest.fixture
def client(aws: dict[str, Any]) -> Iterator[Client]:
    from app import app

    with Client(app, stage_name="local", project_dir=str(APP_DIR)) as test_client:
        yield test_client


# --- headers ----------------------------------------------------------------------------------
@pytest.fixture
def origin(aws: dict[str, Any]) -> dict[str, str]:
    """What CloudFront adds to every request it forwards."""
    return {"X-Origin-Verify": aws["origin_secret"], "Content-Type": "application/json"}


def _staff(aws: dict[str, Any], origin: dict[str, str], role: str) -> dict[str, str]:
    return {**origin, "Authorization": f"Bearer {aws['staff'][role]}"}


@pytest.fixture
def repairer(aws: dict[str, Any], origin: dict[str, str]) -> dict[str, str]:
    return _staff(aws, origin, "repairer")


@pytest.fixture
def coordinator(aws: dict[str, Any], origin: dict[str, str]) -> dict[str, str]:
    return _staff(aws, origin, "coordinator")


@pytest.fixture
def no_role(aws: dict[str, Any], origin: dict[str, str]) -> dict[str, str]:
    return _staff(aws, origin, "none")


# --- building blocks --------------------------------------------------------------------------
def new_key() -> str:
    return secrets.token_hex(16)


def repair_body(analysis_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "analysisId": analysis_id,
        "contact": {"name": "Mira Janssens", "email": "mira.janssens@example.be"},
        "postcode": "9000",
        "consent": True,
    }
    body.update(overrides)
    return body


@pytest.fixture
def submit(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> Callable[..., dict[str, Any]]:
    """Create a repair request the way the SPA does; returns ``{repairId, trackingToken, ...}``."""

    def submit_repair(**analysis: Any) -> dict[str, Any]:
        created = fake_smartre.add_analysis(**analysis)
        response = client.http.post(
            "/api/repairs",
            headers={**origin, "Idempotency-Key": new_key()},
            body=json.dumps(repair_body(created["analysisId"])),
        )
        assert response.status_code == 201, response.body
        result: dict[str, Any] = response.json_body
        return result

    return submit_repair


@pytest.fixture
def patch_repair(client: Client, repairer: dict[str, str]) -> Callable[..., Any]:
    """PATCH a request from its current version (as a staff member who just loaded it)."""

    def patch(repair_id: str, version: int | None = None, **body: Any) -> Any:
        if version is None:
            current = client.http.get(f"/api/staff/repairs/{repair_id}", headers=repairer)
            version = current.json_body["version"]
        return client.http.patch(
            f"/api/repairs/{repair_id}",
            headers={**repairer, "If-Match": f'"{version}"'},
            body=json.dumps(body),
        )

    return patch


@pytest.fixture
def short_smartre_timeouts(aws: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """SmartRe calls give up after 0.3 s (the production timeouts are seconds)."""
    from chalicelib import resources
    from chalicelib.config import settings
    from chalicelib.smartre_client import SmartReClient, Timeouts

    client = SmartReClient(
        settings().smartre_api_url,
        lambda: aws["fake"].service_key,
        timeouts=Timeouts(connect=0.3, read=0.3, analysis=0.3),
    )
    # Cached like the real factory, so resources.reset() can clear it.
    monkeypatch.setattr(resources, "smartre", functools.cache(lambda: client))


@pytest.fixture
def no_scans(aws: dict[str, Any]) -> Iterator[None]:
    """Fail the test if anything scans the requests table (queries on an index only)."""
    from repaircore import clients

    def refuse(**kwargs: Any) -> None:
        raise AssertionError(f"scan of {kwargs.get('params', {}).get('TableName')}")

    dynamodb = clients.client("dynamodb")
    dynamodb.meta.events.register("before-call.dynamodb.Scan", refuse)
    yield
    dynamodb.meta.events.unregister("before-call.dynamodb.Scan", refuse)


@pytest.fixture
def serialised_emulator(monkeypatch: pytest.MonkeyPatch) -> None:
    """One emulator request at a time, like a DynamoDB partition applying writes in order.

    moto checks a condition and writes without a lock, so two threads could both pass the same
    check; DynamoDB never lets that happen. Serialising whole requests keeps the test honest: a
    read-then-write without a condition still lets several updates win (``all_have_read``).
    """
    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.Lock()
    original = BotocoreStubber.__call__

    def serialised(self: Any, *args: Any, **kwargs: Any) -> Any:
        with lock:
            return original(self, *args, **kwargs)

    monkeypatch.setattr(BotocoreStubber, "__call__", serialised)
