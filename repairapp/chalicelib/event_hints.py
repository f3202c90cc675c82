"""Parts and tools to bring, per item and per event: looked up in ``data/event_hints.json``.

The table is keyed by Open Repair Data category and by the triage's likely barrier; nothing
here decides what to bring, so volunteers can edit the file without touching code.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HINTS_FILE = Path(__file__).resolve().parent / "data" / "event_hints.json"


@functools.cache
def _table() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(HINTS_FILE.read_text(encoding="utf-8"))
    return loaded


def for_item(category: str | None, barrier: str | None) -> list[str]:
    """What this item may need: its category's parts, then its likely barrier's."""
    table = _table()
    found = [
        *table["categories"].get(category or "", []),
        *table["barriers"].get(barrier or "", []),
    ]
    return list(dict.fromkeys(found))


def for_event(items: Iterable[list[str]]) -> list[str]:
    """The whole event's list: the basics, then every item's hints once, in order of need."""
    counts: dict[str, int] = {}
    for hints in items:
        for hint in hints:
            counts[hint] = counts.get(hint, 0) + 1
    ranked = sorted(counts, key=lambda hint: -counts[hint])
    return list(dict.fromkeys([*_table()["always"], *ranked]))
