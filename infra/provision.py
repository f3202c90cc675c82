"""Apply ``infra.definition`` to an AWS account or the embedded emulator, idempotently.

Each ``ensure_*`` reads what exists, creates what is missing and updates only what differs, and
reports one of ``created`` / ``updated`` / ``unchanged``: a second run reports nothing but
``unchanged``. ``destroy`` removes everything the definition names (``deploy.sh --delete``).
The same calls run against the emulator (``make run``) and AWS (``deploy.sh``); nothing here
knows which one it talks to.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import STAFF_ROLES, BucketSpec, SecretSpec, Stage, TableSpec

logger = logging.getLogger(__name__)


@dataclass
class Report:
    """What a run did, resource by resource (printed by the CLI and deploy.sh)."""

    actions: list[tuple[str, str]] = field(default_factory=list)

    def add(self, resource: str, action: str) -> None:
        self.actions.append((resource, action))
        logger.info("%-10s %s", action, resource)

    @property
    def changed(self) -> bool:
        return any(action != "unchanged" for _, action in self.actions)


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _tag_list(
    tags: Mapping[str, str], key: str = "Key", value: str = "Value"
) -> list[dict[str, str]]:
    return [{key: k, value: v} for k, v in sorted(tags.items())]


# --- S3 ---------------------------------------------------------------------------------------
def ensure_bucket(
    s3: Any, spec: BucketSpec, region: str, tags: Mapping[str, str], report: Report
) -> None:
    changed = False
    try:
        s3.head_bucket(Bucket=spec.name)
        created = False
    except ClientError as exc:
        if _code(exc) not in {"404", "NoSuchBucket", "NotFound"}:
            raise
        params: dict[str, Any] = {"Bucket": spec.name}
        if region != "us-east-1":
            params["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**params)
        created = True

    block_all = {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }
    try:
        current_block = s3.get_public_access_block(Bucket=spec.name)[
            "PublicAccessBlockConfiguration"
        ]
    except ClientError:
        current_block = {}
    if current_block != block_all:
        s3.put_public_access_block(Bucket=spec.name, PublicAccessBlockConfiguration=block_all)
        changed = True

    encryption = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}
    try:
        rules = s3.get_bucket_encryption(Bucket=spec.name)["ServerSideEncryptionConfiguration"][
            "Rules"
        ]
        current_algorithms = [
            r["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] for r in rules
        ]
    except ClientError:
        current_algorithms = []
    if current_algorithms != ["AES256"]:
        s3.put_bucket_encryption(Bucket=spec.name, ServerSideEncryptionConfiguration=encryption)
        changed = True

    if spec.versioned and s3.get_bucket_versioning(Bucket=spec.name).get("Status") != "Enabled":
        s3.put_bucket_versioning(Bucket=spec.name, VersioningConfiguration={"Status": "Enabled"})
        changed = True

    changed |= _ensure_cors(s3, spec)
    changed |= _ensure_lifecycle(s3, spec)
    changed |= _ensure_bucket_tags(s3, spec.name, tags)
    report.add(
        f"s3://{spec.name}", "created" if created else ("updated" if changed else "unchanged")
    )


def _ensure_cors(s3: Any, spec: BucketSpec) -> bool:
    # Always set CORS: without a configuration the emulator allows every origin.
    wanted = [
        {
            "AllowedOrigins": sorted(spec.cors_origins) or ["https://invalid.example"],
            "AllowedMethods": ["POST"] if spec.cors_origins else ["GET"],
            "AllowedHeaders": ["*"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3000,
        }
    ]
    try:
        current = s3.get_bucket_cors(Bucket=spec.name)["CORSRules"]
    except ClientError:
        current = []
    normalised = [{k: v for k, v in rule.items() if k != "ID"} for rule in current]
    if normalised == wanted:
        return False
    s3.put_bucket_cors(Bucket=spec.name, CORSConfiguration={"CORSRules": wanted})
    return True


def _ensure_lifecycle(s3: Any, spec: BucketSpec) -> bool:
    rules: list[dict[str, Any]] = [
        {
            "ID": "abort-incomplete-uploads",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
        }
    ]
    if spec.expire_after_days:
        rules.append(
            {
                "ID": "expire-raw-photos",
                "Status": "Enabled",
                "Filter": {"Prefix": spec.expire_prefix or ""},
                "Expiration": {"Days": spec.expire_after_days},
            }
        )
    if spec.versioned:
        rules.append(
            {
                "ID": "expire-old-versions",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 90},
            }
        )
    try:
        current = s3.get_bucket_lifecycle_configuration(Bucket=spec.name)["Rules"]
    except ClientError:
        current = []
    if _canonical(current) == _canonical(rules):
        return False
    s3.put_bucket_lifecycle_configuration(Bucket=spec.name, LifecycleConfiguration={"Rules": rules})
    return True


def _ensure_bucket_tags(s3: Any, bucket: str, tags: Mapping[str, str]) -> bool:
    try:
        current = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    except ClientError:
        current = {}
    if current == dict(tags):
        return False
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": _tag_list(tags)})
    return True


def _canonical(value: Any) -> str:
    """Compare configurations regardless of key order."""
    return json.dumps(value, sort_keys=True, default=str)


def empty_and_delete_bucket(s3: Any, name: str, report: Report) -> None:
    try:
        s3.head_bucket(Bucket=name)
    except ClientError:
        report.add(f"s3://{name}", "absent")
        return
    paginator = s3.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=name):
        doomed = [
            {"Key": v["Key"], "VersionId": v["VersionId"]}
            for v in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        for start in range(0, len(doomed), 1000):
            s3.delete_objects(Bucket=name, Delete={"Objects": doomed[start : start + 1000]})
    s3.delete_bucket(Bucket=name)
    report.add(f"s3://{name}", "deleted")


# --- DynamoDB ---------------------------------------------------------------------------------
def ensure_table(ddb: Any, spec: TableSpec, tags: Mapping[str, str], report: Report) -> None:
    try:
        description = ddb.describe_table(TableName=spec.name)["Table"]
        created = False
    except ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            raise
        description = _create_table(ddb, spec, tags)
        created = True
    changed = _ensure_indexes(ddb, spec, description)
    if spec.ttl_attribute:
        ttl = ddb.describe_time_to_live(TableName=spec.name)["TimeToLiveDescription"]
        if ttl.get("TimeToLiveStatus") not in {"ENABLED", "ENABLING"}:
            ddb.update_time_to_live(
                TableName=spec.name,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
            )
            changed = True
    backups = ddb.describe_continuous_backups(TableName=spec.name)["ContinuousBackupsDescription"]
    pitr = backups.get("PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
    if pitr != "ENABLED":
        ddb.update_continuous_backups(
            TableName=spec.name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
        changed = True
    report.add(
        f"dynamodb:{spec.name}", "created" if created else ("updated" if changed else "unchanged")
    )


def _key_schema(partition: str, sort: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort, "KeyType": "RANGE"})
    return schema


def _create_table(ddb: Any, spec: TableSpec, tags: Mapping[str, str]) -> dict[str, Any]:
    params: dict[str, Any] = {
        "TableName": spec.name,
        "KeySchema": _key_schema(spec.partition, spec.sort),
        "AttributeDefinitions": [
            {"AttributeName": name, "AttributeType": "S"} for name in spec.attribute_names()
        ],
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"Enabled": True},
        "Tags": _tag_list(tags),
    }
    if spec.indexes:
        params["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index.name,
                "KeySchema": _key_schema(index.partition, index.sort),
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in spec.indexes
        ]
    ddb.create_table(**params)
    ddb.get_waiter("table_exists").wait(TableName=spec.name, WaiterConfig={"Delay": 2})
    return dict(ddb.describe_table(TableName=spec.name)["Table"])


def _ensure_indexes(ddb: Any, spec: TableSpec, description: Mapping[str, Any]) -> bool:
    existing = {i["IndexName"] for i in description.get("GlobalSecondaryIndexes", [])}
    missing = [i for i in spec.indexes if i.name not in existing]
    for index in missing:  # DynamoDB adds one index per update
        ddb.update_table(
            TableName=spec.name,
            AttributeDefinitions=[
                {"AttributeName": n, "AttributeType": "S"} for n in spec.attribute_names()
            ],
            GlobalSecondaryIndexUpdates=[
                {
                    "Create": {
                        "IndexName": index.name,
                        "KeySchema": _key_schema(index.partition, index.sort),
                        "Projection": {"ProjectionType": "ALL"},
                    }
                }
            ],
        )
        _wait_for_indexes(ddb, spec.name)
    return bool(missing)


def _wait_for_indexes(ddb: Any, table: str, timeout_seconds: float = 600) -> None:
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        indexes = ddb.describe_table(TableName=table)["Table"].get("GlobalSecondaryIndexes", [])
        if all(i.get("IndexStatus", "ACTIVE") == "ACTIVE" for i in indexes):
            return
        time.sleep(5)
    raise TimeoutError(f"indexes of {table} did not become active")


def delete_table(ddb: Any, name: str, report: Report) -> None:
    try:
        ddb.delete_table(TableName=name)
    except ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            raise
        report.add(f"dynamodb:{name}", "absent")
        return
    report.add(f"dynamodb:{name}", "deleted")


# --- SSM parameters ---------------------------------------------------------------------------
def ensure_secret(ssm: Any, spec: SecretSpec, tags: Mapping[str, str], report: Report) -> None:
    """Generate the secret once; later runs never rotate it (rotation is a deliberate act)."""
    try:
        ssm.get_parameter(Name=spec.name)
        report.add(f"ssm:{spec.name}", "unchanged")
        return
    except ClientError as exc:
        if _code(exc) != "ParameterNotFound":
            raise
    ssm.put_parameter(
        Name=spec.name,
        Description=spec.description,
        Value=secrets.token_urlsafe(32),
        Type="SecureString",
        Tags=_tag_list(tags),
    )
    report.add(f"ssm:{spec.name}", "created")


def ensure_parameter(
    ssm: Any, name: str, value: str, tags: Mapping[str, str], report: Report
) -> None:
    try:
        current = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ClientError as exc:
        if _code(exc) != "ParameterNotFound":
            raise
        ssm.put_parameter(Name=name, Value=value, Type="String", Tags=_tag_list(tags))
        report.add(f"ssm:{name}", "created")
        return
    if current == value:
        report.add(f"ssm:{name}", "unchanged")
        return
    ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)
    report.add(f"ssm:{name}", "updated")


def delete_parameters(ssm: Any, names: Iterable[str], report: Report) -> None:
    for name in names:
        try:
            ssm.delete_parameter(Name=name)
            report.add(f"ssm:{name}", "deleted")
        except ClientError as exc:
            if _code(exc) != "ParameterNotFound":
                raise
            report.add(f"ssm:{name}", "absent")


# --- Cognito (staff sign-in) ------------------------------------------------------------------
def find_user_pool(cognito: Any, name: str) -> str | None:
    for page in cognito.get_paginator("list_user_pools").paginate(MaxResults=60):
        for pool in page["UserPools"]:
            if pool["Name"] == name:
                return str(pool["Id"])
    return None


def ensure_user_pool(cognito: Any, stage: Stage, report: Report) -> tuple[str, str]:
    """The staff user pool, its role groups and the SPA's app client; returns (pool, client)."""
    pool_id = find_user_pool(cognito, stage.user_pool_name)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=stage.user_pool_name,
            Policies={
                "PasswordPolicy": {
                    "MinimumLength": 12,
                    "RequireUppercase": True,
                    "RequireLowercase": True,
                    "RequireNumbers": True,
                    "RequireSymbols": False,
                }
            },
            AdminCreateUserConfig={"AllowAdminCreateUserOnly": True},
            UserPoolTags=dict(stage.tags),
        )["UserPool"]["Id"]
        report.add(f"cognito:{stage.user_pool_name}", "created")
    else:
        report.add(f"cognito:{stage.user_pool_name}", "unchanged")

    groups = {g["GroupName"] for g in cognito.list_groups(UserPoolId=pool_id)["Groups"]}
    for precedence, role in enumerate(reversed(STAFF_ROLES)):
        if role not in groups:
            cognito.create_group(GroupName=role, UserPoolId=pool_id, Precedence=precedence)
            report.add(f"cognito:{stage.user_pool_name}/group/{role}", "created")

    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next(
        (c["ClientId"] for c in clients if c["ClientName"] == stage.user_pool_client_name), None
    )
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName=stage.user_pool_client_name,
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            PreventUserExistenceErrors="ENABLED",
            IdTokenValidity=8,
            AccessTokenValidity=8,
            TokenValidityUnits={"IdToken": "hours", "AccessToken": "hours"},
        )["UserPoolClient"]["ClientId"]
        report.add(f"cognito:{stage.user_pool_client_name}", "created")
    return str(pool_id), str(client_id)


def delete_user_pool(cognito: Any, stage: Stage, report: Report) -> None:
    pool_id = find_user_pool(cognito, stage.user_pool_name)
    if pool_id is None:
        report.add(f"cognito:{stage.user_pool_name}", "absent")
        return
    cognito.delete_user_pool(UserPoolId=pool_id)
    report.add(f"cognito:{stage.user_pool_name}", "deleted")


def ensure_mail_identity(ses: Any, sender: str, report: Report) -> None:
    """Start verifying RepairApp's SES sender, once (idempotent).

    A plain address gets a verification mail from AWS (someone must click it); a verified domain
    (DKIM records, docs/operations.md) covers every address in it and is left alone. The local
    emulator verifies at once.
    """
    domain = sender.rsplit("@", 1)[-1]
    found = ses.get_identity_verification_attributes(Identities=[sender, domain])
    attributes = found.get("VerificationAttributes", {})
    for identity in (sender, domain):
        status = attributes.get(identity, {}).get("VerificationStatus")
        if status in ("Success", "Pending"):
            report.add(f"ses:{identity}", "unchanged" if status == "Success" else "pending")
            return
    ses.verify_email_identity(EmailAddress=sender)
    report.add(f"ses:{sender}", "created")
