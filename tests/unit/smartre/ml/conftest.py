"""Import the app's code the way Chalice does: `smartre/` on sys.path, `chalicelib` top-level."""

import os
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[4]
SMARTRE = REPO_ROOT / "smartre"
if str(SMARTRE) not in sys.path:
    sys.path.insert(0, str(SMARTRE))

DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def data_dir() -> Path:
    if not (DATA_DIR / "caltech101_repair_subset").is_dir():
        pytest.skip(f"training data not found in {DATA_DIR}")
    return DATA_DIR
