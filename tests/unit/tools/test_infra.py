"""The infra definition applies idempotently and removes everything it created."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from infra import app_config
from infra.definition import LOCAL_ACCOUNT, PHOTO_RETENTION_DAYS, stage
from infra.stack import Clients, apply_foundation, destroy
from repaircore import clients

SITE = "http://127.0.0.1:8000"


@pytest.fixture
def aws() -> Iterator[Clients]:
    with mock_aws():
        clients.reset()
        yield Clients.for_region("eu-west-1")


@pytest.fixture
def dev(aws: Clients) -> Any:
    return stage("dev", LOCAL_ACCOUNT, site_origins=(SITE,))


def test_a_second_apply_changes_nothing(aws: Clients, dev: Any) -> None:
    first = apply_foundation(aws, dev)
    second = apply_foundation(aws, dev)

    assert first.changed
    assert not second.changed, [a for a in second.actions if a[1] != "unchanged"]


def test_photo_bucket_is_private_encrypted_cors_limited_and_expiring(
    aws: Clients, dev: Any
) -> None:
    apply_foundation(aws, dev)
    s3 = aws("s3")
    bucket = dev.photos_bucket.name

    block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
    cors = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]}
    encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]

    assert all(block.values())
    assert cors[0]["AllowedOrigins"] == [SITE]
    assert cors[0]["AllowedMethods"] == ["POST"]
    assert rules["expire-raw-photos"]["Expiration"]["Days"] == PHOTO_RETENTION_DAYS
    assert rules["expire-raw-photos"]["Filter"]["Prefix"] == "uploads/"
    assert encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_tables_are_on_demand_with_recovery_and_ttl(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)
    ddb = aws("dynamodb")

    for spec in dev.tables:
        table = ddb.describe_table(TableName=spec.name)["Table"]
        backups = ddb.describe_continuous_backups(TableName=spec.name)
        assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        recovery = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        assert recovery["PointInTimeRecoveryStatus"] == "ENABLED"
        assert {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])} == {
            i.name for i in spec.indexes
        }
    ttl = ddb.describe_time_to_live(TableName=dev.repairapp_idempotency_table.name)
    assert ttl["TimeToLiveDescription"]["AttributeName"] == "expiresAt"


def test_secrets_are_generated_once_and_never_rotated_by_a_rerun(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)
    ssm = aws("ssm")
    first = ssm.get_parameter(Name=dev.service_key.name, WithDecryption=True)["Parameter"]
    apply_foundation(aws, dev)
    second = ssm.get_parameter(Name=dev.service_key.name, WithDecryption=True)["Parameter"]

    assert first["Type"] == "SecureString"
    assert len(first["Value"]) >= 40
    assert first["Value"] == second["Value"]


def test_staff_pool_has_one_group_per_role(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)
    cognito = aws("cognito-idp")
    pool = next(p for p in cognito.list_user_pools(MaxResults=10)["UserPools"])

    groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool["Id"])["Groups"]}

    assert groups == {"repairer", "coordinator"}


def test_destroy_leaves_nothing_behind(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)
    aws("s3").put_object(Bucket=dev.photos_bucket.name, Key="uploads/x/photo", Body=b"x")
    # (what `infra cdn` adds: the site's address for the links in mails)
    aws("ssm").put_parameter(
        Name=f"{app_config.parameter_path(dev)}{app_config.SITE_URL_PARAMETER}",
        Value="https://d1.cloudfront.net",
        Type="String",
    )

    destroy(aws, dev)

    assert aws("s3").list_buckets()["Buckets"] == []
    assert aws("dynamodb").list_tables()["TableNames"] == []
    assert aws("cognito-idp").list_user_pools(MaxResults=10)["UserPools"] == []
    assert aws("ssm").describe_parameters()["Parameters"] == []


@pytest.mark.parametrize("app", app_config.APPS)
def test_committed_local_stage_config_matches_the_definition(app: str) -> None:
    config = json.loads(app_config.config_path(app).read_text())
    committed = config["stages"]["local"]["environment_variables"]

    assert committed == app_config.environment(app, stage("local", LOCAL_ACCOUNT))


def test_the_mail_sender_identity_is_set_up_once(aws: Clients) -> None:
    # Given a stage with a sender (MAIL_FROM at deploy time)
    sender_stage = stage("dev", LOCAL_ACCOUNT, site_origins=(SITE,), mail_from="hi@repair.example")

    first = apply_foundation(aws, sender_stage)
    second = apply_foundation(aws, sender_stage)

    assert ("ses:hi@repair.example", "created") in first.actions
    assert ("ses:hi@repair.example", "unchanged") in second.actions
    assert aws("ses").list_identities()["Identities"] == ["hi@repair.example"]


def test_a_stage_without_a_sender_sets_up_no_mail(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)

    assert aws("ses").list_identities()["Identities"] == []
    assert "MAIL_FROM" not in app_config.environment("repairapp", dev)
