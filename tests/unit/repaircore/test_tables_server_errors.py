"""A DynamoDB 5xx of any kind is the service's failure: a 503 with a retry hint, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from repaircore.errors import ServiceUnavailable
from repaircore.tables import Table, transact_write


class FailingClient:
    """A DynamoDB client whose every call fails with one error response."""

    def __init__(self, code: str, status: int) -> None:
        self._error = {
            "Error": {"Code": code, "Message": "<!doctype html><title>500</title>"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }

    def __getattr__(self, operation: str) -> Any:
        def fail(**params: Any) -> Any:
            raise ClientError(self._error, operation)  # type: ignore[arg-type]

        return fail


@pytest.mark.parametrize(("code", "status"), [("500", 500), ("502", 502), ("Unknown", 503)])
def test_an_unparsed_server_error_in_a_transaction_is_service_unavailable(
    code: str, status: int
) -> None:
    with pytest.raises(ServiceUnavailable) as raised:
        transact_write(FailingClient(code, status), [{"Put": {"TableName": "t", "Item": {}}}])

    assert raised.value.code == "ServiceUnavailable"


def test_an_unparsed_server_error_on_a_put_is_service_unavailable() -> None:
    table = Table(FailingClient("500", 500), "t", ("pk",))

    with pytest.raises(ServiceUnavailable):
        table.put({"pk": "a"})


def test_an_unknown_client_error_is_still_raised_as_it_came() -> None:
    table = Table(FailingClient("SomethingNew", 400), "t", ("pk",))

    with pytest.raises(ClientError):
        table.put({"pk": "a"})
