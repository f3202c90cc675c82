"""What declaring the contracts with msgspec costs at cold start, and why msgspec over pydantic.

1. Each app's ``import app`` (every route, its dependencies and the declarations) in fresh
   processes, in CPU time, from a copy laid out as its Lambda package with compiled ``.pyc``
   (``bench_observability.lay_out``); ``--against REV`` lays out another revision too (default:
   the commit before the declarations) and runs both interleaved. Budget: at most +30 ms.
2. The candidate libraries on their own: the extra import time of ``msgspec`` and of
   ``pydantic`` (and of one five-field model that refuses a bad body), measured in a fresh
   process after the modules every app imports anyway (chalice, boto3, re, typing, ...).

    python -m bench.bench_contracts                  # this tree against 674f9e4
    python -m bench.bench_contracts --against HEAD~3
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
from pathlib import Path

from bench.bench_observability import APPS, REPO_ROOT, from_revision, lay_out
from bench.processes import run_fresh

BEFORE = "674f9e4"  # main before issue 15 (the hand-written validators and schemas)
RUNS = 15
# CPU seconds of this process (``process_time``), not wall-clock: on a machine shared by several
# busy processes the wall-clock import time mostly measures the others.
_COLD_START = """
import time
started = time.process_time()
import app
print(time.process_time() - started)
"""
_ALREADY_IMPORTED = "import chalice, boto3, json, re, typing, dataclasses, enum, datetime\n"
_MSGSPEC_MODEL = """
from typing import Annotated
import msgspec
class Triage(msgspec.Struct, forbid_unknown_fields=True, rename="camel", kw_only=True):
    description: Annotated[str, msgspec.Meta(min_length=5, max_length=2000)]
    image_id: Annotated[str, msgspec.Meta(pattern="^img_[A-Za-z0-9_-]{22}$")] | None = None
    brand: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    product_age_years: Annotated[float, msgspec.Meta(ge=0, le=100)] | None = None
    language: str = "en"
try:
    msgspec.convert({"description": 3}, Triage)
except msgspec.ValidationError:
    pass
"""
_PYDANTIC_MODEL = """
from pydantic import BaseModel, ConfigDict, Field, ValidationError
class Triage(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    description: str = Field(min_length=5, max_length=2000)
    imageId: str | None = Field(default=None, pattern="^img_[A-Za-z0-9_-]{22}$")
    brand: str | None = Field(default=None, max_length=100)
    productAgeYears: float | None = Field(default=None, ge=0, le=100)
    language: str = "en"
try:
    Triage.model_validate({"description": 3})
except ValidationError:
    pass
"""
CANDIDATES = {
    "msgspec (import)": "import msgspec",
    "msgspec (import + one model + one refusal)": _MSGSPEC_MODEL,
    "pydantic v2 (import)": "import pydantic",
    "pydantic v2 (import + one model + one refusal)": _PYDANTIC_MODEL,
}


def extra_import_ms(snippet: str) -> float:
    """Median ms of ``snippet`` in fresh processes, after what every app imports anyway."""
    script = (
        _ALREADY_IMPORTED
        + "import time\n_started = time.perf_counter()\n"
        + snippet
        + "\nprint(time.perf_counter() - _started)\n"
    )
    times = []
    for _ in range(RUNS):
        _, out = run_fresh(script.replace("perf_counter", "process_time"), os.environ)
        times.append(float(out.strip().splitlines()[-1]) * 1000)
    return statistics.median(times)


def cold_starts(app_dirs: dict[str, Path]) -> dict[str, list[float]]:
    """CPU ms of ``import app`` per tree, interleaved so both see the same machine."""
    times: dict[str, list[float]] = {label: [] for label in app_dirs}
    for _ in range(RUNS):
        for label, app_dir in app_dirs.items():
            env = {
                **os.environ,
                "PYTHONPATH": f"{app_dir}:{app_dir / 'vendor'}",
                "PYTHONDONTWRITEBYTECODE": "1",
                "STAGE": "dev",
            }
            _, out = run_fresh(_COLD_START, env, cwd=app_dir)
            times[label].append(float(out.strip().splitlines()[-1]) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", default=BEFORE, help="git revision to compare with")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        before_tree = from_revision(args.against, Path(work) / "before")
        for app in APPS:
            dirs = {
                args.against: lay_out(before_tree, app, Path(work) / "before-pkg"),
                "this tree": lay_out(REPO_ROOT, app, Path(work) / "after-pkg"),
            }
            times = cold_starts(dirs)
            medians = {label: statistics.median(values) for label, values in times.items()}
            delta = medians["this tree"] - medians[args.against]
            print(
                f"{app}: import app, CPU ms, median of {RUNS} fresh processes: "
                f"{medians[args.against]:.0f} ms at {args.against}, "
                f"{medians['this tree']:.0f} ms now ({delta:+.0f} ms; budget +30 ms)"
            )
    for name, snippet in CANDIDATES.items():
        try:
            print(f"{name}: +{extra_import_ms(snippet):.1f} CPU ms (median of {RUNS})")
        except Exception as exc:  # pydantic is a dev dependency only; say so if it is missing
            print(f"{name}: not measured ({type(exc).__name__})")


if __name__ == "__main__":
    main()
