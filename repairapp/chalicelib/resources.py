"""RepairApp's adapters, built lazily from the settings and the shared client factory."""

from __future__ import annotations

import functools

from chalicelib.config import settings
from repaircore import clients
from repaircore.idempotency import IdempotencyStore
from repaircore.parameters import ParameterStore
from repaircore.tables import Table


@functools.cache
def repairs() -> Table:
    return Table(clients.client("dynamodb"), settings().repairs_table, ("repairId",))


@functools.cache
def idempotency() -> IdempotencyStore:
    table = Table(clients.client("dynamodb"), settings().idempotency_table, ("pk",))
    return IdempotencyStore(table)


@functools.cache
def parameters() -> ParameterStore:
    return ParameterStore(clients.client("ssm"), settings().parameter_path)


def reset() -> None:
    """Forget every adapter and the settings (tests)."""
    for cached in (repairs, idempotency, parameters, settings):
        cached.cache_clear()
    clients.reset()
