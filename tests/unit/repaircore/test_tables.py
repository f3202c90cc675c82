"""The DynamoDB adapter speaks plain Python and shared errors, never botocore."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.stub import Stubber

from repaircore.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    ServiceUnavailable,
    TransactionConflict,
    VersionConflict,
)
from repaircore.tables import Table, decode_cursor, encode_cursor, transact_write


def test_floats_round_trip_as_floats_and_integers_as_ints(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "a", "ratio": 0.1, "count": 3, "nested": {"p": [0.25, 2]}})

    item = table.get({"pk": "a"})

    assert item == {"pk": "a", "ratio": 0.1, "count": 3, "nested": {"p": [0.25, 2]}}
    assert type(item["ratio"]) is float
    assert type(item["count"]) is int


def test_non_finite_numbers_are_refused_as_invalid_input(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    with pytest.raises(InvalidInput):
        table.put({"pk": "a", "x": float("nan")})


def test_missing_item_is_not_found(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    with pytest.raises(NotFound):
        table.get({"pk": "nope"})
    assert table.find({"pk": "nope"}) is None


def test_put_if_absent_refuses_to_replace_an_existing_item(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "a", "v": 1}, if_absent=True)

    with pytest.raises(Conflict) as caught:
        table.put({"pk": "a", "v": 2}, if_absent=True)

    assert caught.value.code == "AlreadyExists"
    assert table.get({"pk": "a"})["v"] == 1


def test_put_may_replace_an_item_whose_lease_expired(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "a", "lease": 100})

    table.put({"pk": "a", "lease": 300}, if_absent=True, or_if_below=("lease", 200))
    with pytest.raises(Conflict):
        table.put({"pk": "a", "lease": 400}, if_absent=True, or_if_below=("lease", 200))

    assert table.get({"pk": "a"})["lease"] == 300


def test_versioned_update_bumps_the_version_and_returns_the_new_item(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "a", "version": 1, "status": "new", "note": "x"})

    item = table.update_versioned(
        {"pk": "a"}, {"status": "done"}, expected_version=1, remove=["note"]
    )

    assert item == {"pk": "a", "version": 2, "status": "done"}


def test_versioned_update_of_a_stale_version_is_a_version_conflict(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "a", "version": 3, "status": "new"})

    with pytest.raises(VersionConflict):
        table.update_versioned({"pk": "a"}, {"status": "done"}, expected_version=2)

    assert table.get({"pk": "a"})["status"] == "new"


def test_versioned_update_of_a_missing_item_is_not_found(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    with pytest.raises(NotFound):
        table.update_versioned({"pk": "ghost"}, {"status": "done"}, expected_version=1)


def test_query_pages_through_an_index_with_opaque_cursors(make_table: Any) -> None:
    table = make_table("repairs", ("pk",), index="by-status")
    for i in range(7):
        table.put({"pk": f"r{i}", "status": "open" if i < 5 else "closed", "cat": "Lamp"})

    first = table.query(index="by-status", partition=("status", "open"), limit=2)
    second = table.query(
        index="by-status", partition=("status", "open"), limit=2, cursor=first.next_cursor
    )
    third = table.query(
        index="by-status", partition=("status", "open"), limit=2, cursor=second.next_cursor
    )

    seen = [i["pk"] for page in (first, second, third) for i in page.items]
    assert sorted(seen) == ["r0", "r1", "r2", "r3", "r4"]
    assert first.next_cursor
    assert second.next_cursor


def test_query_filters_within_the_key_condition(make_table: Any) -> None:
    table = make_table("repairs", ("pk",), index="by-status")
    table.put({"pk": "r1", "status": "open", "cat": "Lamp"})
    table.put({"pk": "r2", "status": "open", "cat": "Kettle"})

    page = table.query(index="by-status", partition=("status", "open"), equals={"cat": "Kettle"})

    assert [i["pk"] for i in page.items] == ["r2"]


@pytest.mark.parametrize("cursor", ["not-base64!!", "e30", "WzEsMl0", "x" * 5000])
def test_a_forged_cursor_is_invalid_input(cursor: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_cursor(cursor)
    assert caught.value.code == "InvalidCursor"


def test_a_cursor_round_trips() -> None:
    key = {"pk": {"S": "r1"}, "status": {"S": "open"}}
    assert decode_cursor(encode_cursor(key)) == key


def test_transaction_with_a_failed_condition_writes_nothing_and_names_the_operation(
    make_table: Any, dynamodb: Any
) -> None:
    table = make_table("items", ("pk",))
    table.put({"pk": "taken"})

    with pytest.raises(TransactionConflict) as caught:
        transact_write(
            dynamodb,
            [
                {"Put": table.put_request({"pk": "new"}, if_absent=True)},
                {"Put": table.put_request({"pk": "taken", "v": 2}, if_absent=True)},
            ],
        )

    assert caught.value.failed_index == 1
    assert table.find({"pk": "new"}) is None


def test_add_creates_counters_at_zero_and_adds_to_them(make_table: Any, dynamodb: Any) -> None:
    table = make_table("items", ("pk",))

    for added in ({"a|b": 1, "n": 1}, {"a|b": 2}):
        transact_write(dynamodb, [{"Update": table.add_request({"pk": "counts"}, added)}])

    assert table.get({"pk": "counts"}) == {"pk": "counts", "a|b": 3, "n": 1}


def test_add_refuses_to_touch_the_key(make_table: Any) -> None:
    table = make_table("items", ("pk",))
    with pytest.raises(ValueError, match="non-key"):
        table.add_request({"pk": "counts"}, {"pk": 1})


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "InternalServerError"]
)
def test_throttling_and_outages_become_service_unavailable(dynamodb: Any, code: str) -> None:
    table = Table(dynamodb, "items", ("pk",))
    with Stubber(dynamodb) as stub:
        stub.add_client_error("get_item", service_error_code=code, http_status_code=400)
        with pytest.raises(ServiceUnavailable) as caught:
            table.get({"pk": "a"})
    assert caught.value.status == 503


def test_unknown_errors_are_not_disguised(dynamodb: Any) -> None:
    from botocore.exceptions import ClientError

    table = Table(dynamodb, "items", ("pk",))
    with Stubber(dynamodb) as stub:
        stub.add_client_error("get_item", service_error_code="AccessDeniedException")
        with pytest.raises(ClientError):
            table.get({"pk": "a"})


def test_scan_pages_through_a_small_table(make_table: Any) -> None:
    table = make_table("catalogue", ("pk",))
    for i in range(5):
        table.put({"pk": f"p{i}"})

    first = table.scan(limit=3)
    rest = table.scan(limit=3, cursor=first.next_cursor)

    assert sorted(i["pk"] for i in first.items + rest.items) == [f"p{i}" for i in range(5)]
