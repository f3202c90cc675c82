"""RepairApp's settings, read from the environment once per container."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from repaircore.settings import require_env

_NAMES = {
    "stage": "STAGE",
    "repairs_table": "REPAIRS_TABLE_NAME",
    "idempotency_table": "IDEMPOTENCY_TABLE_NAME",
    "smartre_api_url": "SMARTRE_API_URL",
    "parameter_path": "CONFIG_PARAMETER_PATH",
}


@dataclass(frozen=True)
class Settings:
    stage: str
    repairs_table: str
    idempotency_table: str
    smartre_api_url: str
    parameter_path: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        values = require_env(_NAMES.values(), os.environ if environ is None else environ)
        return cls(**{field: values[name] for field, name in _NAMES.items()})


@functools.cache
def settings() -> Settings:
    return Settings.from_env()
