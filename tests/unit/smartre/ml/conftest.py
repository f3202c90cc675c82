"""Fixtures of the ML tests; `smartre/` is on sys.path already (``tests/unit/smartre/conftest.py``
loads the app the way Chalice does, `chalicelib` top-level)."""

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[4]

DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_dir() -> Path:
    if not (DATA_DIR / "caltech101_repair_subset").is_dir():
        pytest.skip(f"training data not found in {DATA_DIR}")
    return DATA_DIR
