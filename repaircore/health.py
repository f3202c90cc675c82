"""Reachability checks for ``GET /api/health``: each one cheap, bounded and side-effect free."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

logger = logging.getLogger(__name__)

Check = Callable[[], object]


def table_check(client: Any, table: str) -> Check:
    return lambda: client.describe_table(TableName=table)


def bucket_check(client: Any, bucket: str) -> Check:
    return lambda: client.head_bucket(Bucket=bucket)


def run_checks(checks: Mapping[str, Check]) -> dict[str, str]:
    """Run checks side by side; each reports ``ok`` or the name of the error it met."""

    def run(item: tuple[str, Check]) -> tuple[str, str]:
        name, check = item
        try:
            check()
        except Exception as exc:  # health reports; it never raises
            code = getattr(exc, "response", {}).get("Error", {}).get("Code") or type(exc).__name__
            logger.warning("health check %s failed: %s", name, code)
            return name, f"error: {code}"
        return name, "ok"

    with ThreadPoolExecutor(max_workers=max(1, len(checks))) as pool:
        return dict(pool.map(run, checks.items()))
