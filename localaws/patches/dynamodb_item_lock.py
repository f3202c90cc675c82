"""Serialise moto's DynamoDB item operations, as DynamoDB isolates them.

moto behaviour covered: `moto.dynamodb.models.DynamoDBBackend.transact_write_items` snapshots
every table it touches with `copy.deepcopy` (to roll back a failed condition) while the threaded
server lets other requests write the same table. Under concurrent load the copy fails with
"dictionary changed size during iteration" and the client gets an HTML 500; a transaction can
also interleave with another write, which DynamoDB never allows (it cancels one of them). Scans
and queries iterate the same dicts and can fail the same way. One re-entrant lock around the
backend's item operations makes each write, each whole transaction and each read run alone; at
the emulator's request rates this costs nothing measurable.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.models import DynamoDBBackend

from localaws.patches._patching import original, replace_attribute

ITEM_OPERATIONS = (
    "put_item",
    "get_item",
    "update_item",
    "delete_item",
    "query",
    "scan",
    "transact_write_items",
)
_lock = threading.RLock()


def _serialised(operation: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(operation)
    def serialised(*args: Any, **kwargs: Any) -> Any:
        with _lock:
            return operation(*args, **kwargs)

    return serialised


def apply() -> None:
    for name in ITEM_OPERATIONS:
        replace_attribute(DynamoDBBackend, name, _serialised(original(DynamoDBBackend, name)))
