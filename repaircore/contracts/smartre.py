"""SmartRe's other requests: feedback labels and the product catalogue (answers: ``answers``)."""

from __future__ import annotations

from typing import Annotated, ClassVar

import msgspec

from repaircore.contracts.base import BarrierName, CategoryName, Outcome, Request

ShortTexts = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=12)
]


class FeedbackRequest(Request, kw_only=True):
    """A real outcome (or the true category) of an analysed item, e.g. from RepairApp."""

    product_category: CategoryName | None = None
    outcome: Outcome | None = None
    barrier: BarrierName | None = None
    source: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    reference: Annotated[str, msgspec.Meta(max_length=100)] | None = None

    error_codes: ClassVar = {"outcome": "UnknownOutcome"}


ProductName = Annotated[str, msgspec.Meta(max_length=100)]
RepairAdvice = Annotated[str, msgspec.Meta(max_length=2000)]


class ProductNames(Request, kw_only=True):
    """The item's name per UI language; English is required (the fallback)."""

    en: ProductName
    nl: ProductName | None = None
    fr: ProductName | None = None
    de: ProductName | None = None


class TypicalRepairs(Request, kw_only=True):
    """What a repair of this item usually involves, per UI language; English is required."""

    en: RepairAdvice
    nl: RepairAdvice | None = None
    fr: RepairAdvice | None = None
    de: RepairAdvice | None = None


class LocalisedTexts(Request, kw_only=True):
    """Short texts per UI language (blank lines are dropped: an emptied line is a text removed)."""

    en: ShortTexts | None = None
    nl: ShortTexts | None = None
    fr: ShortTexts | None = None
    de: ShortTexts | None = None


class ProductInput(Request, kw_only=True):
    """One category's advice, as SmartRe's catalogue and RepairApp's coordinators edit it."""

    category: CategoryName
    name: ProductNames
    typical_repair: TypicalRepairs
    common_faults: LocalisedTexts | None = None

    # A fault list that is not a list of at most 12 texts of at most 200 characters has always
    # been one ``InvalidType``, in both apps.
    malformed_codes: ClassVar = {"commonFaults": "InvalidType"}
