"""The two kinds of body: a request (closed, validated) and an answer (documented, open), and
the types requests share."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar, Literal, get_args

import msgspec

from repaircore.vocabulary import LANGUAGES, RepairOutcome


class Request(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """A request body. ``error_codes`` gives a field's format or value failure its own ``Code``
    (e.g. ``imageId`` → ``InvalidImageId``) instead of ``InvalidFormat``/``InvalidValue``;
    ``malformed_codes`` gives one ``Code`` to every failure of a field's value or anything in it
    (wrong type, too long, too many items), except an unknown or missing key."""

    error_codes: ClassVar[Mapping[str, str]] = {}
    malformed_codes: ClassVar[Mapping[str, str]] = {}


class Answer(msgspec.Struct, kw_only=True, rename="camel"):
    """An answer body: what the server sends (only ever encoded, never decoded)."""


# Categories and barriers are matched case-insensitively (and barriers by known variants), so a
# request documents them as text; answers always carry the standard spelling.
CategoryName = Annotated[
    str, msgspec.Meta(max_length=100, description="An Open Repair Data category (any case)")
]
BarrierName = Annotated[
    str, msgspec.Meta(max_length=100, description="An Open Repair Data barrier (any case)")
]
Outcome = RepairOutcome
Language = Literal["nl", "fr", "en", "de"]
if get_args(Language) != LANGUAGES:  # pragma: no cover - fails at import when they drift
    raise RuntimeError("contracts.Language and vocabulary.LANGUAGES differ")
