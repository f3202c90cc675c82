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


def refused_for_size(reply: Reply) -> bool:
    """S3's (and the emulator's) answer to a file outside the policy's content-length-range."""
    return reply.status == 400 and (
        b"<Code>EntityTooLarge</Code>" in reply.data or b"<Code>EntityTooSmall</Code>" in reply.data
    )


def put_past_the_policy(s3: Any, bucket: str, upload: dict[str, Any], data: bytes) -> None:
    """Write the slot's object directly, as a writer that ignores the POST policy would: the
    service's own re-check after upload must hold even then."""
    content_type = upload["fields"].get("Content-Type", "application/octet-stream")
    s3.put_object(Bucket=bucket, Key=upload["fields"]["key"], Body=data, ContentType=content_type)


def upload(upload: dict[str, Any], data: bytes, filename: str = "photo.jpg") -> Reply:
    """POST a file to a presigned S3 upload, as the browser does (fields first, then the file)."""
    content_type = upload["fields"].get("Content-Type", "application/octet-stream")
    fields: list[tuple[str, Any]] = list(upload["fields"].items())
    fields.append(("file", (filename, data, content_type)))
    response = _pool.request("POST", upload["url"], fields=fields)
    return Reply(response.status, dict(response.headers), response.data)
