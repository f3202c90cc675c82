"""Request parsing refuses every malformed body with a specific code, before any work."""

from __future__ import annotations

import re

import pytest

from repaircore.errors import InvalidInput, PayloadTooLarge
from repaircore.validation import Fields, nesting_depth, parse_json_object


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


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        Fields({"name": "x", "nmae": "y"}, allowed={"name"})
    assert caught.value.code == "UnknownField"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"age": "4"}, "InvalidType"),
        ({"age": True}, "InvalidType"),
        ({"age": -1}, "OutOfRange"),
        ({"age": 1e9}, "OutOfRange"),
    ],
)
def test_numbers_are_typed_and_ranged(body: dict[str, object], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        Fields(body, allowed={"age"}).number("age", minimum=0, maximum=100)
    assert caught.value.code == code


def test_strings_are_cleaned_limited_and_matched() -> None:
    fields = Fields(
        {"t": "  a\n\tb\x00c  ", "p": "12a4", "long": "x" * 11}, allowed={"t", "p", "long"}
    )

    assert fields.string("t") == "a b c"
    with pytest.raises(InvalidInput, match="format"):
        fields.string("p", pattern=re.compile(r"\d{4}"))
    with pytest.raises(InvalidInput) as caught:
        fields.string("long", max_length=10)
    assert caught.value.code == "TooLong"


def test_required_fields_name_themselves() -> None:
    contact = Fields({"contact": {}}, allowed={"contact"}).object("contact", allowed={"email"})
    assert contact is not None
    with pytest.raises(InvalidInput, match=r"contact\.email is required") as caught:
        contact.string("email", required=True)
    assert caught.value.code == "MissingField"


def test_choices_accept_only_known_values() -> None:
    fields = Fields({"lang": "nl", "bad": "xx"}, allowed={"lang", "bad"})
    assert fields.choice("lang", ("nl", "fr")) == "nl"
    with pytest.raises(InvalidInput):
        fields.choice("bad", ("nl", "fr"))
