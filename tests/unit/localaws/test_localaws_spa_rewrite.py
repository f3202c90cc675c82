"""The production CloudFront Function and the local emulator map every URI the same way."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from localaws.spa_rewrite import is_api_path, rewrite_uri

FUNCTION = Path(__file__).resolve().parents[3] / "infra" / "cloudfront" / "spa_rewrite.js"

# uri -> what the viewer-request rule must turn it into
EXPECTED = {
    "/": "/index.html",
    "/index.html": "/index.html",
    "/triage/abc": "/index.html",
    "/triage/abc/": "/index.html",
    "/repairs/x": "/index.html",
    "/staff": "/index.html",
    "/.well-known/security": "/index.html",
    "/assets/index-3f9a1c.js": "/assets/index-3f9a1c.js",
    "/assets/app.css": "/assets/app.css",
    "/favicon.ico": "/favicon.ico",
    "/robots.txt": "/robots.txt",
    "/missing/logo.svg": "/missing/logo.svg",
    "/.env": "/.env",
    "/v1.2/notes": "/index.html",
    "/files/v1.2": "/files/v1.2",
    "/api/repairs": "/api/repairs",
    "/api/repairs/unknown": "/api/repairs/unknown",
    "/api/": "/api/",
    "/api": "/api",
    "/apiary": "/index.html",
    "/caf%C3%A9/menu": "/index.html",
    "/img/caf%C3%A9.png": "/img/caf%C3%A9.png",
}

# Runs the function exactly as CloudFront calls it: handler(event) with event.request.uri.
NODE_RUNNER = """
const fs = require('fs');
const source = fs.readFileSync(process.argv[1], 'utf8');
const handler = new Function(source + '\\nreturn handler;')();
const uris = JSON.parse(fs.readFileSync(0, 'utf8'));
const out = {};
for (const uri of uris) {
  out[uri] = handler({version: '1.0', request: {method: 'GET', uri: uri, headers: {}}}).uri;
}
process.stdout.write(JSON.stringify(out));
"""


@pytest.mark.parametrize(("uri", "expected"), EXPECTED.items())
def test_emulator_rewrites_spa_routes_and_leaves_assets_and_api(uri: str, expected: str) -> None:
    assert rewrite_uri(uri) == expected


@pytest.mark.parametrize(
    ("path", "to_the_api"),
    [
        ("/api", True),
        ("/api/", True),
        ("/api/nope", True),
        ("/api/repairs/rp_x", True),
        ("/apiary", False),
        ("/api.html", False),
        ("/", False),
        ("/staff/api", False),
    ],
)
def test_the_emulator_sends_api_and_everything_under_it_to_the_api_origin(
    path: str, to_the_api: bool
) -> None:
    # Production's behaviours `/api/*` and `/api` (CloudFront path patterns are case-sensitive).
    assert is_api_path(path) is to_the_api


def test_cloudfront_function_applies_the_same_mapping_as_the_emulator() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run infra/cloudfront/spa_rewrite.js")
    result = subprocess.run(
        [node, "-e", NODE_RUNNER, str(FUNCTION)],
        input=json.dumps(list(EXPECTED)),
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    from_function = json.loads(result.stdout)
    assert from_function == {uri: rewrite_uri(uri) for uri in EXPECTED}
    assert from_function == EXPECTED


def test_cloudfront_function_uses_only_the_js2_runtime_entry_point() -> None:
    source = FUNCTION.read_text()
    assert "function handler(event)" in source
    assert "require(" not in source
    assert "export " not in source
