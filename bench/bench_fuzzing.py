"""The full API fuzzing runs: at least 1,000 schemathesis requests per app on a live stack.

`make test` runs the same tests on a sample of about 300 requests per app (FUZZ_REQUESTS), so the
test suite stays within its time budget; this runs them at full size and prints each run's
statuses (docs/reliability.md, "API fuzzing").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    env = {**os.environ, "FUZZ_REQUESTS": "1000"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-s"]
    command.append("tests/reliability/test_api_fuzzing.py")
    return subprocess.call(command, cwd=REPO_ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
