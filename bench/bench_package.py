"""Size of each app's Lambda package, as `chalice package` builds it for deploy (zipped/unzipped),
and SmartRe's cold start from that package.

Uses the deploy's own packaging check (``infra.packaging``), so the figures are the ones
``deploy.sh`` prints before it uploads. The first run downloads manylinux wheels from PyPI.
The cold start runs the package as Lambda unpacks it (nothing written next to the code), in fresh
processes: import ``app`` (every route and task) and load both models; once with the bytecode the
package ships and once with it ignored (an empty ``PYTHONPYCACHEPREFIX``). boto3 is not in the
package (Lambda provides it) and comes from this virtualenv in both runs.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from bench.processes import run_fresh
from infra.definition import LOCAL_ACCOUNT, stage
from infra.packaging import MB, package_app
from infra.policies import write_policy

RUNS = 9
_COLD_START = """
import time
started = time.perf_counter()
import app
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel
ImageClassifier.load()
OutcomeModel.load()
print(time.perf_counter() - started)
"""


def cold_start_ms(package: Path, *, shipped_bytecode: bool) -> float:
    """Median over fresh processes of importing the app and loading the models, in ms."""
    times = []
    with tempfile.TemporaryDirectory() as elsewhere:
        env = {**os.environ, "PYTHONPATH": str(package), "PYTHONDONTWRITEBYTECODE": "1"}
        if not shipped_bytecode:
            env["PYTHONPYCACHEPREFIX"] = elsewhere  # Python then ignores the __pycache__ dirs
        for _ in range(RUNS):
            _, out = run_fresh(_COLD_START, env, cwd=package)
            times.append(float(out) * 1000)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        # The account id only names resources in the policy; the photos bucket any valid name.
        spec = stage("dev", LOCAL_ACCOUNT, photos_bucket_suffix="0123456789abcdef")
        for app in ("smartre", "repairapp"):
            write_policy(app, spec)  # chalice package reads the stage's policy file
            env = {**os.environ, "AWS_DEFAULT_REGION": spec.region}
            facts = package_app(app, "dev", Path(out) / app, env=env)
            print(facts.summary())
            for problem in facts.problems:
                print(f"  problem: {problem}")
            sizes: Counter[str] = Counter()
            with zipfile.ZipFile(facts.path) as archive:
                for info in archive.infolist():
                    sizes[info.filename.split("/")[0]] += info.compress_size
            biggest = ", ".join(f"{name} {size / MB:.1f}" for name, size in sizes.most_common(6))
            print(f"  largest top-level entries (MB zipped): {biggest}")
            if app == "smartre":
                unpacked = Path(out) / "unpacked"
                with zipfile.ZipFile(facts.path) as archive:
                    archive.extractall(unpacked)
                shipped = cold_start_ms(unpacked, shipped_bytecode=True)
                source = cold_start_ms(unpacked, shipped_bytecode=False)
                print(
                    f"  cold start from the package (import app + load models, median of {RUNS}): "
                    f"{shipped:.0f} ms with its bytecode, {source:.0f} ms compiling from source"
                )


if __name__ == "__main__":
    main()
