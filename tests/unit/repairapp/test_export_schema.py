"""The export validates against the Open Repair Data table schema, read with frictionless.

The schema is the Open Repair Alliance's own descriptor (``DATA_DIR``'s
``open_repair_data/aggregated/202507/tableschema.json``). It has errors of its own that stop any
Table Schema reader; the test corrects exactly these, and nothing about our data:

1. ``id``: ``"unique": "true"`` is a string; Table Schema wants the boolean ``true``.
2. ``country``: ``"minimum": "3"`` / ``"maximum": "3"`` are number bounds given as strings on a
   string field; what is meant is ``minLength``/``maxLength`` 3.
3. ``product_category_id``: a ``pattern`` constraint on an ``integer`` field (patterns are for
   strings only); the integer type already says it.
4. ``repair_status`` and ``repair_barrier_if_end_of_life``: ``enum`` is one string
   (``"[Fixed, Repairable, ...]"``) instead of a list of values.
5. ``event_date``: ``"format": "yyyy-mm-dd"`` is no Table Schema date format (they are
   ``default``, ``any`` or a strptime pattern); ``default`` is exactly ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

frictionless = pytest.importorskip("frictionless")

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]
RESOURCE = "OpenRepairData_v0.3_aggregate_202507.csv"


def _official_schema(shared_data: Path) -> dict[str, Any]:
    path = shared_data / "open_repair_data" / "aggregated" / "202507" / "tableschema.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == RESOURCE)
    schema: dict[str, Any] = resource["schema"]
    return schema


def _enum(text: str) -> list[str]:
    return [value.strip() for value in text.strip("[]").split(",")]


def corrected(schema: dict[str, Any]) -> dict[str, Any]:
    """The descriptor with its own five errors fixed (listed in the module docstring)."""
    fixed = copy.deepcopy(schema)
    fields = {field["name"]: field for field in fixed["fields"]}
    fields["id"]["constraints"]["unique"] = True  # 1
    country = fields["country"]["constraints"]  # 2
    del country["minimum"], country["maximum"]
    country.update(minLength=3, maxLength=3)
    del fields["product_category_id"]["constraints"]  # 3
    for name in ("repair_status", "repair_barrier_if_end_of_life"):  # 4
        constraints = fields[name]["constraints"]
        constraints["enum"] = _enum(constraints["enum"])
    fields["event_date"]["format"] = "default"  # 5
    return fixed


def _close(submit: Submit, patch_repair: Patch, status: str, **analysis: Any) -> None:
    created = submit(**analysis)
    patch_repair(created["repairId"], status="accepted")
    patch_repair(created["repairId"], status="in_repair")
    extra = {"barrier": "Spare parts not available"} if status == "end_of_life" else {}
    assert patch_repair(created["repairId"], status=status, **extra).status_code == 200


def test_the_descriptor_as_published_cannot_be_used_as_it_is(shared_data: Path) -> None:
    # Guards the list above: if the Alliance fixes its descriptor, the corrections must go.
    report = frictionless.Schema.validate_descriptor(_official_schema(shared_data))
    assert not report.valid


def test_an_export_validates_against_the_open_repair_data_schema(
    client: Client,
    coordinator: dict[str, str],
    submit: Submit,
    patch_repair: Patch,
    shared_data: Path,
    tmp_path: Path,
) -> None:
    # Given closed repairs with ages that a naive float format writes with an exponent
    _close(
        submit,
        patch_repair,
        "fixed",
        inputs={"productCategory": "Laptop", "brand": "Lenovo", "productAgeYears": 0.00001},
    )
    _close(submit, patch_repair, "repairable", inputs={"productAgeYears": 12.5})
    _close(submit, patch_repair, "end_of_life", inputs={"productCategory": "Kettle"})
    schema = corrected(_official_schema(shared_data))
    assert frictionless.Schema.validate_descriptor(schema).valid

    # When a coordinator exports them
    response = client.http.get("/api/export.csv", headers=coordinator)
    assert response.status_code == 200
    path = tmp_path / "export.csv"
    path.write_bytes(response.body)

    # Then every row and cell reads as the schema means it
    resource = frictionless.Resource(
        path=path.name, basepath=str(tmp_path), schema=frictionless.Schema.from_descriptor(schema)
    )
    report = frictionless.validate(resource)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = resource.read_rows()
    assert len(rows) == 3
    ages = sorted(row["product_age"] for row in rows if row["product_age"] is not None)
    assert [float(age) for age in ages] == [0.00001, 12.5]
    assert "e-" not in response.body.decode("utf-8")
