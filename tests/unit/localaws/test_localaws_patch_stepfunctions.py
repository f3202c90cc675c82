"""The Step Functions patches against moto in-process: EXPRESS type kept, unnamed executions
named, StartSyncExecution answered in AWS's shape (a failure is status FAILED, not an error)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.stepfunctions.responses import StepFunctionResponse

from localaws.patches import (
    sfn_client_cache,
    sfn_execution_name,
    sfn_express_type,
    sfn_lambda_client_errors,
    sfn_sync_execution,
)

ROLE = "arn:aws:iam::123456789012:role/sfn"
GREETING = {
    "StartAt": "Greet",
    "States": {
        "Greet": {
            "Type": "Pass",
            "Parameters": {"greeting.$": "States.Format('hello {}', $.name)"},
            "End": True,
        }
    },
}
FAILING = {
    "StartAt": "Give up",
    "States": {"Give up": {"Type": "Fail", "Error": "NotRepairable", "Cause": "too old"}},
}


@pytest.fixture
def sfn(unpatch_after: None) -> Iterator[Any]:
    sfn_lambda_client_errors.apply()
    sfn_express_type.apply()
    sfn_execution_name.apply()
    sfn_sync_execution.apply()
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield boto3.client(
            "stepfunctions", region_name="eu-west-1", config=Config(inject_host_prefix=False)
        )


def create(sfn: Any, name: str, definition: dict[str, Any], kind: str) -> str:
    arn = sfn.create_state_machine(
        name=name, definition=json.dumps(definition), roleArn=ROLE, type=kind
    )["stateMachineArn"]
    return str(arn)


def test_moto_still_lacks_start_sync_execution_of_its_own() -> None:
    # When moto implements it, this patch (and its quirks) should be reconsidered.
    assert not hasattr(StepFunctionResponse, "start_sync_execution") or getattr(
        StepFunctionResponse.start_sync_execution, "__module__", ""
    ).startswith("localaws")


def test_sync_execution_returns_the_output(sfn: Any) -> None:
    arn = create(sfn, "greet", GREETING, "EXPRESS")

    response = sfn.start_sync_execution(stateMachineArn=arn, name="run-1", input='{"name": "Ada"}')

    assert response["status"] == "SUCCEEDED"
    assert json.loads(response["output"]) == {"greeting": "hello Ada"}
    assert response["name"] == "run-1"
    assert ":express:greet:run-1:" in response["executionArn"]


def test_sync_execution_reports_failure_as_status_not_error(sfn: Any) -> None:
    arn = create(sfn, "fail", FAILING, "EXPRESS")

    response = sfn.start_sync_execution(stateMachineArn=arn, input="{}")

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (response["status"], response["error"], response["cause"]) == (
        "FAILED",
        "NotRepairable",
        "too old",
    )


def test_sync_execution_without_a_name_gets_a_generated_one(sfn: Any) -> None:
    arn = create(sfn, "greet", GREETING, "EXPRESS")

    response = sfn.start_sync_execution(stateMachineArn=arn, input='{"name": "Bo"}')

    assert response["name"]
    assert response["name"] != "None"


def test_sync_execution_of_a_standard_machine_is_refused(sfn: Any) -> None:
    arn = create(sfn, "standard", GREETING, "STANDARD")

    with pytest.raises(ClientError) as raised:
        sfn.start_sync_execution(stateMachineArn=arn, input="{}")

    assert raised.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"


def test_sync_execution_rejects_input_that_is_not_json(sfn: Any) -> None:
    arn = create(sfn, "greet", GREETING, "EXPRESS")

    with pytest.raises(ClientError) as raised:
        sfn.start_sync_execution(stateMachineArn=arn, input="{not json")

    assert raised.value.response["Error"]["Code"] == "InvalidExecutionInput"


def test_express_machine_runs_as_express(sfn: Any) -> None:
    from moto.stepfunctions.parser.models import stepfunctions_parser_backends

    create(sfn, "express", GREETING, "EXPRESS")

    [machine] = stepfunctions_parser_backends["123456789012"]["eu-west-1"].state_machines
    assert (machine.type, machine.sm_type) == ("EXPRESS", "EXPRESS")


def test_start_execution_without_a_name_gets_a_unique_arn(sfn: Any) -> None:
    arn = create(sfn, "standard", GREETING, "STANDARD")

    first = sfn.start_execution(stateMachineArn=arn, input='{"name": "a"}')["executionArn"]
    second = sfn.start_execution(stateMachineArn=arn, input='{"name": "b"}')["executionArn"]

    assert not first.endswith(":None")
    assert first != second
    deadline = time.monotonic() + 10
    while sfn.describe_execution(executionArn=second)["status"] == "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.02)


def test_interpreter_reuses_one_client_per_service(unpatch_after: None) -> None:
    from moto.stepfunctions.parser.asl.component.state.exec.state_task import lambda_eval_utils
    from moto.stepfunctions.parser.asl.utils import boto_client

    sfn_client_cache.apply()

    # The module that runs Lambda tasks must see the cached factory, not its own import.
    factory = vars(lambda_eval_utils)["boto_client_for"]
    assert factory is boto_client.boto_client_for
    first = factory("eu-west-1", "lambda")
    assert factory("eu-west-1", "lambda") is first
    assert factory("eu-west-1", "sqs") is not first


def test_lambda_api_failure_in_a_task_is_named_after_the_lambda_error(sfn: Any) -> None:
    missing = "arn:aws:lambda:eu-west-1:123456789012:function:does-not-exist"
    definition = {
        "StartAt": "Call",
        "States": {"Call": {"Type": "Task", "Resource": missing, "End": True}},
    }
    arn = create(sfn, "missing-function", definition, "EXPRESS")

    response = sfn.start_sync_execution(stateMachineArn=arn, input="{}")

    assert (response["status"], response["error"]) == ("FAILED", "Lambda.ResourceNotFoundException")
