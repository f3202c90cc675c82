"""A small HTTP client for tests that talk to the running stack (urllib3, as the apps use)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import urllib3

_pool = urllib3.PoolManager(timeout=urllib3.Timeout(connect=2, read=60), retries=False)


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    data: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.data)


def call(method: str, url: str, body: Any = None, headers: dict[str, str] | None = None) -> Reply:
    raw = body if isinstance(body, bytes | str) or body is None else json.dumps(body)
    merged = {"Content-Type": "application/json", **(headers or {})}
    response = _pool.request(method, url, body=raw, headers=merged)
    return Reply(
        response.status, {k.lower(): v for k, v in response.headers.items()}, response.data
    )


def upload(upload: dict[str, Any], data: bytes, filename: str = "photo.jpg") -> Reply:
    """POST a file to a presigned S3 upload, as the browser does (fields first, then the file)."""
    content_type = upload["fields"].get("Content-Type", "application/octet-stream")
    fields: list[tuple[str, Any]] = list(upload["fields"].items())
    fields.append(("file", (filename, data, content_type)))
    response = _pool.request("POST", upload["url"], fields=fields)
    return Reply(response.status, dict(response.headers), response.data)
