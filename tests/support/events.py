"""The body of a coordinator's new repair-café event, for tests at every tier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from repaircore.vocabulary import PRODUCT_CATEGORIES


def event_body(days: float = 7, **overrides: Any) -> dict[str, Any]:
    """An event ``days`` from now in Leuven, three hours long, taking every category."""
    starts = (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)
    body: dict[str, Any] = {
        "groupIdentifier": "Repair Café Leuven",
        "place": "Parochiezaal",
        "address": "Naamsestraat 1",
        "postcode": "3000",
        "startsAt": starts.isoformat(),
        "endsAt": (starts + timedelta(hours=3)).isoformat(),
        "capacity": 10,
        "categories": list(PRODUCT_CATEGORIES),
    }
    body.update(overrides)
    return body
