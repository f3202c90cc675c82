"""`chalice local`, as the local API Gateway, with production's gateway responses.

``python -m localaws.apigateway local --stage local --port N`` runs the normal Chalice CLI after
applying ``localaws.patches.chalice_local_gateway_responses`` (and the stack's own endpoint over
the committed ``local`` one: ``chalice_local_environment``). The repository root is then removed
from ``sys.path``, so the app imports only itself and its ``vendor/`` — as on Lambda, where an
accidental import of a development package would fail. With autoreload (Chalice's default) the
serving child is this same module, so it gets the same patches; no ``chalice`` on PATH is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from localaws.patches import (
    chalice_local_backlog,
    chalice_local_environment,
    chalice_local_gateway_responses,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    chalice_local_gateway_responses.apply()
    chalice_local_backlog.apply()
    chalice_local_environment.apply()
    arguments = sys.argv[1:]
    sys.path[:] = [p for p in sys.path if p and Path(p).resolve() != REPO_ROOT]
    for name in [m for m in sys.modules if m == "repaircore" or m.startswith("repaircore.")]:
        del sys.modules[name]  # the app must load its vendored copy
    from chalice.cli import cli

    # Chalice's reloader starts the serving child with ``sys.argv`` as its command line.
    sys.argv = [sys.executable, "-m", "localaws.apigateway", *arguments]
    cli.main(args=arguments, prog_name="chalice", obj={})


if __name__ == "__main__":
    main()
