"""Personal data is never logged: not when a request is made, not when it is handled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from chalice.test import Client


def test_names_and_emails_never_reach_the_logs(
    caplog: pytest.LogCaptureFixture,
    client: Client,
    repairer: dict[str, str],
    submit: Callable[..., dict[str, Any]],
    patch_repair: Callable[..., Any],
) -> None:
    # Given every log record at the level the app runs with, and all of the app's own
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="chalicelib")
    caplog.set_level(logging.DEBUG, logger="repaircore")

    # When a request is made, read by staff and closed
    created = submit()
    client.http.get(f"/api/staff/repairs/{created['repairId']}", headers=repairer)
    for status in ("accepted", "in_repair", "fixed"):
        patch_repair(created["repairId"], status=status)

    # Then the logs talk about the request, never about the person
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert created["repairId"] in logged
    assert "Mira" not in logged
    assert "Janssens" not in logged
    assert "example.be" not in logged
    assert created["trackingToken"] not in logged
