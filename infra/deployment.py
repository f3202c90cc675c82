"""The deploy's steps that talk to AWS, in the order ``deploy.sh`` runs them (and removes them).

``deploy.sh`` keeps the sequence readable (one shell function per step) and calls these through
``python -m infra``; each returns a ``Report`` so every step prints what it created, updated or
left unchanged. Options come from the environment (``DeployOptions.from_env``) so the script's
flags and a CI job's variables mean the same thing.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from infra import alerts, api_gateway, budget, cloudfront, monitoring, provision, site
from infra.app_config import APPS, REPO_ROOT, SITE_URL_PARAMETER, parameter_path
from infra.chalice_project import function_settings, load_config, require_deployed
from infra.definition import Stage
from infra.provision import Report
from infra.stack import Clients, apply_foundation


class DeployError(RuntimeError):
    """A step found the deployment in a state it must not continue from."""


@dataclass(frozen=True)
class DeployOptions:
    budget_settings: budget.BudgetSettings = field(
        default_factory=lambda: budget.BudgetSettings.parse(None, None)
    )
    alert_email: str | None = None
    certificate: cloudfront.Certificate | None = None
    throttles: Mapping[str, api_gateway.Throttle] = field(
        default_factory=lambda: dict(api_gateway.DEFAULT_THROTTLES)
    )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeployOptions:
        env = os.environ if env is None else env
        domain, certificate_arn = env.get("SITE_DOMAIN"), env.get("SITE_CERTIFICATE_ARN")
        if bool(domain) != bool(certificate_arn):
            raise ValueError("SITE_DOMAIN and SITE_CERTIFICATE_ARN go together")
        return cls(
            budget_settings=budget.BudgetSettings.parse(
                env.get("BUDGET_AMOUNT"), env.get("BUDGET_CURRENCY")
            ),
            alert_email=env.get("ALERT_EMAIL") or None,
            certificate=(
                cloudfront.Certificate(domain=domain, acm_certificate_arn=certificate_arn)
                if domain and certificate_arn
                else None
            ),
        )


def with_site_origins(stage: Stage, origins: tuple[str, ...]) -> Stage:
    return dataclasses.replace(stage, site_origins=origins)


# --- deploy -----------------------------------------------------------------------------------
def apply_stack(clients: Clients, stage: Stage, options: DeployOptions) -> Report:
    """Buckets, tables, secrets, user pool, the alerts topic and the budget.

    The photo bucket's CORS names the site's origin, known once the distribution exists: a
    redeploy looks it up first so this step does not undo what the CloudFront step set.
    """
    existing = cloudfront.find_distribution(clients("cloudfront"), stage)
    if existing is not None:
        stage = with_site_origins(stage, cloudfront.site_origins(existing, options.certificate))
    report = apply_foundation(clients, stage)
    topic = alerts.ensure_alerts_topic(clients("sns"), stage, options.alert_email, report)
    budget.ensure_budget(clients("budgets"), stage, options.budget_settings, topic, report)
    return report


def tune_apis(
    clients: Clients, stage: Stage, options: DeployOptions, root: Path = REPO_ROOT
) -> Report:
    """Throttling, gateway responses and tracing on both APIs; memory and tracing verified."""
    report = Report()
    apigateway, lambda_client = clients("apigateway"), clients("lambda")
    problems: list[str] = []
    for app in APPS:
        deployed = require_deployed(app, stage.stage, root)
        api_id = deployed.api_id()
        api_gateway.ensure_stage_tracing(apigateway, api_id, app, report)
        api_gateway.ensure_throttling(apigateway, api_id, app, options.throttles[app], report)
        api_gateway.ensure_gateway_responses(apigateway, api_id, app, report)
        config = load_config(app, root)
        functions = {
            name: (function_name, function_settings(config, stage.stage, name).memory_mb)
            for name, function_name in deployed.function_names.items()
        }
        problems += api_gateway.verify_functions(lambda_client, app, functions, report)
    if problems:
        raise DeployError("deployed functions differ from the config:\n  " + "\n  ".join(problems))
    return report


def apply_monitoring(clients: Clients, stage: Stage, root: Path = REPO_ROOT) -> Report:
    """Log retention on every log group the stage's functions and workflow write, the alarms
    (to the alerts topic) and the dashboard. Runs after the Lambdas and the workflow exist."""
    report = Report()
    functions = sorted(
        name
        for app in APPS
        for name in require_deployed(app, stage.stage, root).function_names.values()
    )
    groups = [f"/aws/lambda/{name}" for name in functions] + [stage.state_machine_log_group]
    monitoring.ensure_log_retention(clients("logs"), groups, stage.tags, report)
    cloudwatch = clients("cloudwatch")
    alarms = monitoring.ensure_alarms(cloudwatch, stage, alerts.topic_arn(stage), functions, report)
    monitoring.ensure_dashboard(cloudwatch, stage, alarms, report)
    return report


def publish_site(clients: Clients, stage: Stage, dist: Path) -> Report:
    """Upload the built SPA; invalidate the CDN when its content changed."""
    report = Report()
    result = site.publish(clients("s3"), stage.site_bucket.name, dist)
    changed = bool(result.uploaded or result.deleted)
    report.add(
        f"s3://{stage.site_bucket.name} site files: {result.uploaded} uploaded, "
        f"{result.unchanged} unchanged, {result.deleted} deleted",
        "updated" if changed else "unchanged",
    )
    distribution = cloudfront.find_distribution(clients("cloudfront"), stage)
    if changed and distribution is not None:
        cloudfront.invalidate_all(clients("cloudfront"), distribution, report)
    return report


def apply_cdn(
    clients: Clients, stage: Stage, options: DeployOptions, root: Path = REPO_ROOT
) -> tuple[Report, cloudfront.Distribution]:
    """The distribution with its access control, function and bucket policy; then the photo
    bucket's CORS for the site's origin."""
    report = Report()
    cf, s3 = clients("cloudfront"), clients("s3")
    access_control_id = cloudfront.ensure_access_control(cf, stage, report)
    function_arn = cloudfront.ensure_spa_function(cf, stage, report)
    repairapp = require_deployed("repairapp", stage.stage, root)
    secret = clients("ssm").get_parameter(Name=stage.origin_secret.name, WithDecryption=True)
    wanted = cloudfront.distribution_config(
        stage,
        access_control_id=access_control_id,
        function_arn=function_arn,
        api_domain=f"{repairapp.api_id()}.execute-api.{stage.region}.amazonaws.com",
        origin_secret=secret["Parameter"]["Value"],
        certificate=options.certificate,
    )
    distribution, action = cloudfront.ensure_distribution(cf, stage, wanted, report)
    cloudfront.ensure_site_bucket_policy(s3, stage, distribution.arn, report)
    if action == "updated":
        # A changed behaviour or origin must not be hidden behind objects cached before it.
        cloudfront.invalidate_all(cf, distribution, report)
    with_origins = with_site_origins(
        stage, cloudfront.site_origins(distribution, options.certificate)
    )
    provision.ensure_bucket(s3, with_origins.photos_bucket, stage.region, stage.tags, report)
    # The site's address for the links in RepairApp's mails (the custom domain when there is one).
    site_url = cloudfront.site_origins(distribution, options.certificate)[-1]
    provision.ensure_parameter(
        clients("ssm"), parameter_path(stage) + SITE_URL_PARAMETER, site_url, stage.tags, report
    )
    return report, distribution


# --- delete -----------------------------------------------------------------------------------
def delete_cdn(clients: Clients, stage: Stage, poll_seconds: int = 30) -> Report:
    """The distribution first (it uses the function and the access control), then those."""
    report = Report()
    cf = clients("cloudfront")
    cloudfront.delete_distribution(cf, stage, report, poll_seconds)
    cloudfront.delete_site_bucket_policy(clients("s3"), stage, report)
    cloudfront.delete_spa_function(cf, stage, report)
    cloudfront.delete_access_control(cf, stage, report)
    return report


def delete_alerts(clients: Clients, stage: Stage) -> Report:
    report = Report()
    monitoring.delete_dashboard(clients("cloudwatch"), stage, report)
    monitoring.delete_alarms(clients("cloudwatch"), stage, report)
    budget.delete_budget(clients("budgets"), stage, report)
    alerts.delete_alerts_topic(clients("sns"), stage, report)
    return report


def delete_function_logs(clients: Clients, stage: Stage) -> Report:
    """Lambda creates its log groups on first use; ``chalice delete`` leaves them behind."""
    report = Report()
    logs = clients("logs")
    for app in APPS:
        base = f"/aws/lambda/{app}-{stage.stage}"
        pages = logs.get_paginator("describe_log_groups").paginate(logGroupNamePrefix=base)
        for group in (g for page in pages for g in page.get("logGroups", [])):
            name = group["logGroupName"]
            if name == base or name.startswith(base + "-"):
                logs.delete_log_group(logGroupName=name)
                report.add(f"logs:{name}", "deleted")
    return report
