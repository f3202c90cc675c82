"""X-Ray names the workflow's branches: the state machine and every Lambda are traced."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from moto import mock_aws

from infra import workflow
from infra.chalice_project import load_config, tracing_enabled
from infra.definition import LOCAL_ACCOUNT, Stage, stage
from infra.provision import Report
from infra.stack import Clients
from repaircore import clients

DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Pass", "End": True}}})


@pytest.fixture
def aws() -> Iterator[Clients]:
    with mock_aws():
        clients.reset()
        yield Clients.for_region("eu-west-1")


@pytest.fixture
def dev() -> Stage:
    return stage("dev", LOCAL_ACCOUNT, site_origins=("http://127.0.0.1:8000",))


def ensure(aws: Clients, dev: Stage) -> Report:
    report = Report()
    workflow.ensure_state_machine(
        aws("stepfunctions"), aws("iam"), aws("logs"), dev, DEFINITION, report
    )
    return report


def test_the_state_machine_is_created_traced_and_a_rerun_changes_nothing(
    aws: Clients, dev: Stage
) -> None:
    ensure(aws, dev)
    second = ensure(aws, dev)

    machine = aws("stepfunctions").describe_state_machine(stateMachineArn=dev.state_machine_arn)
    assert machine["tracingConfiguration"] == {"enabled": True}
    assert not second.changed, second.actions


def test_an_untraced_state_machine_is_updated_to_traced(aws: Clients, dev: Stage) -> None:
    ensure(aws, dev)
    sfn = aws("stepfunctions")
    sfn.update_state_machine(
        stateMachineArn=dev.state_machine_arn, tracingConfiguration={"enabled": False}
    )

    report = ensure(aws, dev)

    assert (f"states:{dev.state_machine_name}", "updated") in report.actions
    machine = sfn.describe_state_machine(stateMachineArn=dev.state_machine_arn)
    assert machine["tracingConfiguration"] == {"enabled": True}


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
@pytest.mark.parametrize("stage_name", ["dev", "prod"])
def test_every_lambda_of_the_deployed_stages_has_active_tracing(app: str, stage_name: str) -> None:
    assert tracing_enabled(load_config(app), stage_name)
