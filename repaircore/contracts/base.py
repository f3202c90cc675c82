"""The two kinds of body: a request (closed, validated) and an answer (documented, open)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar, Literal, get_args

import msgspec

from repaircore.vocabulary import (
    ALL_CATEGORIES,
    LANGUAGES,
    REPAIR_BARRIERS,
    REPAIR_OUTCOMES,
    RepairOutcome,
)


class Request(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A request body. ``error_codes`` gives a field's format or value failure its own ``Code``
    (e.g. ``imageId`` → ``InvalidImageId``) instead of ``InvalidFormat``/``InvalidValue``."""

    error_codes: ClassVar[Mapping[str, str]] = {}


class Answer(msgspec.Struct, kw_only=True, rename="camel"):
    """An answer body: what the server sends (only ever encoded, never decoded)."""


Probability = Annotated[float, msgspec.Meta(ge=0, le=1)]
Timestamp = Annotated[str, msgspec.Meta(extra_json_schema={"format": "date-time"})]
# Categories and barriers are matched case-insensitively (and barriers by known variants), so a
# request documents them as text; answers always carry the standard spelling.
CategoryName = Annotated[
    str, msgspec.Meta(max_length=100, description="An Open Repair Data category (any case)")
]
BarrierName = Annotated[
    str, msgspec.Meta(max_length=100, description="An Open Repair Data barrier (any case)")
]
Outcome = RepairOutcome
# The standard's spellings as text (answers that list the vocabulary).
CategoryValue = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(ALL_CATEGORIES)})]
OutcomeValue = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(REPAIR_OUTCOMES)})]
Barrier = Annotated[str, msgspec.Meta(extra_json_schema={"enum": list(REPAIR_BARRIERS)})]
Language = Literal["nl", "fr", "en", "de"]
if get_args(Language) != LANGUAGES:  # pragma: no cover - fails at import when they drift
    raise RuntimeError("contracts.Language and vocabulary.LANGUAGES differ")


class Error(Answer, kw_only=True):
    """Every error: ``Code`` is specific and stable (e.g. ``InvalidPostcode``); ``Message`` is
    for people and never holds personal data."""

    code: str = msgspec.field(name="Code")
    message: str = msgspec.field(name="Message")
