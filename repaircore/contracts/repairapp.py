"""RepairApp's own bodies: repair requests, tracking, the staff queue, sign-in and statistics.

(The triage request and the analysis it answers with are in ``analyses``.)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar, Literal

import msgspec

from repaircore.contracts.analyses import ANALYSIS_ID_PATTERN, Analysis
from repaircore.contracts.base import (
    Answer,
    Barrier,
    BarrierName,
    CategoryName,
    CategoryValue,
    Language,
    Outcome,
    OutcomeValue,
    Probability,
    Request,
    Timestamp,
)
from repaircore.contracts.events import Booking, EventId
from repaircore.contracts.smartre import Product, ProductInput


class RepairStatus(StrEnum):
    """Where a repair request is (the moves between them: ``chalicelib.repairs``)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    IN_REPAIR = "in_repair"
    FIXED = "fixed"
    REPAIRABLE = "repairable"
    END_OF_LIFE = "end_of_life"
    CANCELLED = "cancelled"


class RepairHealth(Answer, kw_only=True):
    service: str
    version: str
    ok: bool
    checks: dict[str, str]


class Vocabulary(Answer, kw_only=True):
    categories: list[CategoryValue]
    outcomes: list[OutcomeValue]
    barriers: list[Barrier]
    languages: list[Language]


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


class RepairCreated(Answer, kw_only=True):
    repair_id: str
    tracking_token: str
    tracking_url: Annotated[str, msgspec.Meta(description="The SPA's tracking page (path)")]


PublicMessage = Annotated[str, msgspec.Meta(description="Staff's message to the visitor")]
InternalNote = Annotated[
    str, msgspec.Meta(description="Staff only (notes written before the split too)")
]


class HistoryEntry(Answer, kw_only=True):
    status: RepairStatus
    at: Timestamp
    public_message: PublicMessage | msgspec.UnsetType | None = msgspec.UNSET


class StaffHistoryEntry(HistoryEntry, kw_only=True):
    internal_note: InternalNote | msgspec.UnsetType | None = msgspec.UNSET


class TrackedRepair(Answer, kw_only=True):
    """What the owner sees with their tracking token."""

    repair_id: str
    status: RepairStatus
    history: list[HistoryEntry]
    product_category: str | None
    analysis: Analysis | None
    created_at: Timestamp
    updated_at: Timestamp
    # Always sent by the tracking route (null: no booking); not by the staff views. No default
    # in the document: the SPA's generated types would make it required everywhere.
    booking: Booking | msgspec.UnsetType | None = msgspec.UNSET


class ContactDetails(Answer, kw_only=True):
    name: str
    email: str


class StaffRepair(TrackedRepair, kw_only=True):
    """The full request for staff: contact details (null once closed) and the version to send
    back in If-Match."""

    history: list[StaffHistoryEntry]  # type: ignore[assignment]  # with the internal notes
    contact: ContactDetails | None
    postcode: str
    version: Annotated[int, msgspec.Meta(ge=1)]
    outcome: Outcome | msgspec.UnsetType | None = msgspec.UNSET
    barrier: str | msgspec.UnsetType | None = msgspec.UNSET
    closed_at: Timestamp | msgspec.UnsetType | None = msgspec.UNSET
    feedback_status: Literal["pending", "sent", "failed"] | msgspec.UnsetType | None = msgspec.UNSET


class PhotoLink(Answer, kw_only=True):
    url: Annotated[str, msgspec.Meta(description="A presigned GET of the photo; until expiresAt")]
    expires_at: Annotated[Timestamp, msgspec.Meta(description="The link's end (minutes away)")]
    deleted_after: Annotated[
        Timestamp, msgspec.Meta(description="When the photo itself is deleted")
    ]


class RepairSummary(Answer, kw_only=True):
    repair_id: str
    status: RepairStatus
    product_category: str | None
    postcode: str
    created_at: Timestamp
    updated_at: Timestamp


class RepairPage(Answer, kw_only=True):
    items: list[RepairSummary]
    next_cursor: str | None


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


class StaffSession(Answer, kw_only=True):
    id_token: str
    expires_in: Annotated[int, msgspec.Meta(description="Seconds")]
    username: str
    roles: list[Literal["coordinator", "repairer"]]


class CategoryStats(Answer, kw_only=True):
    category: str
    total: int
    fixed: int
    repairable: int
    end_of_life: int


class Impact(Answer, kw_only=True):
    kg_waste_avoided: float
    kg_co2e_avoided: float = msgspec.field(name="kgCo2eAvoided")
    source: str
    source_title: str
    source_licence: str
    source_date: Annotated[str, msgspec.Meta(extra_json_schema={"format": "date"})]
    source_url: str
    displacement_rate: Probability
    not_estimated: list[str]


class StatusCounts(Answer, kw_only=True):
    """Requests by status (the keys are the statuses as they are spelled)."""

    submitted: int
    accepted: int
    in_repair: int = msgspec.field(name="in_repair")
    fixed: int
    repairable: int
    end_of_life: int = msgspec.field(name="end_of_life")
    cancelled: int


class Stats(Answer, kw_only=True):
    by_status: StatusCounts
    by_category: list[CategoryStats]
    share_fixed: Probability
    impact: Impact


class ProductUpdate(ProductInput, kw_only=True):
    """A coordinator's edit of one category's advice (sent on to SmartRe with If-Match)."""


class ProductList(Answer, kw_only=True):
    items: list[Product]
