"""Local Cognito refuses SignUp in a pool that only administrators may add users to, as AWS."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localaws.patches import cognito_admin_only_sign_up

PASSWORD = "Test-Passw0rd-ok"


def _pool_client(cognito: object, admin_only: bool) -> str:
    pool = cognito.create_user_pool(  # type: ignore[attr-defined]
        PoolName="staff", AdminCreateUserConfig={"AllowAdminCreateUserOnly": admin_only}
    )["UserPool"]["Id"]
    return str(
        cognito.create_user_pool_client(  # type: ignore[attr-defined]
            UserPoolId=pool, ClientName="spa", ExplicitAuthFlows=["USER_PASSWORD_AUTH"]
        )["UserPoolClient"]["ClientId"]
    )


def test_sign_up_is_refused_in_an_admin_only_pool(unpatch_after: None) -> None:
    cognito_admin_only_sign_up.apply()
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="eu-west-1")
        client_id = _pool_client(cognito, admin_only=True)

        with pytest.raises(ClientError) as raised:
            cognito.sign_up(ClientId=client_id, Username="mallory", Password=PASSWORD)

    assert raised.value.response["Error"]["Code"] == "NotAuthorizedException"
    assert "not permitted" in raised.value.response["Error"]["Message"]


def test_sign_up_still_works_where_the_pool_allows_it(unpatch_after: None) -> None:
    cognito_admin_only_sign_up.apply()
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="eu-west-1")
        client_id = _pool_client(cognito, admin_only=False)

        answer = cognito.sign_up(ClientId=client_id, Username="visitor", Password=PASSWORD)

    assert answer["UserConfirmed"] is False


def test_without_the_patch_moto_lets_anyone_sign_up_to_an_admin_only_pool() -> None:
    # What the patch covers (fails once moto honours the setting: then drop the patch).
    with mock_aws():
        cognito = boto3.client("cognito-idp", region_name="eu-west-1")
        client_id = _pool_client(cognito, admin_only=True)

        answer = cognito.sign_up(ClientId=client_id, Username="mallory", Password=PASSWORD)

    assert "UserSub" in answer
