"""RepairApp's settings, read from the environment once per container.

Secrets and generated ids (origin secret, SmartRe key, Cognito ids) are not here: they live in
SSM Parameter Store under ``CONFIG_PARAMETER_PATH`` (see ``resources.parameters``).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from repaircore.errors import ConfigurationError
from repaircore.settings import optional_env, require_env

_NAMES = {
    "stage": "STAGE",
    "repairs_table": "REPAIRS_TABLE_NAME",
    "idempotency_table": "IDEMPOTENCY_TABLE_NAME",
    "stats_table": "STATS_TABLE_NAME",
    "access_table": "ACCESS_TABLE_NAME",
    "events_table": "EVENTS_TABLE_NAME",
    "smartre_api_url": "SMARTRE_API_URL",
    "parameter_path": "CONFIG_PARAMETER_PATH",
}

# Names of the parameters under CONFIG_PARAMETER_PATH.
ORIGIN_SECRET_PARAMETER = "origin-verify-secret"  # noqa: S105 - a name, not a secret
SMARTRE_KEY_PARAMETER = "smartre-service-key"
USER_POOL_PARAMETER = "user-pool-id"
USER_POOL_CLIENT_PARAMETER = "user-pool-client-id"
SIGNING_KEY_PARAMETER = "signing-key"
SITE_URL_PARAMETER = "site-url"  # the site's public address, for the links in mails


@dataclass(frozen=True)
class Settings:
    stage: str
    repairs_table: str
    idempotency_table: str
    stats_table: str
    access_table: str
    events_table: str
    smartre_api_url: str
    parameter_path: str
    # How many proxies after CloudFront append to X-Forwarded-For (1: API Gateway on AWS).
    proxies_after_cloudfront: int = 0
    # Refuse calls that did not come through CloudFront. Only the local stage may turn it off,
    # so a developer can call their own `chalice local` directly (docs/develop.md).
    origin_guard: bool = True
    # The SES sender identity; empty: RepairApp sends no mail.
    mail_from: str = ""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        values = require_env(_NAMES.values(), env)
        hops = env.get("PROXIES_AFTER_CLOUDFRONT", "0")
        guard = optional_env("ORIGIN_GUARD_ENABLED", "true", env).lower()
        if guard not in {"true", "false"}:
            raise ConfigurationError("ORIGIN_GUARD_ENABLED must be true or false")
        if guard == "false" and values["STAGE"] != "local":
            raise ConfigurationError("the origin guard may be turned off in the local stage only")
        return cls(
            **{field: values[name] for field, name in _NAMES.items()},
            proxies_after_cloudfront=int(hops) if hops.isdigit() else 0,
            origin_guard=guard == "true",
            mail_from=env.get("MAIL_FROM", "").strip(),
        )


@functools.cache
def settings() -> Settings:
    return Settings.from_env()
