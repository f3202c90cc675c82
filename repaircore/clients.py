"""Lazy, cached boto3 clients.

No client is created at import time (cold starts stay short and tests can swap the environment);
each factory builds its client on first use and keeps it for the life of the Lambda container.
Endpoints come only from ``AWS_ENDPOINT_URL`` (botocore honours it), never from code. ``reset``
drops the cache: tests call it between cases.
"""

from __future__ import annotations

import functools
import os
from typing import Any

import boto3
from botocore.config import Config

# Fail fast inside a Lambda/HTTP request: a dependency that hangs must surface as a 503 with a
# retry hint long before API Gateway's 29 s limit. "standard" retries throttling with backoff.
_TIMEOUTS = {"connect_timeout": 2, "read_timeout": 10}
_RETRIES = {"mode": "standard", "max_attempts": 3}
# StartSyncExecution holds the connection for the whole workflow (its own timeout is 25 s), and
# must never be retried by the SDK: the idempotency layer above decides about repeats.
_SERVICE_OVERRIDES: dict[str, dict[str, Any]] = {
    "stepfunctions": {"read_timeout": 30, "retries": {"mode": "standard", "max_attempts": 1}},
    # Mail is sent inline after the request's own write: short, and never retried (chalicelib.mail).
    "ses": {
        "connect_timeout": 1,
        "read_timeout": 2,
        "retries": {"mode": "standard", "max_attempts": 1},
    },
}


def _config(**extra: Any) -> Config:
    # botocore prepends host prefixes (e.g. "sync-" for StartSyncExecution) to the endpoint host;
    # that is right for AWS hostnames and wrong for an explicit endpoint override.
    inject_host_prefix = not os.environ.get("AWS_ENDPOINT_URL")
    settings: dict[str, Any] = {"retries": _RETRIES, **_TIMEOUTS, **extra}
    return Config(inject_host_prefix=inject_host_prefix, **settings)


@functools.cache
def _session() -> boto3.session.Session:
    return boto3.session.Session()


@functools.cache
def client(service: str) -> Any:
    """A shared client for ``service`` (``"s3"``, ``"dynamodb"``, ``"stepfunctions"``, ...)."""
    extra: dict[str, Any] = dict(_SERVICE_OVERRIDES.get(service, {}))
    if service == "s3":
        # Presigned POSTs must be SigV4 and name the regional virtual-host endpoint: the legacy
        # global one answers a browser's CORS upload to a new bucket with a redirect. (An IP
        # endpoint override still gets path-style URLs.)
        extra |= {"signature_version": "s3v4", "s3": {"addressing_style": "virtual"}}
    return _session().client(service, config=_config(**extra))


def reset() -> None:
    """Forget every cached client and session (tests; never needed in production)."""
    client.cache_clear()
    _session.cache_clear()
