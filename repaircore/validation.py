"""Validate request bodies at the edge, before any work, with specific error codes.

Chalice's ``json_body`` trusts its input (deeply nested JSON makes it fail with a 500), so the
apps parse raw bytes here: size first, nesting depth by a linear scan (never recursion), then
fields against their declaration in ``repaircore.contracts`` (``decode``). Unknown fields are
refused, so a typo is an error rather than silently ignored.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import msgspec
import msgspec.inspect

from repaircore.errors import InvalidInput, PayloadTooLarge

MAX_BODY_BYTES = 16 * 1024
MAX_DEPTH = 6


def nesting_depth(text: str) -> int:
    """Deepest ``{``/``[`` nesting of a JSON text, skipping string contents (no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def parse_json_object(
    raw: bytes | str | None, *, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH
) -> dict[str, Any]:
    if raw is None or len(raw) == 0:
        raise InvalidInput("the request body is empty; send a JSON object", code="EmptyBody")
    if len(raw) > max_bytes:
        raise PayloadTooLarge(f"the request body is over {max_bytes} bytes", code="BodyTooLarge")
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise InvalidInput("the request body is not UTF-8", code="MalformedJson") from exc
    if nesting_depth(text) > max_depth:
        raise InvalidInput("the JSON is nested too deeply", code="TooDeeplyNested")
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise InvalidInput("the request body is not valid JSON", code="MalformedJson") from exc
    if not isinstance(value, dict):
        raise InvalidInput("the request body must be a JSON object", code="ExpectedObject")
    return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def clean_text(value: str) -> str:
    """Collapse runs of whitespace and drop control characters (they only ever cause harm)."""
    return " ".join("".join(c if c.isprintable() else " " for c in value).split())


# --- declared bodies (repaircore.contracts) -----------------------------------------------------
S = TypeVar("S", bound=msgspec.Struct)

# msgspec's messages, in the order to try, → the ``Code`` the APIs have always answered with.
# Compiled on the first refusal, not at import (cold start).
_FAILURES: tuple[tuple[str, str], ...] = (
    (r"Object contains unknown field `(?P<field>[^`]*)`", "UnknownField"),
    (r"Object missing required field `(?P<field>[^`]*)`", "MissingField"),
    (r"Expected `[^`]*` of length <= (?P<limit>\d+)", "TooLong"),
    (r"Expected `[^`]*` of length >= ", "TooShort"),
    (r"Expected `[^`]*` matching regex", "InvalidFormat"),
    (r"Expected `[^`]*` [<>]=? ", "OutOfRange"),
    (r"Expected `array` of length", "TooLong"),
    (r"Invalid enum value", "InvalidValue"),
)
_AT = r" - at `\$(?P<path>[^`]*)`$"
# These failures may name a field-specific Code (``Request.error_codes``).
_SPECIFIC = frozenset({"InvalidFormat", "InvalidValue"})
# Failures about an object's keys keep their Code inside a field with ``Request.malformed_codes``.
_ABOUT_KEYS = frozenset({"UnknownField", "MissingField"})


def decode(body: Mapping[str, Any], model: type[S]) -> S:
    """``body`` as the declared ``model``, or ``InvalidInput`` with the Code of the first problem.

    Null means absent; a string's length limit applies to the text as sent, then whitespace is
    collapsed and control characters dropped, and a blank string is absent.
    """
    try:
        return msgspec.convert(_prepared(body, model), model)
    except msgspec.ValidationError as exc:
        raise _invalid(str(exc), model) from exc


def _prepared(body: Mapping[str, Any], model: type[msgspec.Struct]) -> dict[str, Any]:
    fields = {f.encode_name: f.type for f in _fields(model)}
    prepared: dict[str, Any] = {}
    for name, value in body.items():
        if name not in fields:  # left as sent, so the model refuses it as unknown, null or not
            prepared[name] = value
            continue
        kind = fields[name]
        nested = _struct_of(kind)
        if value is None:
            continue
        if isinstance(value, str):
            limit = _max_length(kind)
            if limit is None or len(value) <= limit:
                value = clean_text(value)
                if not value:
                    continue
        elif isinstance(value, dict) and nested is not None:
            value = _prepared(value, nested)
        prepared[name] = value
    return prepared


@functools.cache
def _fields(model: type[msgspec.Struct]) -> tuple[msgspec.inspect.Field, ...]:
    info = msgspec.inspect.type_info(model)
    assert isinstance(info, msgspec.inspect.StructType)
    return info.fields


def _options(kind: msgspec.inspect.Type | None) -> tuple[msgspec.inspect.Type, ...]:
    """The types a field may take, without the documentation wrappers (``Metadata``)."""
    kinds = kind.types if isinstance(kind, msgspec.inspect.UnionType) else (kind,)
    return tuple(
        k.type if isinstance(k, msgspec.inspect.Metadata) else k for k in kinds if k is not None
    )


def _max_length(kind: msgspec.inspect.Type | None) -> int | None:
    for option in _options(kind):
        if isinstance(option, msgspec.inspect.StrType):
            return option.max_length
    return None


def _struct_of(kind: msgspec.inspect.Type | None) -> type[msgspec.Struct] | None:
    for option in _options(kind):
        if isinstance(option, msgspec.inspect.StructType):
            return option.cls
    return None


def _invalid(message: str, model: type[msgspec.Struct]) -> InvalidInput:
    at = re.search(_AT, message)
    path = at["path"].lstrip(".") if at else ""
    detail = message[: at.start()] if at else message
    code, field = "InvalidType", path
    for pattern, failure in _FAILURES:
        match = re.match(pattern, detail)
        if match is None:
            continue
        code = failure
        named = match.groupdict().get("field")
        if named is not None:
            field = f"{path}.{named}" if path else named
        break
    if code in _SPECIFIC:
        # A list's items share their field's Code ("skills[2]" → "skills").
        code = getattr(model, "error_codes", {}).get(re.sub(r"\[\d+\]$", "", field), code)
    if code not in _ABOUT_KEYS:
        malformed: Mapping[str, str] = getattr(model, "malformed_codes", {})
        code = next((malformed[f] for f in _enclosing(field) if f in malformed), code)
    return InvalidInput(f"{field or 'body'}: {detail}", code=code)


def _enclosing(field: str) -> list[str]:
    """``a.b[0]``, ``a.b``, ``a``: the field and each field that holds it, innermost first."""
    parts = re.split(r"(?=[.\[])", field)
    return ["".join(parts[:end]) for end in range(len(parts), 0, -1)]
