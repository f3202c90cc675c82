"""SmartRe's other bodies: health, feedback labels and the product catalogue."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

import msgspec

from repaircore.contracts.base import Answer, BarrierName, CategoryName, Outcome, Request

ShortTexts = Annotated[
    list[Annotated[str, msgspec.Meta(max_length=200)]], msgspec.Meta(max_length=12)
]


class Health(Answer, kw_only=True):
    service: str
    version: str
    ok: bool
    checks: dict[str, str]


class SmartReHealth(Health, kw_only=True):
    service: Literal["smartre"]


class FeedbackRequest(Request, kw_only=True):
    """A real outcome (or the true category) of an analysed item, e.g. from RepairApp."""

    product_category: CategoryName | None = None
    outcome: Outcome | None = None
    barrier: BarrierName | None = None
    source: Annotated[str, msgspec.Meta(max_length=50)] | None = None
    reference: Annotated[str, msgspec.Meta(max_length=100)] | None = None

    error_codes: ClassVar = {"outcome": "UnknownOutcome"}


class Feedback(Answer, kw_only=True):
    analysis_id: str
    label_id: str
    created_at: str
    truth: dict[str, Any]
    predicted: dict[str, Any]


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
    category: CategoryName
    name: ProductNames
    typical_repair: TypicalRepairs
    common_faults: LocalisedTexts | None = None


class Product(Answer, kw_only=True):
    product_id: str
    category: str
    name: dict[str, str]
    typical_repair: dict[str, str]
    version: Annotated[int, msgspec.Meta(ge=1)]
    common_faults: dict[str, list[str]] | msgspec.UnsetType = msgspec.UNSET
    updated_at: str | msgspec.UnsetType = msgspec.UNSET


class ProductPage(Answer, kw_only=True):
    items: list[Product]
    next_cursor: str | None
