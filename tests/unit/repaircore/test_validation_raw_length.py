"""A string's length limit holds for the text as sent, as the OpenAPI documents say."""

from __future__ import annotations

import pytest

from repaircore.contracts.analyses import AnalysisRequest
from repaircore.errors import InvalidInput
from repaircore.validation import decode


def test_text_over_the_limit_is_refused_even_if_cleaning_would_shorten_it() -> None:
    # 2001 characters as sent; collapsing the whitespace run would leave 1001
    padded = "a" * 1000 + " " * 1001

    with pytest.raises(InvalidInput) as caught:
        decode({"description": padded}, AnalysisRequest)

    assert caught.value.code == "TooLong"


def test_text_at_the_limit_is_accepted_and_cleaned() -> None:
    request = decode({"description": "a\u000bb" + "c" * 1997}, AnalysisRequest)

    assert request.description == "a b" + "c" * 1997
