"""What declaring the contracts with msgspec costs at cold start, and why msgspec over pydantic.

1. Each app's ``import app`` (every route, its dependencies and the declarations) in fresh
   processes, in CPU time, from a copy laid out as its Lambda package with compiled ``.pyc``
   (``bench_observability.lay_out``), with only the third-party packages that Lambda has
   (``lambda_site``: the app's requirements and their dependencies, plus boto3 and chalice), not
   the whole dev virtualenv. Two earlier revisions are laid out too and all three run
   interleaved: ``674f9e4``, main before issue 15, and ``c584814``, main just before the msgspec
   declarations were merged (it already holds the other issues' work that came in meanwhile, so
   the difference to it is the declarations' own cost). Budget: at most +30 ms.
2. The candidate libraries on their own: the extra import time of ``msgspec`` and of
   ``pydantic`` (and of one five-field model that refuses a bad body), measured in a fresh
   process after the modules every app imports anyway (chalice, boto3, re, typing, ...).

The difference to each revision is the median of the differences within a round (every round
runs all trees back to back), steadier on a busy machine than a difference of medians; give more
runs there. ``--whole-venv`` measures as this bench did before ``lambda_site``.

    python -m bench contracts                                     # this tree against both
    python -m bench.bench_contracts --against HEAD~3 --runs 30    # against another revision
    python -m bench.bench_contracts --skip-candidates --whole-venv
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from bench.bench_observability import APPS, REPO_ROOT, from_revision, lay_out
from bench.processes import run_fresh

BEFORE = (
    "674f9e4",  # main before issue 15 (the hand-written validators and schemas)
    "c584814",  # main just before the msgspec declarations, with the other issues' work
)
RUNS = 15
# What the Lambda runtime provides or Chalice packages besides the app's requirements.
RUNTIME_PACKAGES = ("boto3", "chalice")
# The dev virtualenv's site-packages leave the path before the clock starts: the Lambda has only
# what ``lambda_site`` links (e.g. msgspec imports typing_extensions when it finds it; the
# packages have none).
_LAMBDA_PATH = """
import sys
sys.path[:] = [p for p in sys.path if "site-packages" not in p]
"""
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


def _requirements(app: str) -> list[Requirement]:
    lines = (REPO_ROOT / app / "requirements.txt").read_text().splitlines()
    return [Requirement(line) for line in lines if line.strip() and not line.startswith("#")]


def lambda_site(app: str, target: Path) -> Path:
    """A folder linking, from this virtualenv, only the packages the app's Lambda has: its
    requirements with their dependencies, and ``RUNTIME_PACKAGES`` with theirs (chalice's CLI
    dependencies aside: its package holds ``chalice.app`` only)."""
    wanted = [r for r in _requirements(app) if r.marker is None or r.marker.evaluate()]
    wanted += [Requirement(name) for name in RUNTIME_PACKAGES]
    seen: set[str] = set()
    target.mkdir(parents=True)
    while wanted:
        requirement = wanted.pop()
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        if name in seen:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        tops = {Path(str(f)).parts[0] for f in dist.files or () if not str(f).startswith("..")}
        for top in tops - {"__pycache__", "bin"}:
            source = Path(str(dist.locate_file(top)))
            if not (target / top).exists():
                (target / top).symlink_to(source)
        if name != "chalice":
            for line in dist.requires or ():
                dependency = Requirement(line)
                if dependency.marker is None or dependency.marker.evaluate({"extra": ""}):
                    wanted.append(dependency)
    return target


def cold_starts(app_dirs: dict[str, Path], site: Path | None, runs: int) -> dict[str, list[float]]:
    """CPU ms of ``import app`` per tree, interleaved so all see the same machine; with
    ``site=None`` from the whole dev virtualenv (how this bench measured before)."""
    times: dict[str, list[float]] = {label: [] for label in app_dirs}
    for _ in range(runs):
        for label, app_dir in app_dirs.items():
            env = {
                **os.environ,
                "PYTHONPATH": f"{app_dir}:{app_dir / 'vendor'}" + (f":{site}" if site else ""),
                "PYTHONDONTWRITEBYTECODE": "1",
                "STAGE": "dev",
            }
            script = (_LAMBDA_PATH if site else "") + _COLD_START
            _, out = run_fresh(script, env, cwd=app_dir)
            times[label].append(float(out.strip().splitlines()[-1]) * 1000)
    return times


def paired_difference(times: dict[str, list[float]], revision: str) -> float:
    """Median over the rounds of (this tree - ``revision``)."""
    pairs = zip(times["this tree"], times[revision], strict=True)
    return statistics.median(now - before for now, before in pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--against", nargs="+", default=list(BEFORE), help="git revisions to compare with"
    )
    parser.add_argument(
        "--skip-candidates", action="store_true", help="only the apps, not msgspec vs pydantic"
    )
    parser.add_argument(
        "--whole-venv", action="store_true", help="import from the dev virtualenv (the old way)"
    )
    parser.add_argument("--runs", type=int, default=RUNS, help="fresh processes per tree")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        trees = {rev: from_revision(rev, Path(work) / rev) for rev in args.against}
        for app in APPS:
            dirs = {
                rev: lay_out(tree, app, Path(work) / f"{rev}-pkg") for rev, tree in trees.items()
            }
            dirs["this tree"] = lay_out(REPO_ROOT, app, Path(work) / "after-pkg")
            site = None if args.whole_venv else lambda_site(app, Path(work) / f"{app}-site")
            times = cold_starts(dirs, site, args.runs)
            medians = {label: statistics.median(values) for label, values in times.items()}
            # Each round runs every tree back to back, so a difference within a round sees one
            # machine; the median of those differences is steadier than a difference of medians
            # when the load changes during the run.
            against = ", ".join(
                f"{medians[rev]:.0f} ms at {rev} ({paired_difference(times, rev):+.0f} ms)"
                for rev in trees
            )
            print(
                f"{app}: import app, CPU ms, median of {args.runs} fresh processes: "
                f"{medians['this tree']:.0f} ms now; {against} (median of the paired "
                "differences); budget +30 ms",
                flush=True,
            )
    if args.skip_candidates:
        return
    for name, snippet in CANDIDATES.items():
        try:
            print(f"{name}: +{extra_import_ms(snippet):.1f} CPU ms (median of {RUNS})")
        except Exception as exc:  # pydantic is a dev dependency only; say so if it is missing
            print(f"{name}: not measured ({type(exc).__name__})")


if __name__ == "__main__":
    main()
