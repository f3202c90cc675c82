"""The running emulator authenticates every request as AWS does (localaws.sigv4, over the wire).

Someone who can reach the port but has not the stack's credentials file gets AWS's refusals:
unsigned, with the well-known ``testing`` keys, with the right key id and a guessed secret, or
with a presigned URL past its expiry. The stack's own clients, and what AWS itself serves
unsigned (Cognito sign-in, a pool's key set), keep working.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
import uuid
from typing import Any

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from localaws.defaults import FAKE_CREDENTIALS, REGION
from localaws.server import Emulator

PASSWORD = "Correct-horse-9-battery"


@pytest.fixture(scope="module")
def world(emulator: Emulator) -> dict[str, Any]:
    """A bucket with an object, a table with an item, a user pool with a user and a group."""
    name = f"auth-{uuid.uuid4().hex[:8]}"
    s3 = emulator.client("s3", signature_version="s3v4")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=name, Key="uploads/photo", Body=b"a person's photo")
    ddb = emulator.client("dynamodb")
    ddb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    ddb.put_item(TableName=name, Item={"id": {"S": "rp_1"}, "email": {"S": "a@example.be"}})
    cognito = emulator.client("cognito-idp")
    pool = cognito.create_user_pool(PoolName=name)["UserPool"]["Id"]
    client = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName=name, ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH",
                                                             "ALLOW_REFRESH_TOKEN_AUTH"]
    )["UserPoolClient"]["ClientId"]  # fmt: skip
    cognito.create_group(UserPoolId=pool, GroupName="coordinators")
    cognito.admin_create_user(UserPoolId=pool, Username="volunteer")
    cognito.admin_set_user_password(
        UserPoolId=pool, Username="volunteer", Password=PASSWORD, Permanent=True
    )
    return {"name": name, "pool": pool, "client": client}


def _as(emulator: Emulator, service: str, **keys: Any) -> Any:
    return boto3.client(
        service,
        endpoint_url=emulator.endpoint_url,
        region_name=REGION,
        config=Config(retries={"max_attempts": 1}, signature_version=keys.pop("sign", None)),
        **keys,
    )


TESTING = {
    "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
    "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    "aws_session_token": FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
}


def _attempts(world: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        ("s3", lambda c: c.get_object(Bucket=world["name"], Key="uploads/photo")),
        ("s3", lambda c: c.put_object(Bucket=world["name"], Key="index.html", Body=b"<h1>")),
        ("dynamodb", lambda c: c.scan(TableName=world["name"])),
        ("cognito-idp", lambda c: c.admin_add_user_to_group(
            UserPoolId=world["pool"], Username="volunteer", GroupName="coordinators")),
        ("cognito-idp", lambda c: c.admin_create_user(UserPoolId=world["pool"], Username="x")),
        ("ssm", lambda c: c.get_parameters_by_path(Path="/", Recursive=True)),
    ]  # fmt: skip


def _refused(call: Any, client: Any) -> tuple[int, str]:
    with pytest.raises(ClientError) as raised:
        call(client)
    error = raised.value.response
    return error["ResponseMetadata"]["HTTPStatusCode"], error["Error"]["Code"]


def test_the_testing_keys_can_read_write_and_promote_nothing(
    emulator: Emulator, world: dict[str, Any]
) -> None:
    for service, call in _attempts(world):
        status, code = _refused(call, _as(emulator, service, **TESTING))
        assert status == 403
        assert code in ("InvalidAccessKeyId", "UnrecognizedClientException"), (service, code)
    assert _stored_state_is_untouched(emulator, world)


def test_the_stacks_key_id_with_a_guessed_secret_is_refused(
    emulator: Emulator, world: dict[str, Any]
) -> None:
    guessed = {**emulator.credentials.client_kwargs(), "aws_secret_access_key": "guess"}
    for service, call in _attempts(world):
        status, code = _refused(call, _as(emulator, service, **guessed))
        assert status == 403
        assert code in ("SignatureDoesNotMatch", "InvalidSignatureException"), (service, code)
    assert _stored_state_is_untouched(emulator, world)


def test_unsigned_requests_are_refused(emulator: Emulator, world: dict[str, Any]) -> None:
    for service, call in _attempts(world):
        status, code = _refused(call, _as(emulator, service, sign=UNSIGNED))
        assert status == 403
        assert code in ("AccessDenied", "MissingAuthenticationTokenException"), (service, code)
    # ...and so is a plain HTTP GET of the object, or moto's own dump and reset of all state
    for method, path in [("GET", f"/{world['name']}/uploads/photo"),
                         ("GET", "/moto-api/data.json"), ("POST", "/moto-api/reset")]:  # fmt: skip
        status, body = _http(emulator, method, path)
        assert status == 403, (path, body)
        assert b"a person" not in body
    assert _stored_state_is_untouched(emulator, world)


def _stored_state_is_untouched(emulator: Emulator, world: dict[str, Any]) -> bool:
    s3 = emulator.client("s3", signature_version="s3v4")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=world["name"]).get("Contents", [])]
    groups = emulator.client("cognito-idp").admin_list_groups_for_user(
        UserPoolId=world["pool"], Username="volunteer"
    )["Groups"]
    users = emulator.client("cognito-idp").list_users(UserPoolId=world["pool"])["Users"]
    return keys == ["uploads/photo"] and groups == [] and len(users) == 1


def test_the_stacks_own_clients_work(emulator: Emulator, world: dict[str, Any]) -> None:
    items = emulator.client("dynamodb").scan(TableName=world["name"])["Items"]
    body = emulator.client("s3", signature_version="s3v4").get_object(
        Bucket=world["name"], Key="uploads/photo"
    )["Body"]

    assert items[0]["id"]["S"] == "rp_1"
    assert body.read() == b"a person's photo"


def test_a_presigned_url_works_until_it_expires(emulator: Emulator, world: dict[str, Any]) -> None:
    s3 = emulator.client("s3", signature_version="s3v4")
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": world["name"], "Key": "uploads/photo"}, ExpiresIn=1
    )
    with urllib.request.urlopen(url) as answer:  # noqa: S310 - the emulator's URL
        assert answer.read() == b"a person's photo"
    time.sleep(2.1)
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(url)  # noqa: S310
    assert raised.value.code == 403
    assert b"<Code>AccessDenied</Code>" in raised.value.read()


def test_cognito_sign_in_and_the_key_set_stay_open_as_on_aws(
    emulator: Emulator, world: dict[str, Any]
) -> None:
    unsigned = _as(emulator, "cognito-idp", sign=UNSIGNED)
    tokens = unsigned.initiate_auth(
        ClientId=world["client"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "volunteer", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]
    user = unsigned.get_user(AccessToken=tokens["AccessToken"])
    status, body = _http(emulator, "GET", f"/{world['pool']}/.well-known/jwks.json")

    assert user["Username"] == "volunteer"
    assert status == 200
    assert json.loads(body)["keys"]


def test_localaws_endpoints_need_the_stacks_signature_but_health(emulator: Emulator) -> None:
    closed = [("GET", "/_localaws/ses/messages"), ("GET", "/_localaws/faults"),
              ("DELETE", "/_localaws/faults"), ("GET", "/_localaws/lambda/workers")]  # fmt: skip
    for method, path in closed:
        status, body = _http(emulator, method, path)
        assert status == 403, path
        assert json.loads(body)["Code"] == "MissingAuthenticationToken"
    status, _ = _http(emulator, "POST", "/_localaws/faults", {"rules": []})
    assert status == 403

    assert _http(emulator, "GET", "/_localaws/health")[0] == 200
    assert isinstance(emulator.sent_mail(), list)  # signed by Emulator
    assert emulator.fault_counts()["rules"] == []


def _http(emulator: Emulator, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        data = None if body is None else json.dumps(body).encode()
        connection.request(method, path, body=data)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()
