"""The Open Repair Data vocabulary the SPA offers (categories, outcomes, barriers, languages)."""

from __future__ import annotations

from typing import Any

from repaircore.vocabulary import ALL_CATEGORIES, LANGUAGES, REPAIR_BARRIERS, REPAIR_OUTCOMES


def describe_vocabulary() -> dict[str, Any]:
    return {
        "categories": list(ALL_CATEGORIES),
        "outcomes": list(REPAIR_OUTCOMES),
        "barriers": list(REPAIR_BARRIERS),
        "languages": list(LANGUAGES),
    }
