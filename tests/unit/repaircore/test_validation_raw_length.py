"""A string's length limit holds for the text as sent, as the OpenAPI documents say."""

from __future__ import annotations

import pytest

from repaircore.errors import InvalidInput
from repaircore.validation import Fields


def test_text_over_the_limit_is_refused_even_if_cleaning_would_shorten_it() -> None:
    # 2001 characters as sent; collapsing the whitespace run would leave 1001
    padded = "a" * 1000 + " " * 1001

    with pytest.raises(InvalidInput) as caught:
        Fields({"description": padded}, allowed={"description"}).string(
            "description", max_length=2000
        )

    assert caught.value.code == "TooLong"


def test_text_at_the_limit_is_accepted_and_cleaned() -> None:
    value = Fields({"note": "a\u000bb" + "c" * 1997}, allowed={"note"}).string(
        "note", max_length=2000
    )

    assert value == "a b" + "c" * 1997
