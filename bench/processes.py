"""Run a benchmark snippet in a fresh Python process, as a cold-started Lambda would."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path


def run_fresh(script: str, env: Mapping[str, str], cwd: Path | None = None) -> tuple[float, str]:
    """Run ``script`` in a new interpreter; return its wall-clock seconds and its stdout."""
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env=dict(env),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.perf_counter() - started, out
