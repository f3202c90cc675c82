"""``deploy.sh`` against a fresh embedded AWS, from a private copy of the working tree.

The deploy writes into the project (each app's ``.chalice/config.json`` stage section, policy
files, ``deployed/``, ``vendor/``, ``frontend/dist``, ``build/``), so it runs in a copy of the
tracked and untracked-but-not-ignored files: the checkout other people work in stays untouched.
The copy shares the virtualenv (a symlink) and starts from copies of the frontend's
``node_modules`` and of Chalice's package cache, so no download is needed when those exist.
Select these tests with ``-m deploy``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from infra import request_log
from localaws.defaults import ACCOUNT_ID
from localaws.server import Emulator, start_emulator

REPO_ROOT = Path(__file__).resolve().parents[3]
STAGE = "dev"
# A stage deployed before issue 18 named its photos bucket after the account.
LEGACY_PHOTOS_BUCKET = f"repairapp-{STAGE}-photos-{ACCOUNT_ID}"
REPORT_ACTIONS = ("created", "updated", "unchanged", "deleted", "disabled", "absent")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "deploy: runs deploy.sh against the embedded AWS")


@dataclass(frozen=True)
class DeployRun:
    returncode: int
    output: str
    seconds: float
    requests: list[dict[str, Any]]

    def report_lines(self) -> list[tuple[str, str]]:
        """(action, resource) for every line the infra steps printed."""
        lines = []
        for line in self.output.splitlines():
            action, _, resource = line.strip().partition(" ")
            if line.startswith("  ") and not line.startswith("    ") and action in REPORT_ACTIONS:
                lines.append((action, resource.strip()))
        return lines

    def requested(self, operation: str) -> list[dict[str, Any]]:
        return [r["params"] for r in self.requests if r["operation"] == operation]


def copy_working_tree(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            # Timestamps kept: make then sees the venv and node_modules as up to date.
            shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(REPO_ROOT / ".venv")
    node_modules = REPO_ROOT / "frontend" / "node_modules"
    if node_modules.is_dir():
        shutil.copytree(node_modules, target / "frontend" / "node_modules", symlinks=True)
    for app in ("smartre", "repairapp"):
        cache = REPO_ROOT / app / ".chalice" / "deployments"
        if cache.is_dir():
            shutil.copytree(cache, target / app / ".chalice" / "deployments")
    return target


@pytest.fixture(scope="package")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_working_tree(tmp_path_factory.mktemp("deploy") / "repo")


@pytest.fixture(scope="package")
def aws() -> Iterator[Emulator]:
    with start_emulator() as running:
        yield running


def run_deploy(workspace: Path, emulator: Emulator, *args: str) -> DeployRun:
    env = {**os.environ, **emulator.environment()}
    env.pop("INFRA_REQUEST_LOG", None)
    started = time.monotonic()
    result = subprocess.run(
        [str(workspace / "deploy.sh"), *args],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    log = workspace / "build" / "deploy" / STAGE / "requests.jsonl"
    return DeployRun(
        returncode=result.returncode,
        output=result.stdout + result.stderr,
        seconds=time.monotonic() - started,
        requests=request_log.read(log),
    )


@pytest.fixture(scope="package")
def deploys(workspace: Path, aws: Emulator) -> tuple[DeployRun, DeployRun]:
    """The stage deployed twice: the first run creates, the second must change nothing.

    Before, a photo in the account-named photos bucket of a stage deployed before issue 18: the
    deploy must move uploads to the new bucket and keep the old one until its photos expire."""
    aws.client("s3").create_bucket(
        Bucket=LEGACY_PHOTOS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    aws.client("s3").put_object(Bucket=LEGACY_PHOTOS_BUCKET, Key="uploads/old/photo", Body=b"x")
    first = run_deploy(workspace, aws, STAGE)
    assert first.returncode == 0, first.output[-6000:]
    second = run_deploy(workspace, aws, STAGE)
    assert second.returncode == 0, second.output[-6000:]
    print(f"\ndeploy.sh {STAGE}: first run {first.seconds:.0f} s, second {second.seconds:.0f} s")
    return first, second
