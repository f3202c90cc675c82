"""Building blocks both apps' OpenAPI documents share; the schemas come from the declarations.

``schemas`` turns ``repaircore.contracts`` Structs into ``components/schemas`` (msgspec's JSON
Schema, named after the classes). A request's optional fields are documented as the APIs read
them: absent, null or (for text) blank all mean "not given".
"""

from __future__ import annotations

from typing import Any

import msgspec

from repaircore.contracts.base import Request

JSON = "application/json"
_REF = "#/components/schemas/{name}"


def ref(model: type[msgspec.Struct] | str) -> dict[str, Any]:
    name = model if isinstance(model, str) else model.__name__
    return {"$ref": _REF.format(name=name)}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def schemas(*models: type[msgspec.Struct]) -> dict[str, Any]:
    """The components for these bodies and everything they refer to, sorted by name."""
    _, components = msgspec.json.schema_components(models, ref_template=_REF)
    requests = {model.__name__ for model in _all_structs(models) if issubclass(model, Request)}
    return {
        name: _nulls_allowed(schema) if name in requests else schema
        for name, schema in sorted(components.items())
    }


def _all_structs(models: tuple[type[msgspec.Struct], ...]) -> set[type[msgspec.Struct]]:
    found: set[type[msgspec.Struct]] = set()
    for model in models:
        found |= {type_.cls for type_ in _walk(msgspec.inspect.type_info(model))}
    return found


def _walk(info: Any, seen: set[Any] | None = None) -> list[Any]:
    seen = set() if seen is None else seen
    if isinstance(info, msgspec.inspect.StructType):
        if info.cls in seen:
            return []
        seen.add(info.cls)
        found = [info]
        for field in info.fields:
            found += _walk(field.type, seen)
        return found
    found = []
    for attribute in ("types", "item_type", "key_type", "value_type"):
        child = getattr(info, attribute, None)
        for item in child if isinstance(child, tuple) else [child]:
            if isinstance(item, msgspec.inspect.Type):
                found += _walk(item, seen)
    return found


def _nulls_allowed(schema: dict[str, Any]) -> dict[str, Any]:
    required = set(schema.get("required", []))

    def optional(value: dict[str, Any]) -> dict[str, Any]:
        if "anyOf" in value:
            options = [o for o in value["anyOf"] if o != {"type": "null"}]
            bare = {k: v for k, v in value.items() if k not in ("anyOf", "default")}
        else:
            options = [{k: v for k, v in value.items() if k != "default"}]
            bare = {}
        blank: list[dict[str, Any]] = [{"type": "null"}]
        if any(o.get("type") == "string" or "enum" in o for o in options):
            blank.append({"const": ""})
        return {**bare, "anyOf": [*options, *blank]}

    properties = {
        name: value if name in required else optional(value)
        for name, value in schema["properties"].items()
    }
    return {**schema, "properties": properties}
