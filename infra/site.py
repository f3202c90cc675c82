"""Publish the built SPA to the site bucket with the cache rules CloudFront relies on.

Vite's hashed files under ``assets/`` never change, so browsers may keep them for a year;
``index.html`` names the current hashes and must be revalidated on every load. Unchanged files
are skipped (ETag = MD5 for single-part uploads), so a second publish of the same build changes
nothing. Files gone from the build are deleted, except hashed assets: a visitor still running
the previous build may lazy-load one of its chunks after the deploy.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
SHORT = "public, max-age=86400"

PLACEHOLDER_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>RepairApp</title></head>
<body><main><h1>RepairApp</h1>
<p>The web app has not been built yet: run <code>make frontend</code>.
The API answers under <a href="/api/health">/api/health</a>.</p></main></body></html>
"""


@dataclass(frozen=True)
class PublishResult:
    uploaded: int
    unchanged: int
    deleted: int


def cache_control(key: str) -> str:
    if key == "index.html" or key.endswith(".html"):
        return REVALIDATE
    if key.startswith("assets/"):
        return IMMUTABLE
    return SHORT


def content_type(key: str) -> str:
    guessed, _ = mimetypes.guess_type(key)
    if key.endswith(".js") or key.endswith(".mjs"):
        return "text/javascript; charset=utf-8"
    if guessed and (
        guessed.startswith("text/") or guessed in {"application/json", "image/svg+xml"}
    ):
        return f"{guessed}; charset=utf-8"
    return guessed or "application/octet-stream"


def build_files(dist: Path) -> dict[str, bytes]:
    """Files to publish; a placeholder page when the SPA is not built yet."""
    if not (dist / "index.html").is_file():
        return {"index.html": PLACEHOLDER_HTML.encode()}
    return {
        path.relative_to(dist).as_posix(): path.read_bytes()
        for path in sorted(dist.rglob("*"))
        if path.is_file()
    }


def publish(s3: Any, bucket: str, dist: Path) -> PublishResult:
    files = build_files(dist)
    existing: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            existing[item["Key"]] = str(item["ETag"]).strip('"')
    uploaded = unchanged = 0
    # Assets first, index.html last: a visitor never gets a page naming files not yet there.
    for key in sorted(files, key=lambda k: k == "index.html"):
        body = files[key]
        if existing.get(key) == hashlib.md5(body, usedforsecurity=False).hexdigest():
            unchanged += 1
            continue
        s3.put_object(
            Bucket=bucket,
            Key=key,
            Body=body,
            ContentType=content_type(key),
            CacheControl=cache_control(key),
        )
        uploaded += 1
    stale = sorted(k for k in set(existing) - set(files) if not k.startswith("assets/"))
    for start in range(0, len(stale), 1000):
        s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start : start + 1000]]}
        )
    return PublishResult(uploaded=uploaded, unchanged=unchanged, deleted=len(stale))
