"""Load one Chalice app for in-process tests, on moto, provisioned by the real infra definition.

Each app is imported as top-level ``app`` + ``chalicelib`` (as Chalice ships it), so the two apps
cannot share a Python process: ``make test`` runs their unit tests in separate pytest processes.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from moto import mock_aws

from infra.definition import LOCAL_ACCOUNT, LOCAL_STAGE, stage
from infra.stack import Clients, apply_foundation
from repaircore import clients

REPO_ROOT = Path(__file__).resolve().parents[2]


def use_app(name: str) -> Path:
    """Put ``<repo>/<name>`` first on sys.path (refusing to mix two apps in one process).

    Also gives ``chalice.test.Client`` production's gateway-response bodies, as ``make run`` does.
    """
    from localaws.patches import chalice_local_environment, chalice_local_gateway_responses

    chalice_local_gateway_responses.apply()
    # The local stage's developer defaults (an endpoint, an open origin guard) are not for moto.
    chalice_local_environment.apply_to_test_client()
    app_dir = REPO_ROOT / name
    loaded = sys.modules.get("chalicelib")
    if loaded is not None and Path(loaded.__file__ or "").resolve().parent.parent != app_dir:
        raise RuntimeError("another app's chalicelib is already imported in this process")
    if str(app_dir) not in sys.path:
        sys.path.insert(0, str(app_dir))
    return app_dir


def stage_environment(app_dir: Path, stage_name: str = LOCAL_STAGE) -> dict[str, str]:
    config = json.loads((app_dir / ".chalice" / "config.json").read_text())
    env = dict(config.get("environment_variables", {}))
    env.update(config["stages"][stage_name].get("environment_variables", {}))
    from localaws.patches.chalice_local_environment import without_stack_owned

    return without_stack_owned(env)


@contextmanager
def provisioned_aws(app_dir: Path) -> Iterator[dict[str, Any]]:
    """moto in-process, the local stage provisioned from infra/, the app's env vars set."""
    env = stage_environment(app_dir)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        with mock_aws():
            clients.reset()
            spec = stage(LOCAL_STAGE, LOCAL_ACCOUNT)
            apply_foundation(Clients.for_region(spec.region), spec)
            yield {"stage": spec, "env": env}
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        clients.reset()
