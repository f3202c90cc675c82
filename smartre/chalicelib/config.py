"""SmartRe's settings, read from the environment once per container."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from repaircore.settings import require_env

_NAMES = {
    "stage": "STAGE",
    "photos_bucket": "PHOTOS_BUCKET_NAME",
    "analyses_table": "ANALYSES_TABLE_NAME",
    "products_table": "PRODUCTS_TABLE_NAME",
    "labels_table": "LABELS_TABLE_NAME",
    "idempotency_table": "IDEMPOTENCY_TABLE_NAME",
    "state_machine_arn": "ANALYSIS_STATE_MACHINE_ARN",
    "parameter_path": "CONFIG_PARAMETER_PATH",
}


@dataclass(frozen=True)
class Settings:
    stage: str
    photos_bucket: str
    analyses_table: str
    products_table: str
    labels_table: str
    idempotency_table: str
    state_machine_arn: str
    parameter_path: str

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        values = require_env(_NAMES.values(), os.environ if environ is None else environ)
        return cls(**{field: values[name] for field, name in _NAMES.items()})


@functools.cache
def settings() -> Settings:
    return Settings.from_env()
