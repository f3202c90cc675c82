"""The advice body both apps take (SmartRe's catalogue, RepairApp's coordinators): one reading,
with the codes both apps answered before it was declared once."""

from __future__ import annotations

from typing import Any

import pytest

from repaircore.catalogue_input import product_changes
from repaircore.errors import InvalidInput

KETTLE = {
    "category": "kettle",
    "name": {"en": "Kettle", "nl": "Waterkoker", "fr": "  "},
    "typicalRepair": {"en": "Often  the switch.", "de": None},
}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"category": "Spaceship"}, "UnknownCategory"),
        ({"category": "x" * 101}, "TooLong"),
        ({"name": {"nl": "Alleen Nederlands"}}, "MissingField"),
        ({"name": {"en": "   "}}, "MissingField"),
        ({"name": {"en": "Kettle", "es": "Hervidor"}}, "UnknownField"),
        ({"name": "Kettle"}, "InvalidType"),
        ({"typicalRepair": {"en": "x" * 2001}}, "TooLong"),
        ({"commonFaults": {"en": "not a list"}}, "InvalidType"),
        ({"commonFaults": {"en": ["fault"] * 13}}, "InvalidType"),
        ({"commonFaults": {"en": ["x" * 201]}}, "InvalidType"),
        ({"commonFaults": {"en": [3]}}, "InvalidType"),
        ({"commonFaults": {"es": ["fallo"]}}, "UnknownField"),
        ({"version": 3}, "UnknownField"),
    ],
)
def test_each_refusal_keeps_the_code_both_apps_answered(changes: dict[str, Any], code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        product_changes({**KETTLE, **changes})

    assert (caught.value.status, caught.value.code) == (400, code)


def test_the_entry_comes_out_in_the_catalogues_shape_with_blank_texts_left_out() -> None:
    changes = product_changes(
        {**KETTLE, "commonFaults": {"en": [" Does not\theat ", "", "   "], "nl": None}}
    )

    assert changes == {
        "category": "Kettle",
        "name": {"en": "Kettle", "nl": "Waterkoker"},
        "typicalRepair": {"en": "Often the switch."},
        "commonFaults": {"en": ["Does not heat"]},
    }


def test_without_a_fault_list_the_entry_has_none() -> None:
    assert product_changes(KETTLE)["commonFaults"] == {}
