"""DynamoDB adapter: typed get/put/update/query over the low-level client.

Items go in and come out as plain Python values: floats are stored as exact decimals and come
back as ``int`` or ``float`` (never ``Decimal``). Conditional writes express the domain rules
(create once, update only the version you read) and their failures come back as shared errors;
throttling and outages come back as ``ServiceUnavailable`` so the API can answer 503 + Retry-After.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import BotoCoreError, ClientError

from repaircore.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
    TransactionConflict,
    VersionConflict,
)

logger = logging.getLogger(__name__)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

_TRANSIENT = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "LimitExceededException",
    "TransactionConflictException",
    "TransactionInProgressException",
}
MAX_CURSOR_CHARS = 2048


# --- values ---------------------------------------------------------------------------------
def to_dynamo(value: Any) -> Any:
    """Python → DynamoDB-safe Python (floats become exact ``Decimal``; NaN/inf are refused)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | int | bytes):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput("numbers must be finite")
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Mapping):
        return {str(k): to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_dynamo(v) for v in value]
    if isinstance(value, set | frozenset):
        return {to_dynamo(v) for v in value}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def from_dynamo(value: Any) -> Any:
    """DynamoDB → plain Python: ``Decimal`` becomes ``int`` when integral, else ``float``."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_dynamo(v) for v in value]
    if isinstance(value, set):
        return {from_dynamo(v) for v in value}
    return value


def serialize_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(to_dynamo(v)) for k, v in item.items() if v is not None}


def deserialize_item(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: from_dynamo(_deserializer.deserialize(v)) for k, v in raw.items()}


# --- cursors --------------------------------------------------------------------------------
def encode_cursor(last_evaluated_key: Mapping[str, Any] | None) -> str | None:
    if not last_evaluated_key:
        return None
    plain = deserialize_item(last_evaluated_key)
    raw = json.dumps(plain, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    """Parse a client-supplied cursor; anything malformed is the client's ``InvalidCursor``."""
    if cursor is None or cursor == "":
        return None
    bad = InvalidInput("cursor is not one this API issued", code="InvalidCursor")
    if len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        plain = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(plain, dict) or not 0 < len(plain) <= 4:
        raise bad
    for name, value in plain.items():
        if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) > 1024:
            raise bad
        if not isinstance(name, str) or len(name) > 64:
            raise bad
    return serialize_item(plain)


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None


@dataclass
class _Expression:
    """Builds expressions with placeholder names/values so no attribute name is ever reserved."""

    names: dict[str, str] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)

    def name(self, attribute: str) -> str:
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attribute
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = _serializer.serialize(to_dynamo(value))
        return placeholder

    def params(self) -> dict[str, Any]:
        params: dict[str, Any] = {}
        if self.names:
            params["ExpressionAttributeNames"] = self.names
        if self.values:
            params["ExpressionAttributeValues"] = self.values
        return params


# --- the adapter ----------------------------------------------------------------------------
class Table:
    """One DynamoDB table whose primary key is ``key_names`` (partition[, sort])."""

    def __init__(self, client: Any, name: str, key_names: Sequence[str]) -> None:
        if not 1 <= len(key_names) <= 2:
            raise ValueError("a primary key has one or two attributes")
        self._client = client
        self.name = name
        self.key_names = tuple(key_names)

    # reads
    def get(self, key: Mapping[str, Any], *, consistent: bool = True) -> dict[str, Any]:
        item = self.find(key, consistent=consistent)
        if item is None:
            raise NotFound(f"{self._describe(key)} not found")
        return item

    def find(
        self,
        key: Mapping[str, Any],
        *,
        consistent: bool = True,
        attributes: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """The item, or only ``attributes`` of it; ``None`` if it does not exist."""
        params: dict[str, Any] = {}
        if attributes:
            expr = _Expression()
            params["ProjectionExpression"] = ", ".join(expr.name(a) for a in attributes)
            params.update(expr.params())
        response = self._call(
            "get_item",
            TableName=self.name,
            Key=self._key(key),
            ConsistentRead=consistent,
            **params,
        )
        raw = response.get("Item")
        return deserialize_item(raw) if raw else None

    def query(
        self,
        *,
        partition: tuple[str, Any],
        index: str | None = None,
        sort_begins_with: tuple[str, str] | None = None,
        equals: Mapping[str, Any] | None = None,
        limit: int = 25,
        cursor: str | None = None,
        newest_first: bool = False,
    ) -> Page:
        """One page of a key-condition query (never a scan). ``equals`` filters within the page."""
        if not 1 <= limit <= 1000:
            raise InvalidInput("limit must be between 1 and 1000", code="InvalidLimit")
        expr = _Expression()
        key_condition = f"{expr.name(partition[0])} = {expr.value(partition[1])}"
        if sort_begins_with:
            name, prefix = sort_begins_with
            key_condition += f" AND begins_with({expr.name(name)}, {expr.value(prefix)})"
        params: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": key_condition,
            "Limit": limit,
            "ScanIndexForward": not newest_first,
        }
        if index:
            params["IndexName"] = index
        if equals:
            params["FilterExpression"] = " AND ".join(
                f"{expr.name(k)} = {expr.value(v)}" for k, v in equals.items()
            )
        start = decode_cursor(cursor)
        if start:
            params["ExclusiveStartKey"] = start
        params.update(expr.params())
        try:
            response = self._client.query(**params)
        except ClientError as exc:
            if _code(exc) == "ValidationException" and start:
                raise InvalidInput(
                    "cursor is not one this API issued", code="InvalidCursor"
                ) from exc
            raise _translate(exc, f"table {self.name}") from exc
        except BotoCoreError as exc:
            raise _unreachable("query", exc) from exc
        items = [deserialize_item(raw) for raw in response.get("Items", [])]
        return Page(items=items, next_cursor=encode_cursor(response.get("LastEvaluatedKey")))

    def scan(self, *, limit: int = 100, cursor: str | None = None) -> Page:
        """One page of the whole table: only for small reference tables (e.g. a catalogue)."""
        if not 1 <= limit <= 1000:
            raise InvalidInput("limit must be between 1 and 1000", code="InvalidLimit")
        params: dict[str, Any] = {"TableName": self.name, "Limit": limit}
        start = decode_cursor(cursor)
        if start:
            params["ExclusiveStartKey"] = start
        response = self._call("scan", **params)
        items = [deserialize_item(raw) for raw in response.get("Items", [])]
        return Page(items=items, next_cursor=encode_cursor(response.get("LastEvaluatedKey")))

    # writes
    def put(
        self,
        item: Mapping[str, Any],
        *,
        if_absent: bool = False,
        or_if_below: tuple[str, Any] | None = None,
    ) -> None:
        """Write ``item``. With ``if_absent`` an existing item is a ``Conflict`` and is kept;
        ``or_if_below=(attribute, value)`` still lets it replace an existing item whose
        ``attribute`` is below ``value`` (e.g. a lock whose lease expired)."""
        self._call(
            "put_item", **self.put_request(item, if_absent=if_absent, or_if_below=or_if_below)
        )

    def put_request(
        self,
        item: Mapping[str, Any],
        *,
        if_absent: bool = False,
        or_if_below: tuple[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The ``Put`` parameters, for ``put`` or for a ``transact_write``."""
        params: dict[str, Any] = {"TableName": self.name, "Item": serialize_item(item)}
        if if_absent:
            expr = _Expression()
            condition = f"attribute_not_exists({expr.name(self.key_names[0])})"
            if or_if_below:
                condition += f" OR {expr.name(or_if_below[0])} < {expr.value(or_if_below[1])}"
            params["ConditionExpression"] = condition
            params.update(expr.params())
        return params

    def update_versioned(
        self,
        key: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        version_attribute: str = "version",
        remove: Sequence[str] = (),
    ) -> dict[str, Any]:
        """Apply ``changes`` only if the stored version is ``expected_version``; bump it by one.

        Returns the whole new item. A missing item is ``NotFound``; a changed one is
        ``VersionConflict`` (the caller read an old version).
        """
        params = self.update_request(
            key,
            changes,
            expected_version=expected_version,
            version_attribute=version_attribute,
            remove=remove,
        )
        params["ReturnValues"] = "ALL_NEW"
        params["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            response = self._client.update_item(**params)
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                if not exc.response.get("Item"):
                    raise NotFound(f"{self._describe(key)} not found") from exc
                raise VersionConflict(
                    f"{self._describe(key)} changed since version {expected_version}"
                ) from exc
            raise _translate(exc, f"table {self.name}") from exc
        except BotoCoreError as exc:
            raise _unreachable("update_item", exc) from exc
        return deserialize_item(response["Attributes"])

    def update_request(
        self,
        key: Mapping[str, Any],
        changes: Mapping[str, Any],
        *,
        expected_version: int,
        version_attribute: str = "version",
        remove: Sequence[str] = (),
    ) -> dict[str, Any]:
        if version_attribute in changes or any(k in changes for k in self.key_names):
            raise ValueError("changes may not set the key or the version")
        expr = _Expression()
        version = expr.name(version_attribute)
        sets = [f"{expr.name(k)} = {expr.value(v)}" for k, v in changes.items()]
        sets.append(f"{version} = {expr.value(expected_version + 1)}")
        update = "SET " + ", ".join(sets)
        if remove:
            update += " REMOVE " + ", ".join(expr.name(k) for k in remove)
        params: dict[str, Any] = {
            "TableName": self.name,
            "Key": self._key(key),
            "UpdateExpression": update,
            "ConditionExpression": f"{version} = {expr.value(expected_version)}",
        }
        params.update(expr.params())
        return params

    def add_request(
        self, key: Mapping[str, Any], increments: Mapping[str, float]
    ) -> dict[str, Any]:
        """The ``Update`` parameters adding ``increments`` to number attributes (created at 0).

        ``ADD`` commutes, so concurrent writers never lose each other's counts.
        """
        if not increments or any(k in increments for k in self.key_names):
            raise ValueError("increments must name non-key attributes")
        expr = _Expression()
        adds = [f"{expr.name(k)} {expr.value(v)}" for k, v in increments.items()]
        params: dict[str, Any] = {
            "TableName": self.name,
            "Key": self._key(key),
            "UpdateExpression": "ADD " + ", ".join(adds),
        }
        params.update(expr.params())
        return params

    def delete(self, key: Mapping[str, Any]) -> None:
        self._call("delete_item", TableName=self.name, Key=self._key(key))

    # helpers
    def _key(self, key: Mapping[str, Any]) -> dict[str, Any]:
        if set(key) != set(self.key_names):
            raise ValueError(f"{self.name} keys are {self.key_names}, got {sorted(key)}")
        return serialize_item(key)

    def _describe(self, key: Mapping[str, Any]) -> str:
        return f"{self.name} item " + "/".join(str(key[k]) for k in self.key_names)

    def _call(self, operation: str, **params: Any) -> Any:
        try:
            return getattr(self._client, operation)(**params)
        except ClientError as exc:
            if _code(exc) == "ConditionalCheckFailedException":
                raise Conflict("the item already exists or changed", code="AlreadyExists") from exc
            raise _translate(exc, f"table {self.name}") from exc
        except BotoCoreError as exc:
            raise _unreachable(operation, exc) from exc


def transact_write(client: Any, operations: Sequence[Mapping[str, Any]]) -> None:
    """All-or-nothing write of ``[{"Put": ...} | {"Update": ...} | {"Delete": ...}]``.

    A failed condition in any operation is a ``Conflict`` naming which one (by position), so a
    service can tell "already created" from "changed meanwhile"; nothing is written in that case.
    """
    try:
        client.transact_write_items(TransactItems=list(operations))
    except ClientError as exc:
        if _code(exc) == "TransactionCanceledException":
            reasons = exc.response.get("CancellationReasons", [])
            codes = [str(r.get("Code", "None")) for r in reasons]
            failed = [i for i, c in enumerate(codes) if c == "ConditionalCheckFailed"]
            if failed:
                raise TransactionConflict(
                    f"condition failed in operation {failed[0]}", failed_index=failed[0]
                ) from exc
            raise ServiceUnavailable("the database is busy; try again shortly") from exc
        raise _translate(exc, "transaction") from exc
    except BotoCoreError as exc:
        raise _unreachable("transact_write_items", exc) from exc


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _translate(exc: ClientError, what: str) -> Exception:
    code = _code(exc)
    # Any 5xx is DynamoDB's (or its front end's) failure, even one whose body botocore cannot
    # parse into a code (an HTML 500 page comes back as code "500"): the request was fine.
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
    if code in _TRANSIENT or status >= 500:
        logger.warning("dynamodb %s for %s", code, what)
        return ServiceUnavailable(f"the database is busy ({code}); try again shortly")
    unknown: Exception = exc
    return unknown


def _unreachable(operation: str, exc: BotoCoreError) -> ServiceUnavailable:
    logger.warning("dynamodb %s failed: %s", operation, type(exc).__name__)
    return ServiceUnavailable("the database is unreachable; try again shortly")
