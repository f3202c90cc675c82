"""A Lambda's cold start imports the requests it decodes, never the answer declarations or the
OpenAPI generator (they only serve the documents; ``bench contracts`` measures the import)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS_ONLY = ("repaircore.contracts.answers", "repaircore.openapi", "chalicelib.openapi")


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
def test_importing_an_app_builds_no_answer_declarations(app: str) -> None:
    script = f"import sys, app; print([m for m in {DOCUMENTS_ONLY!r} if m in sys.modules])"
    env = {**os.environ, "PYTHONPATH": f"{REPO_ROOT / app}:{REPO_ROOT}", "STAGE": "dev"}

    loaded = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT / app,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    assert loaded.strip().splitlines()[-1] == "[]"
