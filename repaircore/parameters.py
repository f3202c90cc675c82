"""Runtime configuration from SSM Parameter Store: generated ids and secrets, read once.

One ``GetParametersByPath`` call loads everything under the stage's path; values are cached for
``ttl_seconds`` so a rotated secret is picked up without a redeploy, and a warm container makes
no call at all on the request path.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from repaircore.errors import ConfigurationError, ServiceUnavailable


class ParameterStore:
    def __init__(
        self,
        client: Any,
        path: str,
        *,
        ttl_seconds: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not path.startswith("/") or not path.endswith("/"):
            raise ValueError("a parameter path starts and ends with '/'")
        self._client = client
        self._path = path
        self._ttl = ttl_seconds
        self._clock = clock
        self._values: dict[str, str] = {}
        self._loaded_at: float | None = None
        self._lock = threading.Lock()

    def get(self, name: str) -> str:
        """The value of ``<path><name>``; ``ConfigurationError`` if the stage lacks it."""
        values = self._current()
        if name not in values:
            raise ConfigurationError(f"parameter {self._path}{name} is not set")
        return values[name]

    def _current(self) -> dict[str, str]:
        with self._lock:
            now = self._clock()
            if self._loaded_at is None or now - self._loaded_at > self._ttl:
                self._values = self._load()
                self._loaded_at = now
            return self._values

    def _load(self) -> dict[str, str]:
        values: dict[str, str] = {}
        try:
            paginator = self._client.get_paginator("get_parameters_by_path")
            for page in paginator.paginate(Path=self._path, Recursive=True, WithDecryption=True):
                for parameter in page["Parameters"]:
                    values[parameter["Name"][len(self._path) :]] = parameter["Value"]
        except (ClientError, BotoCoreError) as exc:
            if self._loaded_at is not None:
                return self._values  # keep serving the last good values through a blip
            raise ServiceUnavailable("configuration store unreachable; try again shortly") from exc
        return values
