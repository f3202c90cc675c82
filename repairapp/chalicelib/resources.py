"""RepairApp's adapters, built lazily from the settings and the shared client factory.

Nothing here runs at import time; each factory builds its adapter on first use and keeps it for
the container's life. ``reset`` forgets them all (tests).
"""

from __future__ import annotations

import functools
import os

from chalicelib.auth import TokenVerifier
from chalicelib.config import (
    SITE_URL_PARAMETER,
    SMARTRE_KEY_PARAMETER,
    USER_POOL_CLIENT_PARAMETER,
    USER_POOL_PARAMETER,
    settings,
)
from chalicelib.event_store import EventStore
from chalicelib.mail import Mailer
from chalicelib.repair_store import RepairStore
from chalicelib.smartre_client import SmartReClient
from chalicelib.staff_access import AccessRecords, StaffDirectory
from chalicelib.staff_pool import StaffPool
from repaircore import clients
from repaircore.errors import ConfigurationError
from repaircore.idempotency import IdempotencyStore
from repaircore.parameters import ParameterStore
from repaircore.tables import Table


@functools.cache
def repairs() -> RepairStore:
    dynamodb = clients.client("dynamodb")
    return RepairStore(
        Table(dynamodb, settings().repairs_table, ("repairId",)),
        Table(dynamodb, settings().stats_table, ("statsId",)),
        dynamodb,
    )


@functools.cache
def events() -> EventStore:
    dynamodb = clients.client("dynamodb")
    return EventStore(Table(dynamodb, settings().events_table, ("eventId",)), dynamodb)


@functools.cache
def idempotency() -> IdempotencyStore:
    table = Table(clients.client("dynamodb"), settings().idempotency_table, ("pk",))
    return IdempotencyStore(table)


@functools.cache
def parameters() -> ParameterStore:
    return ParameterStore(clients.client("ssm"), settings().parameter_path)


@functools.cache
def smartre() -> SmartReClient:
    return SmartReClient(
        settings().smartre_api_url, lambda: parameters().get(SMARTRE_KEY_PARAMETER)
    )


@functools.cache
def token_verifier() -> TokenVerifier:
    return TokenVerifier(
        parameters().get(USER_POOL_PARAMETER),
        parameters().get(USER_POOL_CLIENT_PARAMETER),
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL"),
    )


@functools.cache
def staff_pool() -> StaffPool:
    return StaffPool(clients.client("cognito-idp"), parameters().get(USER_POOL_CLIENT_PARAMETER))


@functools.cache
def staff_directory() -> StaffDirectory:
    return StaffDirectory(clients.client("cognito-idp"), parameters().get(USER_POOL_PARAMETER))


@functools.cache
def access_records() -> AccessRecords:
    dynamodb = clients.client("dynamodb")
    return AccessRecords(Table(dynamodb, settings().access_table, ("pk",)), dynamodb)


@functools.cache
def mailer() -> Mailer | None:
    """The SES mailer, or None when this stage sends no mail (no MAIL_FROM)."""
    sender = settings().mail_from
    return Mailer(clients.client("ses"), sender) if sender else None


def site_url() -> str | None:
    """The site's public address (no trailing slash), or None before the CDN exists."""
    try:
        return parameters().get(SITE_URL_PARAMETER).rstrip("/") or None
    except ConfigurationError:
        return None


def reset() -> None:
    """Forget every adapter and the settings (tests)."""
    for cached in (
        repairs,
        events,
        idempotency,
        parameters,
        smartre,
        token_verifier,
        staff_pool,
        staff_directory,
        access_records,
        mailer,
        settings,
    ):
        cached.cache_clear()
    clients.reset()
