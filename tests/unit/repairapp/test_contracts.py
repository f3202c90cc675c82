"""RepairApp's status machine and the declared contract name the same statuses, in order."""

from __future__ import annotations

from chalicelib.repairs import STATUSES
from repaircore.contracts.answers import StatusCounts
from repaircore.contracts.repairapp import RepairStatus


def test_the_declared_statuses_are_the_status_machines() -> None:
    assert tuple(status.value for status in RepairStatus) == STATUSES


def test_the_stats_count_every_status() -> None:
    assert set(StatusCounts.__struct_encode_fields__) == set(STATUSES)
