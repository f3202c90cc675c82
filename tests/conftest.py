"""Settings every test tier shares: no real AWS credentials or endpoints can leak in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
}

for _name, _value in FAKE_AWS_ENV.items():
    os.environ[_name] = _value
for _name in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _fresh_clients() -> None:
    """Cached boto3 clients must not outlive the test (or the emulator) they were made for."""
    from repaircore import clients

    clients.reset()


def data_dir() -> Path:
    """The licensed data (../shared/data/README.md): $DATA_DIR, beside the repo, or /work."""
    candidates = [
        os.environ.get("DATA_DIR", ""),
        str(REPO_ROOT.parent / "shared" / "data"),
        "/work/shared/data",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "open_repair_data").is_dir():
            return Path(candidate).resolve()
    raise RuntimeError("the shared data set is missing: set DATA_DIR (see README)")


def laptop_photo() -> Path:
    """A real photo (Caltech 101 "laptop"), for the tests and benchmarks that upload one."""
    folder = data_dir() / "caltech101_repair_subset" / "101_ObjectCategories" / "laptop"
    return sorted(folder.glob("*.jpg"))[0]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return data_dir()
