"""The environment each Chalice app gets per stage, written into its ``.chalice/config.json``.

Static names (tables, buckets, the state machine) are env vars; values AWS generates or that
are secret (Cognito ids, the service key, the origin secret) live in SSM Parameter Store under
``CONFIG_PARAMETER_PATH`` and are read once per container, so the local stage's config stays a
committed, deterministic file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from infra.definition import LOCAL_STAGE, PROJECT, Stage

REPO_ROOT = Path(__file__).resolve().parent.parent
APPS = ("smartre", "repairapp")

# What `cd <app> && chalice local --stage local` needs to reach `make aws` with no further setup:
# the emulator on its default port, a region, and the stack's credentials file, which `make aws`
# writes (``localaws.credentials``; relative to the app's directory, where chalice runs). The
# emulator accepts only those credentials, so none is committed. A developer's ~/.aws must not
# shape local calls. `make run` and the tests run the emulator on other ports with the
# credentials in the environment: their `chalice local` (``localaws.apigateway``) lets the
# process's own AWS variables win over these.
LOCAL_AWS_ENVIRONMENT: dict[str, str] = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "../.localaws/emulator/credentials",
}
# RepairApp run alone: SmartRe's `chalice local` on make run's default port, and direct calls
# allowed (no CloudFront in front to add the origin header). Only the local stage may open it.
LOCAL_REPAIRAPP_ENVIRONMENT: dict[str, str] = {
    "SMARTRE_API_URL": "http://127.0.0.1:8002",
    "ORIGIN_GUARD_ENABLED": "false",
}
# What a running stack (make run, the tests) sets itself, overriding the developer defaults.
# (The credentials too: a stack's are in its environment, and an older config may name some.)
LOCAL_STACK_OWNED = frozenset(
    {
        *LOCAL_AWS_ENVIRONMENT,
        *LOCAL_REPAIRAPP_ENVIRONMENT,
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
    }
)


# RepairApp's public address (for the links in its mails): written by `infra cdn` on AWS and by
# the local stack, read by RepairApp under CONFIG_PARAMETER_PATH.
SITE_URL_PARAMETER = "site-url"


def parameter_path(stage: Stage) -> str:
    return f"/{PROJECT}/{stage.stage}/"


def smartre_environment(stage: Stage) -> dict[str, str]:
    return {
        "STAGE": stage.stage,
        "PHOTOS_BUCKET_NAME": stage.photos_bucket.name,
        "ANALYSES_TABLE_NAME": stage.analyses_table.name,
        "PRODUCTS_TABLE_NAME": stage.products_table.name,
        "LABELS_TABLE_NAME": stage.labels_table.name,
        "IDEMPOTENCY_TABLE_NAME": stage.smartre_idempotency_table.name,
        "ANALYSIS_STATE_MACHINE_ARN": stage.state_machine_arn,
        "CONFIG_PARAMETER_PATH": parameter_path(stage),
    }


def repairapp_environment(stage: Stage, smartre_url: str | None) -> dict[str, str]:
    env = {
        "STAGE": stage.stage,
        "REPAIRS_TABLE_NAME": stage.repairs_table.name,
        "IDEMPOTENCY_TABLE_NAME": stage.repairapp_idempotency_table.name,
        "STATS_TABLE_NAME": stage.repairapp_stats_table.name,
        "ACCESS_TABLE_NAME": stage.repairapp_access_table.name,
        "EVENTS_TABLE_NAME": stage.repairapp_events_table.name,
        "CONFIG_PARAMETER_PATH": parameter_path(stage),
        # Proxies after CloudFront that append to X-Forwarded-For: API Gateway on AWS; none
        # locally, where the CloudFront emulator talks to `chalice local` directly.
        "PROXIES_AFTER_CLOUDFRONT": "0" if stage.stage == LOCAL_STAGE else "1",
    }
    # The SES sender identity (infra.stack provisions it); no MAIL_FROM, no mail.
    if stage.mail_from:
        env["MAIL_FROM"] = stage.mail_from
    # Locally SmartRe's URL depends on the port the stack chose, so the stack passes it in the
    # process environment (as it does AWS_ENDPOINT_URL); deployed stages record it here.
    if smartre_url:
        env["SMARTRE_API_URL"] = smartre_url
    return env


def environment(app: str, stage: Stage, *, smartre_url: str | None = None) -> dict[str, str]:
    if app == "smartre":
        env = smartre_environment(stage)
    elif app == "repairapp":
        env = repairapp_environment(stage, smartre_url)
    else:
        raise ValueError(f"unknown app {app!r}")
    if stage.stage == LOCAL_STAGE:
        env |= LOCAL_AWS_ENVIRONMENT
        if app == "repairapp":
            env |= {k: v for k, v in LOCAL_REPAIRAPP_ENVIRONMENT.items() if k not in env}
    return env


def config_path(app: str, root: Path = REPO_ROOT) -> Path:
    return root / app / ".chalice" / "config.json"


def write_stage_environment(
    app: str, stage_name: str, env: Mapping[str, str], root: Path = REPO_ROOT
) -> bool:
    """Merge ``env`` into the stage's ``environment_variables``; return True if the file changed."""
    path = config_path(app, root)
    config: dict[str, Any] = json.loads(path.read_text())
    stage_config = config.setdefault("stages", {}).setdefault(stage_name, {})
    current = stage_config.get("environment_variables", {})
    merged = {**current, **env}
    if merged == current:
        return False
    stage_config["environment_variables"] = dict(sorted(merged.items()))
    path.write_text(json.dumps(config, indent=2) + "\n")
    return True
