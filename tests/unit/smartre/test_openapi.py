"""The OpenAPI document matches the routes and the committed openapi.json (no drift)."""

from __future__ import annotations

import json
from pathlib import Path

from openapi_spec_validator import validate

from chalicelib.openapi import OPERATIONS, document

COMMITTED = Path(__file__).resolve().parents[3] / "smartre" / "openapi.json"


def test_every_route_is_documented_and_nothing_else() -> None:
    from app import app

    routed = {(path, method) for path, methods in app.routes.items() for method in methods}

    assert routed == set(OPERATIONS)


def test_the_document_is_valid_openapi() -> None:
    validate(document())


def test_the_committed_document_is_current() -> None:
    assert json.loads(COMMITTED.read_text()) == document(), "stale: run `make openapi`"
