"""`python -m training.labels export --stage STAGE --out labels.csv`: SmartRe's feedback labels
as an Open Repair Data (v0.3 columns) CSV, for `make train LABELS=labels.csv`.

Reads the labels table's ``by-kind`` index (never a scan) with boto3, so it works against AWS
and, after ``source .localaws/emulator/env``, against the embedded emulator. Only labels with an
outcome become rows. The category is the repairer's correction, else the one the person chose, else
the photo's; the problem text, brand and age are the analysis inputs stored with the label.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from infra.definition import DEFAULT_REGION, Stage
from repaircore import clients
from repaircore.tables import Table

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
KIND = "feedback"


def stored_labels(table: Table) -> Iterator[dict[str, Any]]:
    cursor = None
    while True:
        page = table.query(partition=("kind", KIND), index="by-kind", limit=500, cursor=cursor)
        yield from page.items
        if not page.next_cursor:
            return
        cursor = page.next_cursor


def ords_row(label: Mapping[str, Any], provider: str) -> dict[str, str] | None:
    truth = label.get("truth") or {}
    if not truth.get("outcome"):
        return None
    inputs = label.get("inputs") or {}
    predicted = label.get("predicted") or {}
    category = (
        truth.get("productCategory")
        or inputs.get("productCategory")
        or predicted.get("productCategory")
        or ""
    )
    age = inputs.get("productAgeYears")
    return {
        "id": str(label["labelId"]),
        "data_provider": provider,
        "country": "",
        "partner_product_category": category,
        "product_category": category,
        "product_category_id": "",
        "brand": inputs.get("brand") or "",
        "year_of_manufacture": "",
        "product_age": "" if age is None else str(age),
        "repair_status": truth["outcome"],
        "repair_barrier_if_end_of_life": truth.get("barrier") or "",
        "group_identifier": str(label.get("source") or ""),
        "event_date": str(label.get("createdAt", ""))[:10],
        "problem": inputs.get("description") or "",
    }


def export(stage: str, out: Path, region: str | None = None) -> int:
    spec = Stage(stage, account="", region=region or DEFAULT_REGION)
    table = Table(clients.client("dynamodb"), spec.labels_table.name, ("analysisId", "labelId"))
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for label in stored_labels(table):
            row = ords_row(label, f"SmartRe {stage}")
            if row is not None:
                writer.writerow(row)
                count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    export_parser = commands.add_parser("export", help="write the stored labels as an ORDS CSV")
    export_parser.add_argument("--stage", required=True)
    export_parser.add_argument("--out", type=Path, required=True)
    export_parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    count = export(args.stage, args.out, args.region)
    print(f"exported {count} labels to {args.out}")


if __name__ == "__main__":
    main()
