"""One embedded AWS for the whole session, and the fixture workflow app deployed into it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from localaws.deploy_local import deploy_lambda_functions
from localaws.server import Emulator, start_emulator

FIXTURES = Path(__file__).parent / "fixtures"
ATTEMPTS_TABLE = "workflow-fixture-attempts"


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    with start_emulator() as running:
        yield running


@pytest.fixture(scope="session")
def workflow_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the fixture app, so deploys never write into the source tree."""
    target = tmp_path_factory.mktemp("apps") / "workflow_app"
    shutil.copytree(FIXTURES / "workflow_app", target)
    return target


@pytest.fixture(scope="session")
def workflow_arns(emulator: Emulator, workflow_project: Path) -> dict[str, str]:
    """The fixture app's tasks deployed with deploy_local; name -> Lambda ARN."""
    emulator.client("dynamodb").create_table(
        TableName=ATTEMPTS_TABLE,
        KeySchema=[{"AttributeName": "request_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "request_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    deployed = deploy_lambda_functions(
        workflow_project, "local", emulator.endpoint_url, emulator.credentials
    )
    resources = json.loads(deployed.read_text())["resources"]
    return {
        r["name"]: r["lambda_arn"] for r in resources if r["resource_type"] == "lambda_function"
    }


def render_workflow(arns: dict[str, str]) -> str:
    text = (FIXTURES / "workflow.asl.json").read_text()
    for name, arn in arns.items():
        text = text.replace("${" + name.capitalize() + "Arn}", arn)
    assert "${" not in text
    return text


@pytest.fixture(scope="session")
def state_machines(emulator: Emulator, workflow_arns: dict[str, str]) -> dict[str, str]:
    """The same workflow as an EXPRESS and a STANDARD machine; type -> ARN."""
    sfn = emulator.client("stepfunctions")
    role = emulator.client("iam").create_role(
        RoleName="workflow-fixture-sfn", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    definition = render_workflow(workflow_arns)
    return {
        kind: sfn.create_state_machine(
            name=f"workflow-{kind.lower()}", definition=definition, roleArn=role, type=kind
        )["stateMachineArn"]
        for kind in ("EXPRESS", "STANDARD")
    }
