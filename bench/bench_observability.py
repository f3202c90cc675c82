"""What the observability layer costs: each app's cold start, and per request.

Cold start: in fresh processes, ``import app`` (every route and task) and write the first log
line and the first metric line, from a copy of the app laid out as its Lambda package (the
app, ``vendor/repaircore``, compiled ``.pyc`` next to the sources, nothing written at run time).
``--against REV`` builds the same copy from another git revision (e.g. the commit before the
layer) and prints both, so the difference is the layer's. Per request: the median cost of one
metric line (``repaircore.metrics.record``) and of one log record through the correlation filter.

    python -m bench.bench_observability                     # this tree
    python -m bench.bench_observability --against e14491f   # and the tree before the layer
"""

from __future__ import annotations

import argparse
import compileall
import io
import logging
import os
import py_compile
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from bench.processes import run_fresh

REPO_ROOT = Path(__file__).resolve().parent.parent
APPS = ("smartre", "repairapp")
RUNS = 21
_COLD_START = """
import time
started = time.perf_counter()
import logging
import app
logging.getLogger("cold").warning("first line")
try:
    from repaircore import metrics
except ImportError:  # a revision before the layer
    pass
else:
    metrics.record(metrics.ANALYSES, dimensions={"Outcome": "Fixed"})
print(time.perf_counter() - started)
"""


def lay_out(source: Path, app: str, target: Path) -> Path:
    """The app as its package has it: vendor/repaircore beside the app, bytecode compiled."""
    shutil.copytree(source / app, target / app, ignore=shutil.ignore_patterns("__pycache__"))
    vendor = target / app / "vendor"
    shutil.rmtree(vendor / "repaircore", ignore_errors=True)
    shutil.copytree(source / "repaircore", vendor / "repaircore")
    compileall.compile_dir(
        target / app, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH
    )
    return target / app


def from_revision(revision: str, target: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", revision, *APPS, "repaircore"],
        cwd=REPO_ROOT,
        check=True,
        capture_output=True,
    ).stdout
    target.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


def cold_start_ms(app_dir: Path) -> float:
    env = {
        **os.environ,
        "PYTHONPATH": f"{app_dir}:{app_dir / 'vendor'}",
        "PYTHONDONTWRITEBYTECODE": "1",
        "STAGE": "dev",
        "AWS_LAMBDA_FUNCTION_NAME": f"{app_dir.name}-dev",  # JSON log lines, as on Lambda
    }
    _, out = run_fresh(_COLD_START, env, cwd=app_dir)
    return float(out.strip().splitlines()[-1]) * 1000


def cold_starts(app_dirs: dict[str, Path]) -> dict[str, list[float]]:
    """Interleaved (one run of each tree in turn), so a busy machine slows all trees alike."""
    times: dict[str, list[float]] = {label: [] for label in app_dirs}
    for _ in range(RUNS):
        for label, app_dir in app_dirs.items():
            times[label].append(cold_start_ms(app_dir))
    return times


def per_request_us() -> tuple[float, float]:
    """Median microseconds of one metric line and of one log line with the correlation id."""
    from repaircore import correlation, metrics
    from repaircore.logs import JsonFormatter, _CorrelationFilter

    sink = io.StringIO()
    logger = logging.getLogger("bench.observability")
    handler = logging.StreamHandler(sink)
    handler.addFilter(_CorrelationFilter())
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.propagate = False
    token = correlation.bind("bench-correlation-id")

    def median_us(action: object, rounds: int = 2000) -> float:
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            action()  # type: ignore[operator]
            samples.append((time.perf_counter() - started) * 1e6)
        return statistics.median(samples)

    try:
        metric = median_us(
            lambda: metrics.record(
                metrics.BRANCH_LATENCY, 12.3, dimensions={"Branch": "x"}, stream=sink
            )
        )
        log = median_us(lambda: logger.warning("analysis %s stored", "an_x"))
    finally:
        correlation.unbind(token)
        logger.removeHandler(handler)
    return metric, log


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_observability")
    parser.add_argument("--against", help="git revision to compare with (before the layer)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        trees = {"this tree": REPO_ROOT}
        if args.against:
            trees[args.against] = from_revision(args.against, Path(work) / "before")
        for app in APPS:
            laid = {
                label: lay_out(source, app, Path(work) / label.replace(" ", "-") / "pkg")
                for label, source in trees.items()
            }
            times = cold_starts(laid)
            for label, samples in times.items():
                print(
                    f"{app:<10} cold start (import app + first log and metric line, .pyc, "
                    f"median of {RUNS}): {statistics.median(samples):6.1f} ms  [{label}]"
                )
            if args.against:
                paired = statistics.median(a - b for a, b in zip(*times.values(), strict=True))
                print(f"{app:<10} difference, median of paired runs: {paired:+.1f} ms")
    metric, log = per_request_us()
    print(f"per request: one EMF metric line {metric:.1f} us, one JSON log line {log:.1f} us")


if __name__ == "__main__":
    main()
