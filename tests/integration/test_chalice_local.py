"""A developer's `chalice local`, per app, against `make aws` (docs/develop.md).

`make aws` is ``LocalStack(aws_only=True)``: the embedded AWS with the local stage's resources and
nothing else. Each app is then started exactly as docs/develop.md says — the bare ``chalice``
script of the project's venv, autoreload on, ``--stage local``, no AWS variable in the
environment — from a copy of the app whose local stage names this test's emulator port instead
of 4566 (the one thing a parallel test cannot share). It must answer its health route, an error
in the project's ``{Code, Message}`` shape, RepairApp a direct call, and reload an edited file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.app_config import LOCAL_AWS_ENVIRONMENT, LOCAL_REPAIRAPP_ENVIRONMENT
from localaws.stack import REPO_ROOT, LocalStack, StackPorts, _free_port, _terminate
from tests.support.http import Reply, call

VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def make_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    state = tmp_path_factory.mktemp("make-aws")
    saved = dict(os.environ)  # the stack points this process at its emulator: undo that after
    try:
        with LocalStack(StackPorts.free(), state_dir=state, quiet=True, aws_only=True) as running:
            yield running
    finally:
        os.environ.clear()
        os.environ.update(saved)


def copy_app(app: str, target: Path, endpoint_url: str, smartre_url: str) -> Path:
    """The app with its vendor/, its local stage pointed at this test's ports."""
    shutil.copytree(REPO_ROOT / app, target / app, ignore=shutil.ignore_patterns("__pycache__"))
    config_path = target / app / ".chalice" / "config.json"
    config = json.loads(config_path.read_text())
    local = config["stages"]["local"]["environment_variables"]
    assert local["AWS_ENDPOINT_URL"] == LOCAL_AWS_ENVIRONMENT["AWS_ENDPOINT_URL"]
    local["AWS_ENDPOINT_URL"] = endpoint_url
    if app == "repairapp":
        assert local["SMARTRE_API_URL"] == LOCAL_REPAIRAPP_ENVIRONMENT["SMARTRE_API_URL"]
        local["SMARTRE_API_URL"] = smartre_url
    config_path.write_text(json.dumps(config, indent=2))
    return target / app


def developer_environment() -> dict[str, str]:
    """A fresh shell with the project's venv on PATH: no AWS variable, no PYTHONPATH."""
    return {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def wait_for(url: str, child: subprocess.Popen[bytes], log: Path, timeout: float = 90) -> Reply:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert child.poll() is None, log.read_text()[-3000:]
        try:
            return call("GET", url)
        except Exception:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer; log:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def apps(
    make_aws: LocalStack, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    assert make_aws.emulator is not None
    root = tmp_path_factory.mktemp("developer")
    ports = {"smartre": _free_port(), "repairapp": _free_port()}
    urls = {app: f"http://127.0.0.1:{port}" for app, port in ports.items()}
    children: list[subprocess.Popen[bytes]] = []
    try:
        for app in ("smartre", "repairapp"):
            project = copy_app(app, root, make_aws.emulator.endpoint_url, urls["smartre"])
            log = root / f"{app}.log"
            command = ["chalice", "local", "--stage", "local", "--port", str(ports[app])]
            child = subprocess.Popen(
                command,
                cwd=project,
                env=developer_environment(),
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            children.append(child)
            wait_for(f"{urls[app]}/api/health", child, log)
        yield {**urls, "root": str(root)}
    finally:
        for child in children:
            _terminate(child)


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
def test_each_app_answers_its_health_route_on_make_aws(apps: dict[str, str], app: str) -> None:
    reply = call("GET", f"{apps[app]}/api/health")

    assert reply.status == 200, reply.data
    assert reply.json["ok"] is True


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
def test_an_unknown_route_answers_in_the_projects_error_shape(
    apps: dict[str, str], app: str
) -> None:
    reply = call("GET", f"{apps[app]}/api/no-such-route")

    # As API Gateway answers with the project's gateway response (issue 16: a JSON 404).
    assert reply.status == 404
    assert set(reply.json) == {"Code", "Message"}
    assert reply.json["Code"] == "NoSuchRoute"


def test_smartre_refuses_a_call_without_its_service_key_in_the_projects_shape(
    apps: dict[str, str],
) -> None:
    reply = call("GET", f"{apps['smartre']}/api/analyses/an_{'A' * 22}")

    assert reply.status == 401
    assert reply.json["Code"] == "Unauthorized"


def test_repairapp_may_be_called_directly_in_the_local_stage(apps: dict[str, str]) -> None:
    vocabulary = call("GET", f"{apps['repairapp']}/api/vocabulary")
    refused = call("POST", f"{apps['repairapp']}/api/repairs", body=b"not json")

    assert vocabulary.status == 200
    assert "categories" in vocabulary.json
    assert 400 <= refused.status < 500
    assert set(refused.json) == {"Code", "Message"}


def test_an_edited_file_is_served_after_the_reload(apps: dict[str, str]) -> None:
    version_file = Path(apps["root"]) / "smartre" / "chalicelib" / "__init__.py"
    source = version_file.read_text()
    assert '__version__ = "' in source
    version_file.write_text(source.replace('__version__ = "', '__version__ = "edited-', 1))

    deadline = time.monotonic() + 60
    version = ""
    while time.monotonic() < deadline:
        try:
            version = call("GET", f"{apps['smartre']}/api/health").json["version"]
        except Exception:
            version = ""
        if version.startswith("edited-"):
            break
        time.sleep(0.5)
    assert version.startswith("edited-")
