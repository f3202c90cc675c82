"""moto's DynamoDB under concurrent transactions: with the item lock, none fails or interleaves."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localaws.patches import dynamodb_item_lock

TABLE = "items"


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        client.create_table(
            TableName=TABLE,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        # A table large enough that moto's per-transaction deepcopy takes a while.
        for i in range(400):
            client.put_item(TableName=TABLE, Item={"id": {"S": f"seed-{i}"}})
        yield client


def _hammer(client: Any) -> list[str]:
    """Transactions (counter + new item) racing plain puts; the errors they met."""

    def transact(i: int) -> str | None:
        try:
            client.transact_write_items(
                TransactItems=[
                    {"Put": {"TableName": TABLE, "Item": {"id": {"S": f"t-{i}"}}}},
                    {
                        "Update": {
                            "TableName": TABLE,
                            "Key": {"id": {"S": f"counter-{i % 4}"}},
                            "UpdateExpression": "ADD n :one",
                            "ExpressionAttributeValues": {":one": {"N": "1"}},
                        }
                    },
                ]
            )
            client.put_item(TableName=TABLE, Item={"id": {"S": f"p-{i}"}})
        except Exception as exc:  # the race surfaces as RuntimeError (in-process) or a 500
            return f"{type(exc).__name__}: {exc}"
        return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        return [error for error in pool.map(transact, range(80)) if error]


def test_concurrent_transactions_and_puts_all_succeed_with_the_lock(
    dynamodb: Any, unpatch_after: None
) -> None:
    dynamodb_item_lock.apply()

    errors = _hammer(dynamodb)

    assert errors == []
    counters = [
        int(dynamodb.get_item(TableName=TABLE, Key={"id": {"S": f"counter-{k}"}})["Item"]["n"]["N"])
        for k in range(4)
    ]
    assert sum(counters) == 80


def test_the_patch_hooks_every_item_operation_of_the_pinned_moto(unpatch_after: None) -> None:
    from moto.dynamodb.models import DynamoDBBackend

    dynamodb_item_lock.apply()

    for name in dynamodb_item_lock.ITEM_OPERATIONS:
        assert getattr(DynamoDBBackend, name).__wrapped__ is not None
