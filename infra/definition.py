"""What a stage of RepairApp + SmartRe needs beyond what ``chalice deploy`` creates.

One declarative definition for every stage: ``make run`` applies it to the embedded emulator and
``deploy.sh`` to an AWS account (``infra.provision``). Names derive from the stage and account
only, so both apps' stage configs can be computed from it (``stage_environment``) — except the
photos bucket's: its name is in every upload answer (the presigned POST's URL and policy), so it
must not carry the account id. A deployed stage names it with a random suffix generated once and
kept in SSM (``infra.photo_bucket`` resolves it into ``Stage.photos_bucket_suffix``); the local
stage, in an emulator with no global bucket namespace, has a fixed name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

PROJECT: Final = "repairapp"
LOCAL_STAGE: Final = "local"
STAGES: Final = ("local", "dev", "prod")
DEFAULT_REGION: Final = "eu-west-1"
# The embedded emulator's account (moto's default); a local stage never asks STS.
LOCAL_ACCOUNT: Final = "123456789012"

PHOTO_UPLOAD_PREFIX: Final = "uploads/"
# Raw photos are personal data and, at scale, the biggest stored cost: keep them a week.
PHOTO_RETENTION_DAYS: Final = 7
LOCAL_MAIL_FROM: Final = "noreply@repairapp.local"
MAX_PHOTO_BYTES: Final = 10 * 1024 * 1024

# Cognito groups are the staff roles RepairApp checks.
STAFF_ROLES: Final = ("repairer", "coordinator")

# What a photos bucket suffix may be (``infra.photo_bucket`` generates 16 hex digits).
PHOTOS_BUCKET_SUFFIX = re.compile(r"[0-9a-z]{6,32}")

# The origins the browser uploads from locally (the CloudFront emulator of `make run`).
LOCAL_SITE_ORIGINS: Final = ("http://127.0.0.1:8000", "http://localhost:8000")


@dataclass(frozen=True)
class GlobalIndex:
    name: str
    partition: str
    sort: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    partition: str
    sort: str | None = None
    indexes: tuple[GlobalIndex, ...] = ()
    ttl_attribute: str | None = None

    def attribute_names(self) -> list[str]:
        names = [self.partition] + ([self.sort] if self.sort else [])
        for index in self.indexes:
            names += [index.partition] + ([index.sort] if index.sort else [])
        return list(dict.fromkeys(names))


@dataclass(frozen=True)
class BucketSpec:
    name: str
    cors_origins: tuple[str, ...] = ()
    expire_prefix: str | None = None
    expire_after_days: int | None = None
    versioned: bool = False


@dataclass(frozen=True)
class SecretSpec:
    """A random secret generated once and kept in SSM Parameter Store (SecureString)."""

    name: str
    description: str


class UnresolvedNameError(ValueError):
    """A deployed stage's photos bucket was named before its suffix was read from SSM."""


@dataclass(frozen=True)
class Stage:
    """Every name of one deployed stage."""

    stage: str
    account: str
    region: str
    site_origins: tuple[str, ...] = field(default=())
    # Deployed stages: from SSM (``photos_bucket_suffix_parameter``, ``infra.photo_bucket``).
    photos_bucket_suffix: str = ""
    # RepairApp's SES sender (a verified identity). Local: an address the emulator verifies;
    # dev/prod: MAIL_FROM at deploy time (docs/operations.md), none means no mail.
    mail_from: str = ""

    @property
    def prefix(self) -> str:
        return f"{PROJECT}-{self.stage}"

    @property
    def photos_bucket_named(self) -> bool:
        return bool(self.photos_bucket_suffix) or self.stage == LOCAL_STAGE

    @property
    def photos_bucket_suffix_parameter(self) -> str:
        return f"/{PROJECT}/{self.stage}/photos-bucket-suffix"

    @property
    def legacy_photos_bucket_name(self) -> str:
        """What the photos bucket was called before issue 18 (the account id showed in uploads)."""
        return f"{self.prefix}-photos-{self.account}"

    # S3 bucket names are global: the account id keeps two deployments apart — except the photos
    # bucket's, which the public sees (module docstring).
    @property
    def photos_bucket(self) -> BucketSpec:
        if self.photos_bucket_suffix:
            name = f"{self.prefix}-photos-{self.photos_bucket_suffix}"
        elif self.stage == LOCAL_STAGE:
            name = f"{self.prefix}-photos"
        else:
            raise UnresolvedNameError(
                f"the {self.stage} stage's photos bucket suffix is not resolved: read "
                f"{self.photos_bucket_suffix_parameter} first (infra.photo_bucket.resolve)"
            )
        return BucketSpec(
            name=name,
            cors_origins=self.site_origins,
            expire_prefix=PHOTO_UPLOAD_PREFIX,
            expire_after_days=PHOTO_RETENTION_DAYS,
        )

    @property
    def models_bucket(self) -> BucketSpec:
        return BucketSpec(name=f"{self.prefix}-models-{self.account}", versioned=True)

    @property
    def site_bucket(self) -> BucketSpec:
        return BucketSpec(name=f"{self.prefix}-site-{self.account}")

    @property
    def buckets(self) -> tuple[BucketSpec, ...]:
        return (self.photos_bucket, self.models_bucket, self.site_bucket)

    # SmartRe's tables
    @property
    def analyses_table(self) -> TableSpec:
        # An analysis holds personal data: it expires on its own (smartre's retention.py).
        return TableSpec(
            name=f"smartre-{self.stage}-analyses", partition="analysisId", ttl_attribute="expiresAt"
        )

    @property
    def products_table(self) -> TableSpec:
        return TableSpec(name=f"smartre-{self.stage}-products", partition="productId")

    @property
    def labels_table(self) -> TableSpec:
        # Feedback from repairers: the labelled examples a retraining reads.
        return TableSpec(
            name=f"smartre-{self.stage}-labels",
            partition="analysisId",
            sort="labelId",
            indexes=(GlobalIndex("by-kind", partition="kind", sort="createdAt"),),
        )

    @property
    def smartre_idempotency_table(self) -> TableSpec:
        return TableSpec(
            name=f"smartre-{self.stage}-idempotency", partition="pk", ttl_attribute="expiresAt"
        )

    # RepairApp's tables
    @property
    def repairs_table(self) -> TableSpec:
        return TableSpec(
            name=f"{self.prefix}-repairs",
            partition="repairId",
            indexes=(
                GlobalIndex("by-status", partition="status", sort="createdAt"),
                GlobalIndex("by-category", partition="productCategory", sort="createdAt"),
                # The outbox: closed requests whose outcome SmartRe has not confirmed yet. Sparse:
                # an item leaves it when ``feedbackDue`` is removed after the send.
                GlobalIndex("feedback-due", partition="feedbackDue", sort="closedAt"),
                # The items of one repair-café event (sparse: only requests with an eventId).
                GlobalIndex("by-event", partition="eventId", sort="createdAt"),
            ),
        )

    @property
    def repairapp_events_table(self) -> TableSpec:
        # Repair-café events; each holds its seat and ticket counters, which bookings change in
        # the same transaction as the request (docs/events.md).
        return TableSpec(
            name=f"{self.prefix}-events",
            partition="eventId",
            indexes=(GlobalIndex("by-start", partition="kind", sort="startsUtc"),),
        )

    @property
    def repairapp_stats_table(self) -> TableSpec:
        # Counters by status and category, updated in the same transaction as each request, so
        # the dashboard reads a few items instead of scanning the requests.
        return TableSpec(name=f"{self.prefix}-stats", partition="statsId")

    @property
    def repairapp_idempotency_table(self) -> TableSpec:
        return TableSpec(
            name=f"{self.prefix}-idempotency", partition="pk", ttl_attribute="expiresAt"
        )

    @property
    def repairapp_access_table(self) -> TableSpec:
        # Staff sign-outs and sign-in failure counters, each expiring on its own (TTL).
        return TableSpec(name=f"{self.prefix}-access", partition="pk", ttl_attribute="expiresAt")

    @property
    def tables(self) -> tuple[TableSpec, ...]:
        return (
            self.analyses_table,
            self.products_table,
            self.labels_table,
            self.smartre_idempotency_table,
            self.repairs_table,
            self.repairapp_idempotency_table,
            self.repairapp_stats_table,
            self.repairapp_access_table,
            self.repairapp_events_table,
        )

    # secrets
    @property
    def service_key(self) -> SecretSpec:
        return SecretSpec(
            name=f"/{PROJECT}/{self.stage}/smartre-service-key",
            description="Bearer key RepairApp presents to SmartRe",
        )

    @property
    def origin_secret(self) -> SecretSpec:
        return SecretSpec(
            name=f"/{PROJECT}/{self.stage}/origin-verify-secret",
            description="Header value CloudFront adds so RepairApp can refuse direct calls",
        )

    @property
    def signing_key(self) -> SecretSpec:
        return SecretSpec(
            name=f"/{PROJECT}/{self.stage}/signing-key",
            description="HMAC key RepairApp signs queue cursors and analysis tokens with",
        )

    @property
    def secrets(self) -> tuple[SecretSpec, ...]:
        return (self.service_key, self.origin_secret, self.signing_key)

    # workflow and identity
    @property
    def state_machine_name(self) -> str:
        return f"smartre-{self.stage}-analysis"

    @property
    def state_machine_role_name(self) -> str:
        return f"smartre-{self.stage}-analysis-workflow"

    @property
    def state_machine_log_group(self) -> str:
        return f"/aws/vendedlogs/states/smartre-{self.stage}-analysis"

    @property
    def state_machine_arn(self) -> str:
        return f"arn:aws:states:{self.region}:{self.account}:stateMachine:{self.state_machine_name}"

    @property
    def user_pool_name(self) -> str:
        return f"{self.prefix}-staff"

    @property
    def user_pool_client_name(self) -> str:
        return f"{self.prefix}-spa"

    @property
    def alerts_topic_name(self) -> str:
        return f"{self.prefix}-alerts"

    @property
    def budget_name(self) -> str:
        return f"{self.prefix}-monthly"

    @property
    def tags(self) -> dict[str, str]:
        return {"project": PROJECT, "stage": self.stage}


def stage(
    name: str,
    account: str,
    region: str = DEFAULT_REGION,
    site_origins: tuple[str, ...] = (),
    *,
    photos_bucket_suffix: str = "",
    mail_from: str | None = None,
) -> Stage:
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r}; expected one of {', '.join(STAGES)}")
    if photos_bucket_suffix and not PHOTOS_BUCKET_SUFFIX.fullmatch(photos_bucket_suffix):
        raise ValueError(
            f"a photos bucket suffix is 6-32 of [0-9a-z], not {photos_bucket_suffix!r}"
        )
    origins = site_origins or (LOCAL_SITE_ORIGINS if name == LOCAL_STAGE else ())
    sender = (
        mail_from if mail_from is not None else (LOCAL_MAIL_FROM if name == LOCAL_STAGE else "")
    )
    return Stage(
        stage=name,
        account=account,
        region=region,
        site_origins=origins,
        photos_bucket_suffix=photos_bucket_suffix,
        mail_from=sender,
    )
