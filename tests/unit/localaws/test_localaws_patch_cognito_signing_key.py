"""Local Cognito signs with a key of its own: a token signed with moto's bundled key is refused."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
from moto import mock_aws
from moto.cognitoidp.responses import CognitoIdpJsonWebKeyResponse
from moto.utilities.utils import load_resource

from localaws.patches import cognito_signing_key

PASSWORD = "Test-Passw0rd-ok"


@pytest.fixture
def pool(unpatch_after: None) -> Iterator[dict[str, Any]]:
    cognito_signing_key.apply()
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="eu-west-1")
        pool_id = cognito.create_user_pool(PoolName="staff")["UserPool"]["Id"]
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id, ClientName="spa", ExplicitAuthFlows=["USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
        cognito.admin_create_user(UserPoolId=pool_id, Username="ana", MessageAction="SUPPRESS")
        cognito.admin_set_user_password(
            UserPoolId=pool_id, Username="ana", Password=PASSWORD, Permanent=True
        )
        yield {"cognito": cognito, "pool_id": pool_id, "client_id": client_id}


def _served_jwks() -> dict[str, Any]:
    _, _, body = CognitoIdpJsonWebKeyResponse.serve_json_web_key()
    return dict(json.loads(body))


def _key(jwks: dict[str, Any]) -> Any:
    return jwt.PyJWK(jwks["keys"][0], algorithm="RS256").key


def test_tokens_verify_with_the_served_key_and_not_with_motos_bundled_one(
    pool: dict[str, Any],
) -> None:
    token = pool["cognito"].initiate_auth(
        ClientId=pool["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "ana", "PASSWORD": PASSWORD},
    )["AuthenticationResult"]["IdToken"]

    claims = jwt.decode(
        token, _key(_served_jwks()), algorithms=["RS256"], audience=pool["client_id"]
    )
    assert claims["cognito:username"] == "ana"
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            token,
            _key(load_resource("cognitoidp/resources/jwks-public.json")),
            algorithms=["RS256"],
            audience=pool["client_id"],
        )


def test_a_token_minted_with_motos_bundled_private_key_fails_the_served_keys(
    pool: dict[str, Any],
) -> None:
    # Given the attacker's token: perfect claims, signed with the key inside the moto package
    bundled = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"), "RS256")
    now = int(time.time())
    forged = jwt.encode(
        {"cognito:groups": ["coordinator"], "token_use": "id", "iat": now, "exp": now + 600},
        bundled.key,
        algorithm="RS256",
        headers={"kid": "dummy"},
    )

    # Then the emulator's published key set does not verify it
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(
            forged, _key(_served_jwks()), algorithms=["RS256"], options={"verify_aud": False}
        )


def test_the_served_key_set_has_no_private_part(pool: dict[str, Any]) -> None:
    [key] = _served_jwks()["keys"]
    assert key["kty"] == "RSA"
    assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)
