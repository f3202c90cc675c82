"""The OpenAPI document covers exactly the app's routes, is valid, and is committed up to date."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from tests.unit.repairapp.conftest import APP_DIR
from tests.unit.repairapp.contract import document


def _app_operations() -> set[tuple[str, str]]:
    from app import app

    return {(path, method) for path, entries in app.routes.items() for method in entries}


def _documented_operations() -> set[tuple[str, str]]:
    return {
        (path, method.upper())
        for path, operations in document()["paths"].items()
        for method in operations
    }


def test_every_route_is_documented_and_nothing_else() -> None:
    assert _documented_operations() == _app_operations()


def test_the_document_is_valid_openapi_3_1() -> None:
    validate(document())
    assert document()["openapi"].startswith("3.1")


def test_the_committed_document_is_up_to_date() -> None:
    from chalicelib.openapi import render

    committed = (APP_DIR / "openapi.json").read_text(encoding="utf-8")

    assert committed == render(), (
        "repairapp/openapi.json is stale: cd repairapp && "
        "PYTHONPATH=vendor ../.venv/bin/python -m chalicelib.openapi > openapi.json"
    )


def test_guarded_and_staff_operations_document_their_security_and_errors() -> None:
    for path, operations in document()["paths"].items():
        for method, operation in operations.items():
            names = {name for requirement in operation["security"] for name in requirement}
            if path == "/api/health":
                assert names == set()
                continue
            assert "originVerify" in names, (method, path)
            assert "403" in operation["responses"], (method, path)
            assert "503" in operation["responses"], (method, path)
            if "staffToken" in names:
                assert "401" in operation["responses"], (method, path)


def test_errors_share_one_schema() -> None:
    for operations in document()["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400 and "Health" not in json.dumps(response):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}
