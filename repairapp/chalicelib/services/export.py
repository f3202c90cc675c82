"""Closed repairs as Open Repair Data Standard CSV (the columns of the partners' tableschema).

Only what the standard asks for leaves: no name, email or postcode, and ids are one-way
derivations of the repair id (the ORDS pattern ``<provider>-<digits>``), so the file cannot lead
back to a request. Free text a citizen typed (the brand) is defused against spreadsheet formula
injection. Cancelled requests have no repair outcome and are not exported. The records come from
the status index, page by page. A repair seen at a repair-café event (docs/events.md) carries
the event's group as ``group_identifier`` and its local date as ``event_date``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any

from chalicelib import resources
from chalicelib.events import event_date
from chalicelib.repairs import OUTCOME_OF
from repaircore.errors import PayloadTooLarge
from repaircore.vocabulary import category_id

COLUMNS = (
    "id",
    "data_provider",
    "country",
    "partner_product_category",
    "product_category",
    "product_category_id",
    "brand",
    "year_of_manufacture",
    "product_age",
    "repair_status",
    "repair_barrier_if_end_of_life",
    "group_identifier",
    "event_date",
    "problem",
)
DATA_PROVIDER = "RepairApp"
ID_PREFIX = "repairapp"
COUNTRY = "BEL"
# Lambda answers at most 6 MB; an ORDS row is ~150 bytes.
MAX_ROWS = 30_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    events: dict[str, dict[str, Any] | None] = {}  # each event read once
    for rows, item in enumerate(_closed_repairs(), start=1):
        if rows > MAX_ROWS:
            raise PayloadTooLarge(
                f"more than {MAX_ROWS} closed repairs: too many for one download",
                code="ExportTooLarge",
            )
        event_id = item.get("eventId")
        if event_id and event_id not in events:
            events[event_id] = resources.events().find(str(event_id))
        writer.writerow(ords_row(item, events.get(event_id) if event_id else None))
    return buffer.getvalue()


def _closed_repairs() -> Iterable[dict[str, Any]]:
    store = resources.repairs()
    for status in OUTCOME_OF:
        yield from store.all_with_status(status.value)


def ords_id(repair_id: str) -> str:
    digits = int.from_bytes(hashlib.sha256(repair_id.encode()).digest()[:8], "big")
    return f"{ID_PREFIX}-{digits}"


def ords_row(item: dict[str, Any], event: dict[str, Any] | None = None) -> list[str]:
    """One ORDS row; a repair seen at a repair-café event carries its group and date."""
    inputs = (item.get("analysis") or {}).get("inputs") or {}
    category = item.get("productCategory") or ""
    number = category_id(category) if category else None
    age = inputs.get("productAgeYears")
    known_age = isinstance(age, int | float) and not isinstance(age, bool)
    age_text = plain_number(age) if known_age else ""
    return [
        ords_id(str(item["repairId"])),
        DATA_PROVIDER,
        COUNTRY,
        category,
        category,
        str(number) if number is not None else "",
        _defused(str(inputs.get("brand") or "Unknown")),
        "",
        age_text,
        str(item.get("outcome") or ""),
        str(item.get("barrier") or ""),
        _defused(str(event["groupIdentifier"])) if event else DATA_PROVIDER,
        event_date(event) if event else iso_date(str(item.get("closedAt") or item["updatedAt"])),
        "",
    ]


def plain_number(value: Any) -> str:
    """A decimal without exponent notation (``0.00001``, not ``1e-05``) and no trailing zeros:
    Table Schema's ``number`` has no exponent in its default format, so ``1e-05`` breaks readers."""
    text = format(Decimal(repr(value)) if isinstance(value, float) else Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def iso_date(timestamp: str) -> str:
    """The calendar date (``YYYY-MM-DD``) of an ISO 8601 timestamp: ORDS ``event_date``."""
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).date().isoformat()


def _defused(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas (CSV injection): quote them."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
