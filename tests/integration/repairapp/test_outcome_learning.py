"""The learning loop on the local stack: closed repairs teach SmartRe, online and by retraining.

Repairs closed in RepairApp become labels in SmartRe; the very next triage is corrected by them
(and records the adaptation state it used); the labels export as an Open Repair Data CSV; the
real training code refits the outcome model on a sample of the partner data plus that export;
the retrained model is redeployed to the emulator's Lambda functions and the next analysis is
served, and recorded, with its version.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import random
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from localaws.deploy_local import deploy_lambda_functions
from localaws.stack import REPO_ROOT, LocalStack
from tests.integration.repairapp.conftest import RepairApp

DESCRIPTION = "Laptop does not start, the charger light stays off."
CLOSED = 6
DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()


def _triage(repairapp: RepairApp) -> dict[str, Any]:
    reply = repairapp.triage(
        {"description": DESCRIPTION, "productCategory": "Laptop", "language": "en"}
    )
    assert reply.status == 201, reply.data
    return dict(reply.json)


def _close_as_end_of_life(repairapp: RepairApp, staff: dict[str, str]) -> None:
    analysis = _triage(repairapp)
    created = repairapp.submit(analysis["analysisId"])
    assert created.status == 201, created.data
    repair_id = created.json["repairId"]
    version = 1
    for change in (
        {"status": "accepted"},
        {"status": "in_repair"},
        {"status": "end_of_life", "barrier": "Spare parts not available"},
    ):
        reply = repairapp.patch(
            f"/api/repairs/{repair_id}", change, **staff, **{"If-Match": str(version)}
        )
        assert reply.status == 200, reply.data
        version = reply.json["version"]
    assert reply.json["feedbackStatus"] == "sent"


def _state_max_age() -> float:
    """SmartRe's STATE_MAX_AGE_SECONDS (its `chalicelib` cannot be imported beside RepairApp's)."""
    path = REPO_ROOT / "smartre" / "chalicelib" / "label_store.py"
    spec = importlib.util.spec_from_file_location("smartre_label_store", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return float(module.STATE_MAX_AGE_SECONDS)


def _labels_in_use(analysis: dict[str, Any]) -> int:
    return int(analysis["modelVersions"]["adaptation"].removeprefix("labels-"))


def _retrain(labels_csv: Path, out: Path) -> str:
    """The real training code on a sample of the partner data plus the exported labels."""
    # Training imports SmartRe's inference code as `chalicelib`, as `make train` runs it
    # (PYTHONPATH=smartre); this process never imports RepairApp's.
    if str(REPO_ROOT / "smartre") not in sys.path:
        sys.path.insert(0, str(REPO_ROOT / "smartre"))
    from training.ords import (
        labelled,
        partner_files,
        read_categories,
        read_records,
        read_unpowered_counts,
    )
    from training.outcome_training import save_outcome_model, train_outcome_model
    from training.train import _digest

    records = []
    for network, path in partner_files(DATA_DIR).items():
        rows = labelled(read_records(path, network))
        records += random.Random(7).sample(rows, min(300, len(rows)))
    records += labelled(read_records(labels_csv, "labels:" + labels_csv.stem))
    model, _ = train_outcome_model(
        records,
        read_categories(DATA_DIR),
        read_unpowered_counts(DATA_DIR),
        "pending",
        run_evaluation=False,
    )
    model.version = "outcome-" + _digest(model.coef, model.barrier_coef)
    save_outcome_model(model, out / "outcome_model.npz")
    return model.version


def _deploy(project: Path, stack: LocalStack) -> None:
    assert stack.emulator is not None
    deploy_lambda_functions(
        project, "local", stack.emulator.endpoint_url, stack.emulator.credentials
    )


@pytest.mark.skipif(
    not (DATA_DIR / "open_repair_data").is_dir(), reason=f"no Open Repair Data in {DATA_DIR}"
)
def test_closed_repairs_teach_the_next_triage_and_a_retrained_model_is_served(
    repairapp: RepairApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the triage of a laptop before this deployment has seen its repairs end
    staff = repairapp.sign_in("coordinator")
    before = _triage(repairapp)

    # When repairers close laptops as end of life
    for _ in range(CLOSED):
        _close_as_end_of_life(repairapp, staff)
    # (assess_repair's container reuses the state it read for this long: the documented staleness)
    time.sleep(_state_max_age())

    # Then the next triage uses those labels and says End of life more often
    after = _triage(repairapp)
    assert _labels_in_use(after) >= _labels_in_use(before) + CLOSED
    assert after["outcome"]["endOfLife"] > before["outcome"]["endOfLife"]
    assert after["barrier"]["top3"][0]["label"] == after["barrier"]["label"]

    # When the labels are exported as Open Repair Data and the model is retrained on them
    from repaircore import clients
    from training.labels import main as labels_main

    monkeypatch.setenv("AWS_ENDPOINT_URL", stack_endpoint(repairapp.stack))
    clients.reset()
    exported = tmp_path / "labels.csv"
    try:
        labels_main(["export", "--stage", "local", "--out", str(exported)])
    finally:
        clients.reset()
    rows = list(csv.DictReader(exported.open(encoding="utf-8")))
    laptops = [r for r in rows if r["product_category"] == "Laptop"]
    assert sum(r["repair_status"] == "End of life" for r in laptops) >= CLOSED
    assert all(r["problem"] == DESCRIPTION for r in laptops if r["repair_status"] == "End of life")

    project = tmp_path / "smartre"
    shutil.copytree(
        REPO_ROOT / "smartre",
        project,
        ignore=shutil.ignore_patterns("__pycache__", "deployed", "openapi.json"),
    )
    version = _retrain(exported, project / "chalicelib" / "ml" / "artifacts")
    assert version != before["modelVersions"]["outcome"]

    # Then, redeployed, the new model version is served and recorded with each analysis
    try:
        _deploy(project, repairapp.stack)
        served = _triage(repairapp)
        assert served["modelVersions"]["outcome"] == version
        stored = repairapp.get(
            f"/api/analyses/{served['analysisId']}",
            **{"X-Analysis-Token": served["analysisToken"]},
        )
        assert stored.status == 200, stored.data
        assert stored.json["modelVersions"]["outcome"] == version
    finally:
        _deploy(REPO_ROOT / "smartre", repairapp.stack)


def stack_endpoint(stack: LocalStack) -> str:
    assert stack.emulator is not None
    return str(stack.emulator.endpoint_url)
