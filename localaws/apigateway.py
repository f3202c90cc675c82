"""`chalice local`, as the local API Gateway, with production's gateway responses.

``python -m localaws.apigateway local --stage local --port N`` runs the normal Chalice CLI after
applying ``localaws.patches.chalice_local_gateway_responses``. The repository root is then removed
from ``sys.path``, so the app imports only itself and its ``vendor/`` — as on Lambda, where an
accidental import of a development package would fail.
"""

from __future__ import annotations

import sys
from pathlib import Path

from localaws.patches import chalice_local_backlog, chalice_local_gateway_responses

REPO_ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    chalice_local_gateway_responses.apply()
    chalice_local_backlog.apply()
    sys.path[:] = [p for p in sys.path if p and Path(p).resolve() != REPO_ROOT]
    for name in [m for m in sys.modules if m == "repaircore" or m.startswith("repaircore.")]:
        del sys.modules[name]  # the app must load its vendored copy
    from chalice.cli import main as chalice_main

    sys.argv = ["chalice", *sys.argv[1:]]
    chalice_main()


if __name__ == "__main__":
    main()
