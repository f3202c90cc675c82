"""RepairApp's IAM policies (``.chalice/policy-<stage>.json``) grant its stage's resources only."""

from __future__ import annotations

import json

import pytest

from infra.app_config import parameter_path
from infra.definition import stage
from tests.unit.repairapp.conftest import APP_DIR


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_the_policy_names_every_table_and_parameter_of_its_stage_and_no_other(name: str) -> None:
    spec = stage(name, "123456789012")
    policy = json.loads((APP_DIR / ".chalice" / f"policy-{name}.json").read_text())
    resources = json.dumps(policy)

    for table in (spec.repairs_table, spec.repairapp_idempotency_table, spec.repairapp_stats_table):
        assert f"table/{table.name}" in resources
    assert f"parameter{parameter_path(spec)}*" in resources
    other = "prod" if name == "dev" else "dev"
    assert f"repairapp-{other}-" not in resources
    config = json.loads((APP_DIR / ".chalice" / "config.json").read_text())
    assert config["stages"][name]["iam_policy_file"] == f"policy-{name}.json"
