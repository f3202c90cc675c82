"""RepairApp's own requests: repair requests, staff updates, sign-in and the advice editor.

(The triage request is in ``analyses``; every answer is in ``answers``.)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec

from repaircore.contracts.analyses import ANALYSIS_ID_PATTERN
from repaircore.contracts.base import (
    BarrierName,
    CategoryName,
    Language,
    Outcome,
    Request,
)
from repaircore.contracts.events import EventId
from repaircore.contracts.smartre import ProductInput


class RepairStatus(StrEnum):
    """Where a repair request is (the moves between them: ``chalicelib.repairs``)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_REPAIR = "in_repair"
    FIXED = "fixed"
    REPAIRABLE = "repairable"
    END_OF_LIFE = "end_of_life"
    CANCELLED = "cancelled"


class Contact(Request, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    email: Annotated[str, msgspec.Meta(max_length=254, extra_json_schema={"format": "email"})]


class RepairRequest(Request, kw_only=True):
    analysis_id: Annotated[str, msgspec.Meta(max_length=40, pattern=ANALYSIS_ID_PATTERN)]
    contact: Contact
    postcode: Annotated[
        str, msgspec.Meta(max_length=10, pattern="^[0-9]{4}$", description="Belgian: 1000-9992")
    ]
    consent: Literal[True]
    language: (
        Annotated[Language, msgspec.Meta(description="For the mails; default: the triage's")] | None
    ) = None
    event_id: (
        Annotated[EventId, msgspec.Meta(description="Book a seat at this event (none: walk in)")]
        | None
    ) = None

    error_codes: ClassVar = {
        "eventId": "InvalidEventId",
        "analysisId": "InvalidAnalysisId",
        "postcode": "InvalidPostcode",
        "consent": "ConsentRequired",
        "language": "UnknownLanguage",
    }


class RepairUpdate(Request, kw_only=True):
    """A PATCH always moves the status on, so a category correction travels with one."""

    status: RepairStatus
    outcome: Annotated[Outcome, msgspec.Meta(description="Must match status if given")] | None = (
        None
    )
    barrier: BarrierName | None = None
    public_message: (
        Annotated[
            str, msgspec.Meta(max_length=500, description="Shown to the visitor when tracking")
        ]
        | None
    ) = None
    internal_note: Annotated[str, msgspec.Meta(max_length=500, description="Staff only")] | None = (
        None
    )
    note: (
        Annotated[
            str,
            msgspec.Meta(
                max_length=500,
                description="Deprecated: the old name of internalNote; not with it",
                extra_json_schema={"deprecated": True},
            ),
        ]
        | None
    ) = None
    product_category: CategoryName | None = None

    error_codes: ClassVar = {"status": "UnknownStatus", "outcome": "UnknownOutcome"}


class StaffSessionRequest(Request, kw_only=True):
    username: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    password: Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class ProductUpdate(ProductInput, kw_only=True):
    """A coordinator's edit of one category's advice (sent on to SmartRe with If-Match)."""
