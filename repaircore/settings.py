"""Reading configuration from the environment, once, naming everything that is missing."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from repaircore.errors import ConfigurationError


def require_env(names: Iterable[str], environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Return the values of ``names``; raise one error that lists every missing or empty one."""
    env = os.environ if environ is None else environ
    wanted = list(names)
    missing = [name for name in wanted if not env.get(name)]
    if missing:
        raise ConfigurationError("missing environment variables: " + ", ".join(sorted(missing)))
    return {name: env[name] for name in wanted}


def optional_env(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return env.get(name) or default
