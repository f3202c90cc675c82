from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from moto import mock_aws

from localaws.patches import dynamodb_item_lock
from repaircore import clients
from repaircore.tables import Table


@pytest.fixture
def aws() -> Iterator[None]:
    # moto's in-process DynamoDB checks a condition and then writes without a lock, so threads
    # racing on one key could both pass (test_idempotency's 8 clients did, once in CI); the
    # emulator serialises item operations as DynamoDB isolates them, and so do these tests.
    dynamodb_item_lock.apply()
    with mock_aws():
        clients.reset()
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    return clients.client("dynamodb")


@pytest.fixture
def s3(aws: None) -> Any:
    return clients.client("s3")


@pytest.fixture
def make_table(dynamodb: Any) -> Any:
    def make(name: str, keys: tuple[str, ...], index: str | None = None) -> Table:
        return _create_table(dynamodb, name, keys, index)

    return make


def _create_table(client: Any, name: str, keys: tuple[str, ...], index: str | None) -> Table:
    attributes = [{"AttributeName": k, "AttributeType": "S"} for k in keys]
    schema = [{"AttributeName": keys[0], "KeyType": "HASH"}]
    if len(keys) > 1:
        schema.append({"AttributeName": keys[1], "KeyType": "RANGE"})
    params: dict[str, Any] = {
        "TableName": name,
        "KeySchema": schema,
        "AttributeDefinitions": attributes,
        "BillingMode": "PAY_PER_REQUEST",
    }
    if index:
        attributes.append({"AttributeName": "status", "AttributeType": "S"})
        params["GlobalSecondaryIndexes"] = [
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": "status", "KeyType": "HASH"},
                    {"AttributeName": keys[0], "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ]
    client.create_table(**params)
    return Table(client, name, keys)
