"""The constants are the Open Repair Data Standard, checked against the published files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from repaircore.vocabulary import (
    ALL_CATEGORIES,
    PRODUCT_CATEGORIES,
    REPAIR_BARRIERS,
    REPAIR_OUTCOMES,
    UNPOWERED_CATEGORIES,
    canonical_barrier,
    canonical_category,
    category_id,
)


def AGGREGATE(data: Path) -> Path:
    return data / "open_repair_data/aggregated/202507"


def test_product_categories_match_the_published_list_and_ids(shared_data: Path) -> None:
    path = AGGREGATE(shared_data) / "OpenRepairData_v0.3_Product_Categories.csv"
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))

    assert len(PRODUCT_CATEGORIES) == 40
    assert {int(r["product_category_id"]): r["product_category"] for r in rows} == {
        category_id(c): c for c in PRODUCT_CATEGORIES
    }


def test_unpowered_categories_match_the_aggregate_file(shared_data: Path) -> None:
    path = AGGREGATE(shared_data) / "OpenRepairData_v0.3_unpowered_202507.csv"
    with path.open(encoding="utf-8") as f:
        seen = {r["product_category"] for r in csv.DictReader(f)}
    assert seen == set(UNPOWERED_CATEGORIES)


def test_statuses_and_barriers_match_the_partner_table_schema(shared_data: Path) -> None:
    schema_path = next((shared_data / "open_repair_data/partners").glob("*/*/tableschema.json"))
    fields = {
        f["name"]: f
        for f in json.loads(schema_path.read_text())["resources"][0]["schema"]["fields"]
    }

    statuses = _enum(fields["repair_status"])
    barriers = _enum(fields["repair_barrier_if_end_of_life"])

    assert [s for s in statuses if s != "Unknown"] == list(REPAIR_OUTCOMES)
    assert barriers == list(REPAIR_BARRIERS)


def _enum(field: dict[str, object]) -> list[str]:
    # The partner schemas write the enum as one string: "[Fixed, Repairable, ...]".
    raw = field["constraints"]["enum"]  # type: ignore[index]
    return [part.strip() for part in str(raw).strip("[]").split(",")]


def test_known_barrier_spellings_are_merged() -> None:
    assert canonical_barrier("No way to open the product") == "No way to open product"
    assert canonical_barrier("  no way to open   PRODUCT ") == "No way to open product"
    assert canonical_barrier("Too worn out") == "Too worn out"
    assert canonical_barrier("Item too worn out") == "Too worn out"
    assert canonical_barrier("Broken beyond belief") is None


def test_categories_match_case_insensitively_and_unknown_ones_do_not() -> None:
    assert canonical_category("kettle") == "Kettle"
    assert canonical_category("unpowered - textile") == "Unpowered - Textile"
    assert canonical_category("Spaceship") is None
    assert category_id("Unpowered - Textile") is None
    assert len(set(ALL_CATEGORIES)) == 46
