"""Every answer body of both APIs: what the servers send, declared for the OpenAPI documents.

The Lambdas never import this module: they encode answers as plain dicts, and only the requests
they decode are on their import path (``analyses``, ``smartre``, ``repairapp``), so a cold start
does not build these ~40 Structs. ``repaircore.openapi`` and each app's ``chalicelib/openapi.py``
turn them into ``components/schemas``; the tests check every response against those documents.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from repaircore.contracts.analyses import ANALYSIS_ID_PATTERN, ImageId
from repaircore.contracts.base import Answer, Language, Outcome
from repaircore.contracts.events import BookingStatus, EventTime, RepairStatusValue, Skill
from repaircore.contracts.repairapp import RepairStatus
from repaircore.vocabulary import ALL_CATEGORIES, REPAIR_BARRIERS, REPAIR_OUTCOMES

Probability = Annotated[float, msgspec.Meta(ge=0, le=1)]
Timestamp = Annotated[str, msgspec.Meta(extra_json_schema={"format": "date-time"})]
# The standard's spellings as text (answers that list the vocabulary).
CategoryValue = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(ALL_CATEGORIES)})]
OutcomeValue = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(REPAIR_OUTCOMES)})]
Barrier = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(REPAIR_BARRIERS)})]


class Error(Answer, kw_only=True):
    """Every error: ``Code`` is specific and stable (e.g. ``InvalidPostcode``); ``Message`` is
    for people and never holds personal data."""

    code: str = msgspec.field(name="Code")
    message: str = msgspec.field(name="Message")


# --- uploads and the analysis (SmartRe's, and RepairApp's triage) -------------------------------
class Upload(Answer, kw_only=True):
    image_id: ImageId
    url: Annotated[str, msgspec.Meta(description="POST the form here (S3)")]
    fields: dict[str, str]
    max_bytes: int
    expires_at: Timestamp


class ImageLink(Answer, kw_only=True):
    """A short-lived link to view a photo (staff only, through RepairApp)."""

    image_id: ImageId
    url: Annotated[str, msgspec.Meta(description="A presigned GET, valid until expiresAt")]
    expires_at: Timestamp
    deleted_after: Annotated[
        Timestamp, msgspec.Meta(description="When the photo's 7-day retention ends")
    ]


class Confidence(Answer, kw_only=True):
    label: str
    confidence: Probability


class ProductCategory(Answer, kw_only=True):
    label: str | None
    confidence: Probability
    recognised: bool
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)]


class CategoryFromText(Answer, kw_only=True):
    """The item the description names, over every Open Repair Data category."""

    label: str
    confidence: Probability
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)]


class OutcomePrediction(Answer, kw_only=True):
    fixed: Probability
    repairable: Probability
    end_of_life: Probability
    predicted: Outcome


class BarrierPrediction(Answer, kw_only=True):
    """The most likely barrier if the item ends its life: P(barrier | End of life), given
    whatever the outcome; ``top3`` lists the three most likely."""

    label: str
    confidence: Probability
    top3: Annotated[list[Confidence], msgspec.Meta(max_length=3)] | msgspec.UnsetType = (
        msgspec.UNSET
    )


class SafetyText(Answer, kw_only=True):
    message: str
    advice: str


class SafetyWarning(Answer, kw_only=True):
    code: str
    severity: Literal["danger", "warning"]
    message: str
    advice: str
    translations: (
        Annotated[
            dict[Language, SafetyText],
            msgspec.Meta(description="message and advice in every UI language"),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET


class AdviceText(Answer, kw_only=True):
    name: str
    typical_repair: str
    common_faults: list[str]


class Advice(Answer, kw_only=True):
    product_id: str
    category: str
    name: str
    typical_repair: str
    common_faults: list[str]
    translations: (
        Annotated[
            dict[Language, AdviceText],
            msgspec.Meta(description="the same advice in every UI language"),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET


class SimilarRecord(Answer, kw_only=True):
    """One real past repair from Open Repair Data (CC BY-SA 4.0)."""

    year: int | None
    network: str
    category: str
    brand: str | None
    problem: str
    outcome: Outcome
    barrier: str | None
    similarity: float | msgspec.UnsetType = msgspec.UNSET


class BarrierShare(Answer, kw_only=True):
    label: str
    share: Probability


class SimilarRepairs(Answer, kw_only=True):
    """What past repairs of this category did, and the five most like this one."""

    category: str
    record_count: Annotated[int, msgspec.Meta(ge=0)]
    fixed: Probability
    repairable: Probability
    end_of_life: Probability
    top_barriers: list[BarrierShare]
    records: Annotated[list[SimilarRecord], msgspec.Meta(max_length=5)]
    attribution: str


class MissingPart(Answer, kw_only=True):
    part: str
    reason: str


class AnalysisInputs(Answer, kw_only=True):
    """The request as SmartRe read it: what a re-run with a picked category sends again."""

    image_id: str | None
    description: str | None
    product_category: str | None
    brand: str | None
    product_age_years: float | None
    language: str


class UnadaptedOutcome(Answer, kw_only=True):
    fixed: Probability
    repairable: Probability
    end_of_life: Probability


class Unadapted(Answer, kw_only=True):
    """The outcome model's answer before this deployment's adaptation state
    (``modelVersions.adaptation``), for ``category``; a feedback label adds it to the state."""

    category: str | None
    outcome: UnadaptedOutcome
    barriers: dict[str, Probability]


class Analysis(Answer, kw_only=True):
    """SmartRe's merged answer; ``outcome`` is null in a partial answer whose text branch
    failed, and ``missing`` says which part is missing and why."""

    analysis_id: Annotated[str, msgspec.Meta(pattern=ANALYSIS_ID_PATTERN)]
    product_category: ProductCategory | None
    category_from_text: CategoryFromText | msgspec.UnsetType | None = msgspec.UNSET
    outcome: OutcomePrediction | None
    barrier: BarrierPrediction | None
    safety_warnings: list[SafetyWarning]
    advice: Advice | None
    similar_repairs: SimilarRepairs | msgspec.UnsetType | None = msgspec.UNSET
    partial: bool
    missing: list[MissingPart]
    model_versions: dict[str, str | None]
    inputs: AnalysisInputs
    unadapted: Unadapted | msgspec.UnsetType | None = msgspec.UNSET
    timings: dict[str, Any] | msgspec.UnsetType = msgspec.UNSET
    requested_at: str | msgspec.UnsetType = msgspec.UNSET
    created_at: Timestamp


class TriageAnswer(Analysis, kw_only=True):
    """RepairApp's triage answer: SmartRe's analysis plus the token to read it again."""

    analysis_token: (
        Annotated[
            str,
            msgspec.Meta(
                description="Only in the triage answer: send it as X-Analysis-Token to read this "
                "analysis again"
            ),
        ]
        | msgspec.UnsetType
    ) = msgspec.UNSET


# --- SmartRe's other answers: health, feedback labels, the catalogue ----------------------------
class Health(Answer, kw_only=True):
    service: str
    version: str
    ok: bool
    checks: dict[str, str]


class SmartReHealth(Health, kw_only=True):
    service: Literal["smartre"]


class Feedback(Answer, kw_only=True):
    analysis_id: str
    label_id: str
    created_at: str
    truth: dict[str, Any]
    predicted: dict[str, Any]


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


# --- RepairApp's: repair requests, tracking, the staff queue, sign-in, statistics --------------
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


class ProductList(Answer, kw_only=True):
    items: list[Product]


# --- events ------------------------------------------------------------------------------------
class Event(Answer, kw_only=True):
    event_id: str
    group_identifier: str
    place: str
    address: str
    postcode: str
    starts_at: EventTime
    ends_at: EventTime
    capacity: int
    seats_left: Annotated[int, msgspec.Meta(ge=0)]
    categories: list[CategoryValue]
    skills: list[Skill]
    distance_km: (
        Annotated[float, msgspec.Meta(ge=0, description="Only with ?postcode=")] | msgspec.UnsetType
    ) = msgspec.UNSET


class StaffEvent(Event, kw_only=True):
    booked: Annotated[int, msgspec.Meta(ge=0)]
    checked_in: Annotated[int, msgspec.Meta(ge=0)]
    version: Annotated[int, msgspec.Meta(ge=1)]
    created_at: Timestamp
    updated_at: Timestamp


class EventList(Answer, kw_only=True):
    items: list[Event]


class StaffEventList(Answer, kw_only=True):
    items: list[StaffEvent]


class Booking(Answer, kw_only=True):
    """A repair's seat at an event, as its tracking page shows it."""

    event_id: str
    place: str
    address: str
    starts_at: EventTime
    ends_at: EventTime
    status: BookingStatus
    ticket: Annotated[int, msgspec.Meta(ge=1)] | msgspec.UnsetType = msgspec.UNSET


class EventItem(Answer, kw_only=True):
    """One item at an event: what the prepare sheet and the table show."""

    repair_id: str
    status: RepairStatusValue
    booking_status: BookingStatus
    ticket: Annotated[int, msgspec.Meta(ge=1)] | msgspec.UnsetType = msgspec.UNSET
    product_category: str | None
    description: str | msgspec.UnsetType = msgspec.UNSET
    likely_outcome: str | msgspec.UnsetType = msgspec.UNSET
    likely_barrier: str | msgspec.UnsetType = msgspec.UNSET
    similar_repairs: (
        Annotated[SimilarRepairs, msgspec.Meta(description="From the triage, when it had them")]
        | msgspec.UnsetType
    ) = msgspec.UNSET
    has_photo: bool
    claimed_by: str | msgspec.UnsetType = msgspec.UNSET
    version: Annotated[int, msgspec.Meta(ge=1)]
    hints: list[str]


class EventItems(Answer, kw_only=True):
    event: StaffEvent
    items: list[EventItem]
    hints: Annotated[list[str], msgspec.Meta(description="Parts and tools for the whole event")]


class EventSummary(Answer, kw_only=True):
    event: StaffEvent
    seen: int
    fixed: int
    repairable: int
    end_of_life: int
    no_outcome: int
    barriers: dict[str, int]
    open_items: list[str]
