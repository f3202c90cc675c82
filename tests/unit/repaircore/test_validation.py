"""Request parsing refuses every malformed body with a specific code, before any work."""

from __future__ import annotations

import pytest

from repaircore.errors import InvalidInput, PayloadTooLarge
from repaircore.validation import nesting_depth, parse_json_object


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (None, "EmptyBody"),
        (b"", "EmptyBody"),
        (b"{not json", "MalformedJson"),
        (b"\xff\xfe", "MalformedJson"),
        (b"[1, 2]", "ExpectedObject"),
        (b'"text"', "ExpectedObject"),
        (b'{"a": NaN}', "MalformedJson"),
        (b'{"a":' * 50 + b"1" + b"}" * 50, "TooDeeplyNested"),
        (b"[" * 100_00, "TooDeeplyNested"),
    ],
)
def test_malformed_bodies_are_invalid_input_with_a_specific_code(
    raw: bytes | None, code: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_json_object(raw, max_bytes=1_000_000)
    assert caught.value.code == code


def test_oversized_bodies_are_refused_before_parsing() -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        parse_json_object(b'{"a": "' + b"x" * 20_000 + b'"}')
    assert caught.value.code == "BodyTooLarge"


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert nesting_depth('{"a": "[[[[{{{{\\"]]]"}') == 1
    assert parse_json_object(b'{"a": "[[[[[[[[[[[["}') == {"a": "[[[[[[[[[[[["}
