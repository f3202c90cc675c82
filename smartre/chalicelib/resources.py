"""SmartRe's adapters, built lazily from the settings and the shared client factory.

Services ask for an adapter here instead of creating boto3 clients, so tests swap everything by
resetting ``repaircore.clients`` and these caches (``reset``).
"""

from __future__ import annotations

import functools

from chalicelib.config import settings
from chalicelib.label_store import LabelStore
from repaircore import clients
from repaircore.idempotency import IdempotencyStore
from repaircore.object_store import ObjectStore
from repaircore.parameters import ParameterStore
from repaircore.tables import Table


@functools.cache
def photos() -> ObjectStore:
    return ObjectStore(clients.client("s3"), settings().photos_bucket)


@functools.cache
def analyses() -> Table:
    return Table(clients.client("dynamodb"), settings().analyses_table, ("analysisId",))


@functools.cache
def products() -> Table:
    return Table(clients.client("dynamodb"), settings().products_table, ("productId",))


@functools.cache
def labels() -> Table:
    return Table(clients.client("dynamodb"), settings().labels_table, ("analysisId", "labelId"))


@functools.cache
def label_store() -> LabelStore:
    return LabelStore(clients.client("dynamodb"), labels())


@functools.cache
def idempotency() -> IdempotencyStore:
    table = Table(clients.client("dynamodb"), settings().idempotency_table, ("pk",))
    return IdempotencyStore(table)


@functools.cache
def parameters() -> ParameterStore:
    return ParameterStore(clients.client("ssm"), settings().parameter_path)


def reset() -> None:
    """Forget every adapter and the settings (tests)."""
    caches = (photos, analyses, products, labels, label_store, idempotency, parameters, settings)
    for cached in caches:
        cached.cache_clear()
    clients.reset()
