"""Check an HTTP response against RepairApp's OpenAPI document (status, body schema, headers)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from jsonschema import Draft202012Validator


@functools.cache
def document() -> dict[str, Any]:
    from chalicelib.openapi import build

    return build()


def operation_for(method: str, path: str) -> tuple[str, dict[str, Any]]:
    bare = path.split("?", 1)[0]
    for template, operations in document()["paths"].items():
        pattern = re.sub(
            r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
        )
        if re.fullmatch(pattern, bare) and method.lower() in operations:
            return template, operations[method.lower()]
    raise AssertionError(f"{method} {bare} is not in the OpenAPI document")


def check_response(
    method: str, path: str, status: int, headers: dict[str, str], body: bytes
) -> None:
    template, operation = operation_for(method, path)
    documented = operation["responses"].get(str(status))
    assert documented is not None, f"{method} {template} answered an undocumented {status}"
    lowered = {k.lower(): v for k, v in headers.items()}
    for name in documented.get("headers", {}):
        assert name.lower() in lowered, f"{method} {template} {status} lacks header {name}"
    if "content" not in documented:
        assert not body, f"{method} {template} {status} promises no body"
        return
    [(media_type, content)] = documented["content"].items()
    assert lowered.get("content-type", "").startswith(media_type.split(";")[0])
    if media_type == "application/json":
        schema = {**content["schema"], "components": document()["components"]}
        errors = sorted(
            Draft202012Validator(schema).iter_errors(json.loads(body)), key=lambda e: e.path
        )
        assert not errors, f"{method} {template} {status}: " + "; ".join(
            f"{list(e.absolute_path)}: {e.message}" for e in errors[:3]
        )
