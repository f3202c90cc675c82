"""Staff sign-in and the token check every staff route makes (401 without, 403 wrong role)."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from chalice.test import Client
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.unit.repairapp.conftest import STAFF_PASSWORD


def _sign_in(client: Client, origin: dict[str, str], username: str, password: str) -> Any:
    return client.http.post(
        "/api/staff/sessions",
        headers=origin,
        body=json.dumps({"username": username, "password": password}),
    )


def _moto_signed(claims: dict[str, Any], **header: Any) -> str:
    """A token signed with the emulator pool's own key, so only the claims can be wrong."""
    from moto.utilities.utils import load_resource

    key = jwt.PyJWK(load_resource("cognitoidp/resources/jwks-private.json"), algorithm="RS256")
    return jwt.encode(claims, key.key, algorithm="RS256", headers={"kid": "dummy", **header})


def _claims(aws: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "iss": f"https://cognito-idp.eu-west-1.amazonaws.com/{aws['pool_id']}",
        "aud": aws["client_id"],
        "token_use": "id",
        "iat": now,
        "exp": now + 600,
        "cognito:username": "forged@repairapp.test",
        "cognito:groups": ["coordinator"],
    }
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not None}


def test_staff_sign_in_returns_an_id_token_and_the_roles(
    client: Client, origin: dict[str, str]
) -> None:
    response = _sign_in(client, origin, "coordinator@repairapp.test", STAFF_PASSWORD)

    assert response.status_code == 201
    session = response.json_body
    assert session["roles"] == ["coordinator"]
    assert session["username"] == "coordinator@repairapp.test"
    assert session["expiresIn"] > 0
    listed = client.http.get(
        "/api/repairs", headers={**origin, "Authorization": f"Bearer {session['idToken']}"}
    )
    assert listed.status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("coordinator@repairapp.test", "Wrong-Passw0rd"), ("nobody@repairapp.test", STAFF_PASSWORD)],
    ids=["wrong-password", "unknown-user"],
)
def test_bad_credentials_get_one_and_the_same_401(
    client: Client, origin: dict[str, str], username: str, password: str
) -> None:
    response = _sign_in(client, origin, username, password)

    assert response.status_code == 401
    assert response.json_body == {"Code": "Unauthorized", "Message": "wrong username or password"}


def test_an_account_without_a_staff_role_cannot_sign_in(
    client: Client, origin: dict[str, str]
) -> None:
    response = _sign_in(client, origin, "none@repairapp.test", STAFF_PASSWORD)

    assert response.status_code == 403
    assert response.json_body["Code"] == "Forbidden"


def test_a_staff_route_without_a_token_is_401(client: Client, origin: dict[str, str]) -> None:
    response = client.http.get("/api/repairs", headers=origin)

    assert response.status_code == 401
    assert response.json_body["Code"] == "Unauthorized"


@pytest.mark.parametrize(
    "case",
    ["garbage", "not-bearer", "expired", "other-audience", "other-issuer", "access-token"],
)
def test_an_invalid_token_is_401(
    client: Client, origin: dict[str, str], aws: dict[str, Any], case: str
) -> None:
    tokens = {
        "garbage": "Bearer not.a.jwt",
        "not-bearer": f"Basic {aws['staff']['coordinator']}",
        "expired": "Bearer "
        + _moto_signed(_claims(aws, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600)),
        "other-audience": "Bearer " + _moto_signed(_claims(aws, aud="someone-else")),
        "other-issuer": "Bearer "
        + _moto_signed(_claims(aws, iss="https://cognito-idp.eu-west-1.amazonaws.com/x_y")),
        "access-token": "Bearer " + _moto_signed(_claims(aws, token_use="access")),
    }

    response = client.http.get("/api/repairs", headers={**origin, "Authorization": tokens[case]})

    assert response.status_code == 401
    assert response.json_body["Code"] == "Unauthorized"


def test_a_token_signed_by_another_key_is_401(
    client: Client, origin: dict[str, str], aws: dict[str, Any]
) -> None:
    # Given a token with perfect claims, signed by a key that is not the pool's
    foreign = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(aws), foreign, algorithm="RS256", headers={"kid": "dummy"})

    response = client.http.get(
        "/api/repairs", headers={**origin, "Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 401
    assert response.json_body["Code"] == "Unauthorized"


def test_an_unsigned_token_is_401(
    client: Client, origin: dict[str, str], aws: dict[str, Any]
) -> None:
    token = jwt.encode(_claims(aws), key=None, algorithm="none", headers={"kid": "dummy"})

    response = client.http.get(
        "/api/repairs", headers={**origin, "Authorization": f"Bearer {token}"}
    )

    assert response.status_code == 401


def test_a_signed_in_account_without_a_staff_role_is_403(
    client: Client, no_role: dict[str, str]
) -> None:
    response = client.http.get("/api/stats", headers=no_role)

    assert response.status_code == 403
    assert response.json_body["Code"] == "Forbidden"


def test_the_export_is_for_coordinators_only(
    client: Client, repairer: dict[str, str], coordinator: dict[str, str]
) -> None:
    assert client.http.get("/api/export.csv", headers=repairer).status_code == 403
    assert client.http.get("/api/export.csv", headers=coordinator).status_code == 200


def test_the_pool_keys_are_fetched_once_for_many_requests(
    client: Client, repairer: dict[str, str], jwks_downloads: list[str], aws: dict[str, Any]
) -> None:
    for _ in range(3):
        assert client.http.get("/api/stats", headers=repairer).status_code == 200

    assert jwks_downloads == [
        f"https://cognito-idp.eu-west-1.amazonaws.com/{aws['pool_id']}/.well-known/jwks.json"
    ]
