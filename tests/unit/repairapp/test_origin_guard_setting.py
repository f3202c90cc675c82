"""The origin guard is on unless the local stage turns it off (a developer's `chalice local`)."""

from __future__ import annotations

import pytest

from tests.support.apps import use_app

use_app("repairapp")
from chalicelib.config import Settings  # noqa: E402 - the app's package is on the path only now
from repaircore.errors import ConfigurationError  # noqa: E402

BASE = {
    "REPAIRS_TABLE_NAME": "r",
    "IDEMPOTENCY_TABLE_NAME": "i",
    "STATS_TABLE_NAME": "s",
    "ACCESS_TABLE_NAME": "a",
    "EVENTS_TABLE_NAME": "e",
    "SMARTRE_API_URL": "http://127.0.0.1:8002",
    "CONFIG_PARAMETER_PATH": "/repairapp/local/",
}


def test_the_guard_is_on_by_default() -> None:
    assert Settings.from_env({**BASE, "STAGE": "prod"}).origin_guard is True


def test_the_local_stage_may_turn_the_guard_off() -> None:
    env = {**BASE, "STAGE": "local", "ORIGIN_GUARD_ENABLED": "false"}

    assert Settings.from_env(env).origin_guard is False


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_no_deployed_stage_may_turn_the_guard_off(stage: str) -> None:
    with pytest.raises(ConfigurationError, match="local stage only"):
        Settings.from_env({**BASE, "STAGE": stage, "ORIGIN_GUARD_ENABLED": "false"})


def test_a_misspelt_switch_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        Settings.from_env({**BASE, "STAGE": "local", "ORIGIN_GUARD_ENABLED": "off"})
