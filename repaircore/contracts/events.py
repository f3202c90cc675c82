"""Repair-café events: the dated sessions visitors book a seat at, and the table work done there.

("Events", ORDS's word — ``group_identifier``, ``event_date`` — because ``/api/staff/sessions``
already means a staff sign-in.) An event's times are ISO 8601 with their UTC offset; the SPA shows
them in Europe/Brussels time. The requests and value types; the answers are in ``contracts.answers``
(off the Lambdas' import path).
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

import msgspec

from repaircore.contracts.base import (
    CategoryName,
    Language,
    Request,
)

SKILLS = ("electrical", "textile", "bicycles", "computers", "mechanical", "other")
Skill = Literal["electrical", "textile", "bicycles", "computers", "mechanical", "other"]
EVENT_ID_PATTERN = "^ev_[A-Za-z0-9_-]{22}$"
REPAIR_ID_PATTERN = "^rp_[A-Za-z0-9_-]{22}$"
# A date-time with an explicit offset (2026-05-02T14:00:00+02:00 or ...Z): never a local time
# whose zone is a guess.
_LOCAL_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
OFFSET_TIME_PATTERN = f"^{_LOCAL_TIME}(Z|[+-][0-9]{{2}}:[0-9]{{2}})$"
EventTime = Annotated[
    str,
    msgspec.Meta(
        max_length=40,
        pattern=OFFSET_TIME_PATTERN,
        extra_json_schema={"format": "date-time"},
        description="ISO 8601 with its offset, e.g. 2026-05-02T14:00:00+02:00",
    ),
]
Postcode = Annotated[
    str, msgspec.Meta(max_length=4, pattern="^[0-9]{4}$", description="Belgian: 1000-9992")
]
EventId = Annotated[str, msgspec.Meta(max_length=40, pattern=EVENT_ID_PATTERN)]
RepairId = Annotated[str, msgspec.Meta(max_length=40, pattern=REPAIR_ID_PATTERN)]
Capacity = Annotated[int, msgspec.Meta(ge=1, le=500, description="Seats for booked visitors")]
ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
BookingStatus = Literal["booked", "checkedIn", "cancelled"]
RepairStatusValue = Annotated[
    str,
    msgspec.Meta(
        extra_json_schema={
            "enum": [
                "submitted",
                "accepted",
                "in_repair",
                "fixed",
                "repairable",
                "end_of_life",
                "cancelled",
            ]
        }
    ),
]


# --- requests ---------------------------------------------------------------------------------
class EventInput(Request, kw_only=True):
    """A coordinator's new event (``POST /api/staff/events``)."""

    group_identifier: Annotated[
        str,
        msgspec.Meta(
            min_length=1, max_length=100, description="The repair group (ORDS group_identifier)"
        ),
    ]
    place: ShortText
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
    postcode: Postcode
    starts_at: EventTime
    ends_at: EventTime
    capacity: Capacity
    categories: Annotated[list[CategoryName], msgspec.Meta(min_length=1, max_length=60)]
    skills: Annotated[list[Skill], msgspec.Meta(max_length=6)] = msgspec.field(default_factory=list)

    error_codes: ClassVar = {
        "postcode": "InvalidPostcode",
        "startsAt": "InvalidTime",
        "endsAt": "InvalidTime",
        "skills": "UnknownSkill",
    }


class EventChange(Request, kw_only=True):
    """A coordinator's edit (``PATCH /api/staff/events/{eventId}`` with If-Match): any subset."""

    group_identifier: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    place: ShortText | None = None
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | None = None
    postcode: Postcode | None = None
    starts_at: EventTime | None = None
    ends_at: EventTime | None = None
    capacity: Capacity | None = None
    categories: Annotated[list[CategoryName], msgspec.Meta(min_length=1, max_length=60)] | None = (
        None
    )
    skills: Annotated[list[Skill], msgspec.Meta(max_length=6)] | None = None

    error_codes: ClassVar = EventInput.error_codes


class BookingRequest(Request, kw_only=True):
    """Book or move a repair's seat (``PUT /api/repairs/{repairId}/booking``)."""

    event_id: EventId

    error_codes: ClassVar = {"eventId": "InvalidEventId"}


class CheckinRequest(Request, kw_only=True):
    repair_id: RepairId

    error_codes: ClassVar = {"repairId": "InvalidRepairId"}


class WalkInRequest(Request, kw_only=True):
    """A visitor who arrives without a booking: created and checked in at once."""

    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    product_category: CategoryName | None = None
    image_id: (
        Annotated[str, msgspec.Meta(max_length=40, pattern="^img_[A-Za-z0-9_-]{22}$")] | None
    ) = None
    language: Language

    error_codes: ClassVar = {
        "imageId": "InvalidImageId",
        "language": "UnknownLanguage",
    }
