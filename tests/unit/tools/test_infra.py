"""The infra definition applies idempotently and removes everything it created."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from infra import app_config, photo_bucket
from infra.definition import LOCAL_ACCOUNT, PHOTO_RETENTION_DAYS, UnresolvedNameError, stage
from infra.provision import Report
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
    # As `python -m infra` does before any step: the photos bucket's suffix, from SSM.
    return photo_bucket.resolve(
        aws("ssm"), stage("dev", LOCAL_ACCOUNT, site_origins=(SITE,)), Report()
    )


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


def test_no_bucket_an_upload_names_carries_the_account_id(aws: Clients, dev: Any) -> None:
    local = stage("local", LOCAL_ACCOUNT)

    for spec in (dev, local):
        assert LOCAL_ACCOUNT not in spec.photos_bucket.name
        assert LOCAL_ACCOUNT not in app_config.environment("smartre", spec)["PHOTOS_BUCKET_NAME"]
    assert dev.photos_bucket.name == f"repairapp-dev-photos-{dev.photos_bucket_suffix}"
    assert len(dev.photos_bucket_suffix) == 16


def test_the_suffix_is_generated_once_per_stage_and_kept(aws: Clients, dev: Any) -> None:
    again = photo_bucket.resolve(aws("ssm"), stage("dev", LOCAL_ACCOUNT), report := Report())
    prod = photo_bucket.resolve(aws("ssm"), stage("prod", LOCAL_ACCOUNT), Report())

    assert again.photos_bucket.name == dev.photos_bucket.name
    assert report.actions == []  # read, not created
    assert prod.photos_bucket_suffix != dev.photos_bucket_suffix


def test_a_deployed_stage_cannot_name_its_photos_bucket_before_reading_the_suffix(
    aws: Clients,
) -> None:
    unresolved = stage("dev", LOCAL_ACCOUNT)

    with pytest.raises(UnresolvedNameError):
        _ = unresolved.photos_bucket
    # Removal never generates a name: a stage that never had one keeps none.
    removing = photo_bucket.resolve(aws("ssm"), unresolved, Report(), create=False)
    assert not removing.photos_bucket_named
    assert aws("ssm").describe_parameters()["Parameters"] == []


def test_an_existing_stage_moves_to_the_new_bucket_and_retires_the_old_one_once_empty(
    aws: Clients, dev: Any
) -> None:
    # Given a stage deployed before: its photos bucket is named after the account, with a photo
    s3 = aws("s3")
    legacy = dev.legacy_photos_bucket_name
    s3.create_bucket(Bucket=legacy, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket=legacy, Key="uploads/old/photo", Body=b"x")

    # When it is deployed again, then again after the old photo expired
    while_full = apply_foundation(aws, dev)
    s3.delete_object(Bucket=legacy, Key="uploads/old/photo")  # what the 7-day rule does
    once_empty = apply_foundation(aws, dev)

    # Then uploads have the new bucket at once; the old one goes when its photos have
    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert dev.photos_bucket.name in names
    assert legacy not in names
    assert (f"s3://{legacy} (old photos bucket, deleted once its photos expire)", "unchanged") in (
        while_full.actions
    )
    assert (f"s3://{legacy} (old photos bucket)", "deleted") in once_empty.actions


def test_destroy_removes_an_old_account_named_photos_bucket_too(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)
    legacy = dev.legacy_photos_bucket_name
    aws("s3").create_bucket(
        Bucket=legacy, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws("s3").put_object(Bucket=legacy, Key="uploads/old/photo", Body=b"x")

    destroy(aws, dev)

    assert aws("s3").list_buckets()["Buckets"] == []


@pytest.mark.parametrize("app", app_config.APPS)
def test_committed_local_stage_config_matches_the_definition(app: str) -> None:
    config = json.loads(app_config.config_path(app).read_text())
    committed = config["stages"]["local"]["environment_variables"]

    assert committed == app_config.environment(app, stage("local", LOCAL_ACCOUNT))


def test_the_mail_sender_identity_is_set_up_once(aws: Clients) -> None:
    # Given a stage with a sender (MAIL_FROM at deploy time)
    sender_stage = photo_bucket.resolve(
        aws("ssm"),
        stage("dev", LOCAL_ACCOUNT, site_origins=(SITE,), mail_from="hi@repair.example"),
        Report(),
    )
    assert sender_stage.mail_from == "hi@repair.example"

    first = apply_foundation(aws, sender_stage)
    second = apply_foundation(aws, sender_stage)

    assert ("ses:hi@repair.example", "created") in first.actions
    assert ("ses:hi@repair.example", "unchanged") in second.actions
    assert aws("ses").list_identities()["Identities"] == ["hi@repair.example"]


def test_a_stage_without_a_sender_sets_up_no_mail(aws: Clients, dev: Any) -> None:
    apply_foundation(aws, dev)

    assert aws("ses").list_identities()["Identities"] == []
    assert "MAIL_FROM" not in app_config.environment("repairapp", dev)
