"""A running stack's endpoint wins over the local stage's developer defaults; other values don't."""

from __future__ import annotations

import os
from pathlib import Path

import chalice.test
import pytest
from chalice.cli.factory import CLIFactory

from infra.app_config import LOCAL_STACK_OWNED
from localaws.patches import chalice_local_environment

STAGE_VARIABLES = {
    "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
    "ORIGIN_GUARD_ENABLED": "false",
    "STAGE": "local",
}


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text("import os\napp = dict(os.environ)\n")
    return tmp_path


def test_the_process_endpoint_wins_and_the_rest_of_the_stage_applies(
    unpatch_after: None, app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:40123")
    monkeypatch.setenv("ORIGIN_GUARD_ENABLED", "true")
    monkeypatch.delenv("STAGE", raising=False)
    monkeypatch.syspath_prepend(str(app_dir))
    monkeypatch.delitem(__import__("sys").modules, "app", raising=False)
    chalice_local_environment.apply()

    CLIFactory(str(app_dir), environ=os.environ).load_chalice_app(
        dict(STAGE_VARIABLES), validate_feature_flags=False
    )

    assert os.environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:40123"
    assert os.environ["ORIGIN_GUARD_ENABLED"] == "true"
    assert os.environ["STAGE"] == "local"


def test_unpatched_chalice_would_override_the_process_endpoint(
    app_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The guard: if Chalice stops overriding, the patch (and its comment) must be revisited.
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:40123")
    monkeypatch.delenv("STAGE", raising=False)
    monkeypatch.delenv("ORIGIN_GUARD_ENABLED", raising=False)
    monkeypatch.syspath_prepend(str(app_dir))
    monkeypatch.delitem(__import__("sys").modules, "app", raising=False)

    CLIFactory(str(app_dir), environ=os.environ).load_chalice_app(
        dict(STAGE_VARIABLES), validate_feature_flags=False
    )

    assert os.environ["AWS_ENDPOINT_URL"] == "http://127.0.0.1:4566"


def test_in_process_test_clients_leave_the_stack_owned_variables_out(unpatch_after: None) -> None:
    chalice_local_environment.apply_to_test_client()
    client = chalice.test.BaseClient()
    before = os.environ.get("AWS_ENDPOINT_URL")

    with client._patched_env_vars(dict(STAGE_VARIABLES)):
        seen = dict(os.environ)

    assert seen.get("AWS_ENDPOINT_URL") == before
    assert seen.get("ORIGIN_GUARD_ENABLED") == os.environ.get("ORIGIN_GUARD_ENABLED")
    assert seen["STAGE"] == "local"
    assert {"AWS_ENDPOINT_URL", "AWS_REGION", "ORIGIN_GUARD_ENABLED"} <= LOCAL_STACK_OWNED
