"""The SPA deep-link rule, as the production CloudFront Function applies it to viewer requests.

`infra/cloudfront/spa_rewrite.js` is the source of truth in AWS; this is its Python twin for the
local CloudFront emulator, and a test runs both over one table of URIs so they cannot drift.
Rule: a path whose last segment has no file extension is an SPA route and becomes
`/index.html`; anything with an extension is an asset and is served (or 404s) as is; `/api` and
`/api/*` are never rewritten (they belong to the API behaviours: `is_api_path`).
"""

from __future__ import annotations

API_PREFIX = "/api/"
API_ROOT = "/api"
INDEX = "/index.html"


def is_api_path(path: str) -> bool:
    """The paths CloudFront's API behaviours (`/api/*` and `/api`) send to the API origin."""
    return path == API_ROOT or path.startswith(API_PREFIX)


def rewrite_uri(uri: str) -> str:
    if is_api_path(uri):
        return uri
    last_segment = uri[uri.rfind("/") + 1 :]
    return uri if "." in last_segment else INDEX
