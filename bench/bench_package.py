"""Size of each app's Lambda package, as `chalice package` builds it for deploy (zipped/unzipped).

Uses the deploy's own packaging check (``infra.packaging``), so the figures are the ones
``deploy.sh`` prints before it uploads. The first run downloads manylinux wheels from PyPI.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

from infra.definition import LOCAL_ACCOUNT, stage
from infra.packaging import MB, package_app
from infra.policies import write_policy


def main() -> None:
    with tempfile.TemporaryDirectory() as out:
        spec = stage("dev", LOCAL_ACCOUNT)  # the account id only names resources in the policy
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


if __name__ == "__main__":
    main()
