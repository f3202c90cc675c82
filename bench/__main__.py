"""`make bench`: run every benchmark module (``bench/bench_*.py``) in turn, each in its own process.

Each benchmark prints its own figures; a benchmark that crashes is reported and the rest still
run. Pass names to run a subset: ``python -m bench api ml``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    selected = [m for m in modules if not wanted or m.removeprefix("bench_") in wanted]
    failures = []
    for module in selected:
        print(f"\n=== {module} ===", flush=True)
        started = time.monotonic()
        code = subprocess.call([sys.executable, "-m", f"bench.{module}"], cwd=HERE.parent)
        print(f"--- {module}: exit {code}, {time.monotonic() - started:.0f} s", flush=True)
        if code:
            failures.append(module)
    if failures:
        print(f"\nbenchmarks that crashed: {', '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
