"""A coordinator edits a category's advice on the local stack and the next triage shows it.

RepairApp (chalice local) calls the real SmartRe's ``PUT /api/products/{id}`` with ``If-Match``;
the triage runs the real workflow, whose Lambdas are other processes than the API that saved.
"""

from __future__ import annotations

from typing import Any

from tests.integration.repairapp.conftest import RepairApp
from tests.support.http import Reply, call


def put(repairapp: RepairApp, path: str, body: Any, **headers: str) -> Reply:
    return call("PUT", repairapp.base + path, body, headers)


def editable(product: dict[str, Any]) -> dict[str, Any]:
    return {k: product[k] for k in ("category", "name", "typicalRepair", "commonFaults")}


def test_the_next_triage_shows_the_advice_a_coordinator_saved(repairapp: RepairApp) -> None:
    staff = repairapp.sign_in("coordinator")
    listed = repairapp.get("/api/staff/products", **staff)
    assert listed.status == 200, listed.data
    toaster = next(p for p in listed.json["items"] if p["category"] == "Toaster")
    path = f"/api/staff/products/{toaster['productId']}"
    changed = editable(toaster)
    changed["commonFaults"] = {**changed["commonFaults"], "nl": ["Hendel blijft niet omlaag"]}

    try:
        saved = put(repairapp, path, changed, **staff, **{"If-Match": f'"{toaster["version"]}"'})
        assert saved.status == 200, saved.data
        assert saved.headers["etag"] == f'"{toaster["version"] + 1}"'

        triage = repairapp.triage(
            {
                "description": "Mijn broodrooster werkt niet meer",
                "productCategory": "Toaster",
                "language": "nl",
            }
        )
        assert triage.status == 201, triage.data
        advice = triage.json["advice"]
        assert advice["commonFaults"] == ["Hendel blijft niet omlaag"]
        assert advice["translations"]["nl"]["commonFaults"] == ["Hendel blijft niet omlaag"]
        assert advice["translations"]["en"]["commonFaults"] == toaster["commonFaults"]["en"]
    finally:
        current = repairapp.get(path, **staff)
        restored = put(
            repairapp, path, editable(toaster), **staff, **{"If-Match": current.headers["etag"]}
        )
        assert restored.status == 200, restored.data


def test_a_second_coordinator_saving_on_an_old_version_gets_412(repairapp: RepairApp) -> None:
    staff = repairapp.sign_in("coordinator")
    listed = repairapp.get("/api/staff/products", **staff)
    kettle = next(p for p in listed.json["items"] if p["category"] == "Kettle")
    path = f"/api/staff/products/{kettle['productId']}"
    old = {"If-Match": f'"{kettle["version"]}"'}

    first = put(repairapp, path, editable(kettle), **staff, **old)
    second = put(repairapp, path, {**editable(kettle), "name": {"en": "Lost"}}, **staff, **old)

    assert first.status == 200, first.data
    assert second.status == 412
    assert second.json["Code"] == "PreconditionFailed"
    assert repairapp.get(path, **staff).json["name"]["en"] == kettle["name"]["en"]


def test_a_repairer_cannot_edit_the_advice(repairapp: RepairApp) -> None:
    staff = repairapp.sign_in("repairer")

    response = repairapp.get("/api/staff/products", **staff)

    assert response.status == 403
    assert response.json["Code"] == "Forbidden"
