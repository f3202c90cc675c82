"""Reading Open Repair Data partner files (ORDS v0.2.1 and v0.3) into plain records.

Both schema versions are accepted: v0.2.1 has no `product_age`, so the age is derived from
`year_of_manufacture` and the event year when both are plausible. The two spellings of the "No way
to open (the) product" barrier are merged.
"""

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

STATUSES = ("Fixed", "Repairable", "End of life")
PARTNERS_DIR = Path("open_repair_data") / "partners"
CATEGORIES_FILE = (
    Path("open_repair_data")
    / "aggregated"
    / "202507"
    / "OpenRepairData_v0.3_Product_Categories.csv"
)
UNPOWERED_FILE = (
    Path("open_repair_data") / "aggregated" / "202507" / "OpenRepairData_v0.3_unpowered_202507.csv"
)
_BARRIER_SPELLINGS = {"no way to open the product": "No way to open product"}


@dataclass(frozen=True)
class Record:
    id: str
    network: str
    category: str
    brand: str
    age_years: float | None
    status: str
    barrier: str
    date: str
    problem: str


def canonical_barrier(barrier: str) -> str:
    text = barrier.strip()
    return _BARRIER_SPELLINGS.get(text.casefold(), text)


def _number(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def record_age(row: dict[str, str]) -> float | None:
    age = _number(row.get("product_age"))
    if age is not None and 0 <= age <= 150:
        return age
    year = _number(row.get("year_of_manufacture"))
    event_year = _number((row.get("event_date") or "")[:4])
    if year is not None and event_year is not None and 1900 <= year <= event_year:
        return event_year - year
    return None


def read_records(path: Path, network: str | None = None) -> Iterator[Record]:
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield Record(
                id=row.get("id", ""),
                network=network or row.get("data_provider", ""),
                category=(row.get("product_category") or "").strip(),
                brand=(row.get("brand") or "").strip(),
                age_years=record_age(row),
                status=(row.get("repair_status") or "").strip(),
                barrier=canonical_barrier(row.get("repair_barrier_if_end_of_life") or ""),
                date=(row.get("event_date") or "").strip(),
                problem=(row.get("problem") or "").strip(),
            )


def partner_files(data_dir: Path) -> dict[str, Path]:
    """The newest file of each partner folder, by partner name."""
    files = {}
    for partner in sorted((data_dir / PARTNERS_DIR).iterdir()):
        csvs = sorted(partner.glob("*/*.csv"))
        if csvs:
            files[partner.name] = csvs[-1]
    return files


def labelled(records: Iterable[Record]) -> list[Record]:
    return [r for r in records if r.status in STATUSES]


def read_categories(data_dir: Path) -> list[str]:
    with (data_dir / CATEGORIES_FILE).open(encoding="utf-8", newline="") as handle:
        return [row["product_category"] for row in csv.DictReader(handle)]


def read_unpowered_counts(data_dir: Path) -> dict[str, dict[str, float]]:
    """Status counts per unpowered category, summed over data providers."""
    counts: dict[str, dict[str, float]] = {}
    with (data_dir / UNPOWERED_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["repair_status"] in STATUSES:
                per = counts.setdefault(row["product_category"], dict.fromkeys(STATUSES, 0.0))
                per[row["repair_status"]] += float(row["total"])
    return counts
