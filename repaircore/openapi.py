"""Building blocks both apps' OpenAPI documents share (the documents themselves live per app)."""

from __future__ import annotations

from typing import Any

JSON = "application/json"


def ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def nulls_allowed(schema: dict[str, Any]) -> dict[str, Any]:
    """A request body whose optional fields may also be null, and its optional strings empty:
    the APIs read both as "absent"."""
    required = set(schema.get("required", []))

    def optional(value: dict[str, Any]) -> dict[str, Any]:
        blank: list[dict[str, Any]] = [{"type": "null"}]
        if value.get("type") == "string" or "enum" in value:
            blank.append({"const": ""})
        return {"anyOf": [value, *blank]}

    properties = {
        name: value if name in required else optional(value)
        for name, value in schema["properties"].items()
    }
    return {**schema, "properties": properties}
