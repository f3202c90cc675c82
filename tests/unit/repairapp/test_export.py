"""GET /api/export.csv: closed repairs in Open Repair Data columns, with no personal data."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from chalice.test import Client

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]


def _ords_columns(shared_data: Path) -> list[str]:
    schema_file = sorted(
        (shared_data / "open_repair_data" / "partners").glob("*/*/tableschema.json")
    )[0]
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return [f["name"] for f in schema["resources"][0]["schema"]["fields"]]


def _close(submit: Submit, patch_repair: Patch, status: str, **analysis: Any) -> dict[str, Any]:
    created = submit(**analysis)
    patch_repair(created["repairId"], status="accepted")
    patch_repair(created["repairId"], status="in_repair")
    extra = {"barrier": "No way to open product"} if status == "end_of_life" else {}
    assert patch_repair(created["repairId"], status=status, **extra).status_code == 200
    return created


def _export(client: Client, coordinator: dict[str, str]) -> tuple[Any, list[dict[str, str]]]:
    response = client.http.get("/api/export.csv", headers=coordinator)
    return response, list(csv.DictReader(io.StringIO(response.body.decode("utf-8"))))


def test_the_export_has_exactly_the_open_repair_data_columns(
    client: Client, coordinator: dict[str, str], shared_data: Path
) -> None:
    response = client.http.get("/api/export.csv", headers=coordinator)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    header = next(csv.reader(io.StringIO(response.body.decode("utf-8"))))
    assert header == _ords_columns(shared_data)


def test_closed_repairs_are_exported_in_the_standards_vocabulary(
    client: Client,
    coordinator: dict[str, str],
    submit: Submit,
    patch_repair: Patch,
    no_scans: None,
) -> None:
    # Given a fixed laptop, an end-of-life kettle, a cancelled and an open request
    _close(
        submit,
        patch_repair,
        "fixed",
        inputs={"productCategory": "Laptop", "brand": "Lenovo", "productAgeYears": 4},
    )
    _close(submit, patch_repair, "end_of_life", inputs={"productCategory": "Kettle"})
    _close(submit, patch_repair, "cancelled")
    submit()

    _, rows = _export(client, coordinator)

    by_status = {row["repair_status"]: row for row in rows}
    assert set(by_status) == {"Fixed", "End of life"}
    laptop = by_status["Fixed"]
    assert laptop["product_category"] == "Laptop"
    assert laptop["product_category_id"] == "16"
    assert laptop["brand"] == "Lenovo"
    assert laptop["product_age"] == "4"
    assert laptop["country"] == "BEL"
    assert laptop["data_provider"] == "RepairApp"
    assert laptop["id"].startswith("repairapp-")
    assert laptop["id"][10:].isdigit()
    kettle = by_status["End of life"]
    assert kettle["repair_barrier_if_end_of_life"] == "No way to open product"
    assert kettle["brand"] == "Unknown"
    assert kettle["product_age"] == ""
    assert len(laptop["event_date"]) == 10


def test_the_export_carries_no_personal_data_or_internal_ids(
    client: Client, coordinator: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    created = _close(submit, patch_repair, "fixed", inputs={"productCategory": "Laptop"})

    response, _ = _export(client, coordinator)

    text = response.body.decode("utf-8")
    for private in ("Mira", "mira.janssens@example.be", "9000", created["repairId"]):
        assert private not in text


def test_free_text_is_quoted_and_defused_against_formula_injection(
    client: Client, coordinator: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    _close(submit, patch_repair, "fixed", inputs={"brand": '=HYPERLINK("x"), "Acme"'})

    response, rows = _export(client, coordinator)

    assert rows[0]["brand"] == '\'=HYPERLINK("x"), "Acme"'
    assert '"\'=HYPERLINK(""x""), ""Acme"""' in response.body.decode("utf-8")
