"""Training's wiring: importing it changes no ``sys.path``, and the model card is written from the
committed ``metrics.json`` and ``dev_experiments.json`` alone (no training code, no SmartRe)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
MODULES = [
    f"training.{path.stem}"
    for path in sorted((REPO_ROOT / "training").glob("*.py"))
    if path.stem != "__init__"
]


def _python(code: str, *, pythonpath: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_importing_any_training_module_leaves_sys_path_alone() -> None:
    # Given SmartRe on the path the way `make train` puts it there (PYTHONPATH=smartre)
    code = (
        "import importlib, sys\n"
        "before = list(sys.path)\n"
        f"for name in {MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    assert sys.path == before, name\n"
    )

    # When every training module is imported, Then none of them changed sys.path
    _python(code, pythonpath="smartre")


def test_the_card_comes_from_the_committed_files_alone(tmp_path: Path) -> None:
    # Given no SmartRe code on the path
    card = tmp_path / "model-card.md"
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from training import model_card\n"
        f"model_card.write_model_card(Path({str(card)!r}), model_card._read(model_card.METRICS))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('training', 'chalicelib'))))\n"
    )

    # When the card is written from metrics.json
    loaded = json.loads(_python(code).replace("'", '"'))

    # Then it needed neither the training code nor SmartRe's, and it is the committed card
    assert loaded == ["training", "training.model_card"]
    committed = _undated((REPO_ROOT / "docs" / "model-card.md").read_text(encoding="utf-8"))
    assert _undated(card.read_text(encoding="utf-8")) == committed, "python -m training.model_card"


def _undated(card: str) -> str:
    """The card without the day it was written on (its only line that is not from the files)."""
    return re.sub(r" on \d{4}-\d{2}-\d{2} with ", " on <date> with ", card, count=1)
