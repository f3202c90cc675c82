"""Apply or remove one stage: the order of steps, shared by `make run` and `deploy.sh`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3

from infra import photo_bucket, provision, workflow
from infra.app_config import SITE_URL_PARAMETER, parameter_path
from infra.definition import LOCAL_STAGE, Stage
from stepfunctions.render import render_analysis


@dataclass(frozen=True)
class Clients:
    """boto3 clients for one account and region (endpoints from ``AWS_ENDPOINT_URL``)."""

    session: boto3.session.Session

    def __call__(self, service: str) -> Any:
        return self.session.client(service)

    @classmethod
    def for_region(cls, region: str) -> Clients:
        return cls(boto3.session.Session(region_name=region))

    def account_id(self) -> str:
        return str(self("sts").get_caller_identity()["Account"])


def apply_foundation(clients: Clients, stage: Stage) -> provision.Report:
    """Buckets, tables, secrets and the staff user pool (everything the Lambdas need)."""
    report = provision.Report()
    s3, ddb, ssm = clients("s3"), clients("dynamodb"), clients("ssm")
    for bucket in stage.buckets:
        provision.ensure_bucket(s3, bucket, stage.region, stage.tags, report)
    photo_bucket.retire_legacy_bucket(s3, stage, report)
    for table in stage.tables:
        provision.ensure_table(ddb, table, stage.tags, report)
    for secret in stage.secrets:
        provision.ensure_secret(ssm, secret, stage.tags, report)
    if stage.mail_from:
        provision.ensure_mail_identity(clients("ses"), stage.mail_from, report)
    pool_id, client_id = provision.ensure_user_pool(clients("cognito-idp"), stage, report)
    base = parameter_path(stage)
    provision.ensure_parameter(ssm, base + "user-pool-id", pool_id, stage.tags, report)
    provision.ensure_parameter(ssm, base + "user-pool-client-id", client_id, stage.tags, report)
    return report


def apply_workflow(clients: Clients, stage: Stage, deployed_path: Path) -> provision.Report:
    """The analysis state machine, wired to the Lambdas recorded in ``deployed_path``."""
    report = provision.Report()
    definition = render_analysis(deployed_path, stage.analyses_table.name)
    workflow.ensure_state_machine(
        clients("stepfunctions"), clients("iam"), clients("logs"), stage, definition, report
    )
    return report


def destroy(clients: Clients, stage: Stage) -> provision.Report:
    """Remove everything ``apply_*`` created for the stage (data included: test stages)."""
    report = provision.Report()
    workflow.delete_state_machine(
        clients("stepfunctions"), clients("iam"), clients("logs"), stage, report
    )
    provision.delete_user_pool(clients("cognito-idp"), stage, report)
    base = parameter_path(stage)
    provision.delete_parameters(
        clients("ssm"),
        [s.name for s in stage.secrets]
        + [base + "user-pool-id", base + "user-pool-client-id", base + SITE_URL_PARAMETER],
        report,
    )
    for table in stage.tables:
        provision.delete_table(clients("dynamodb"), table.name, report)
    # A deployed stage's photos bucket is named only once its suffix was read (``resolve``):
    # a stage that never had one has none; one from before issue 18 has the account-named one.
    buckets = [stage.models_bucket.name, stage.site_bucket.name]
    if stage.photos_bucket_named:
        buckets.insert(0, stage.photos_bucket.name)
    if stage.stage != LOCAL_STAGE:
        buckets.append(stage.legacy_photos_bucket_name)
    for name in buckets:
        provision.empty_and_delete_bucket(clients("s3"), name, report)
    if stage.stage != LOCAL_STAGE:
        provision.delete_parameters(clients("ssm"), [stage.photos_bucket_suffix_parameter], report)
    return report
