"""Faults injected by the emulator reach boto3 clients as the real service errors."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ClientError

from localaws.server import Emulator

NO_RETRIES = {"retries": {"total_max_attempts": 1, "mode": "standard"}}


@pytest.fixture
def faults(emulator: Emulator) -> Iterator[Emulator]:
    yield emulator
    emulator.clear_faults()


def error_code(call: Any) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return str(raised.value.response["Error"]["Code"])


def test_dynamodb_throttling_surfaces_as_its_client_error(faults: Emulator) -> None:
    dynamodb = faults.client("dynamodb", **NO_RETRIES)
    table = f"faults-{uuid.uuid4().hex[:8]}"
    dynamodb.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    faults.inject_faults(
        [
            {
                "service": "dynamodb",
                "operation": "PutItem",
                "error": "ProvisionedThroughputExceededException",
            }
        ],
        seed=1,
    )

    code = error_code(lambda: dynamodb.put_item(TableName=table, Item={"id": {"S": "1"}}))

    assert code == "ProvisionedThroughputExceededException"
    assert dynamodb.get_item(TableName=table, Key={"id": {"S": "1"}}).get("Item") is None
    assert faults.fault_counts()["injected"] == 1


def test_s3_slow_down_surfaces_with_status_503(faults: Emulator) -> None:
    s3 = faults.client("s3", **NO_RETRIES)
    bucket = f"faults-{uuid.uuid4().hex[:8]}"
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    faults.inject_faults([{"service": "s3", "operation": "PutObject", "error": "SlowDown"}])

    with pytest.raises(ClientError) as raised:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x")

    assert raised.value.response["Error"]["Code"] == "SlowDown"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503


def test_query_protocol_error_surfaces_as_its_client_error(faults: Emulator) -> None:
    faults.inject_faults([{"service": "sts", "error": "Throttling"}])
    assert error_code(faults.client("sts", **NO_RETRIES).get_caller_identity) == "Throttling"


def test_botocore_retries_an_injected_throttle_and_succeeds(faults: Emulator) -> None:
    # Given one throttling error on the first GetCallerIdentity only
    faults.inject_faults([{"service": "sts", "error": "Throttling", "limit": 1}])
    # When a client with default retries calls
    identity = faults.client("sts").get_caller_identity()
    # Then botocore's retry absorbed it, and the emulator counted one injection of two requests
    assert identity["Account"] == "123456789012"
    [rule] = faults.fault_counts()["rules"]
    assert (rule["matched"], rule["injected"]) == (2, 1)


def test_lambda_throttle_surfaces_as_its_client_error(
    faults: Emulator, workflow_arns: dict[str, str]
) -> None:
    faults.inject_faults(
        [{"service": "lambda", "operation": "Invoke", "error": "TooManyRequestsException"}]
    )
    lambda_client = faults.client("lambda", **NO_RETRIES)
    code = error_code(
        lambda: lambda_client.invoke(FunctionName=workflow_arns["classify"], Payload=b"{}")
    )
    assert code == "TooManyRequestsException"


def test_workflow_retries_a_throttled_lambda_task(
    faults: Emulator, workflow_arns: dict[str, str]
) -> None:
    # Given a task with the Retry AWS recommends for Lambda throttling, and one throttle
    definition = {
        "StartAt": "Classify",
        "States": {
            "Classify": {
                "Type": "Task",
                "Resource": workflow_arns["classify"],
                "Retry": [
                    {
                        "ErrorEquals": ["Lambda.TooManyRequestsException"],
                        "IntervalSeconds": 1,
                        "MaxAttempts": 2,
                    }
                ],
                "End": True,
            }
        },
    }
    sfn = faults.client("stepfunctions")
    role = faults.client("iam").create_role(
        RoleName=f"throttle-{uuid.uuid4().hex[:8]}", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    machine = sfn.create_state_machine(
        name=f"throttle-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(definition),
        roleArn=role,
        type="EXPRESS",
    )["stateMachineArn"]
    faults.inject_faults(
        [{"service": "lambda", "operation": "Invoke", "error": "TooManyRequestsException",
          "limit": 1}]
    )  # fmt: skip
    # When the workflow runs
    result = sfn.start_sync_execution(stateMachineArn=machine, input="{}")
    # Then the throttle was retried under its Lambda.* name and the task succeeded
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"])["category"] == "Toaster"
    assert faults.fault_counts()["injected"] == 1


def test_cleared_faults_stop_and_report_their_totals(faults: Emulator) -> None:
    faults.inject_faults([{"service": "sts", "error": "Throttling"}])
    sts = faults.client("sts", **NO_RETRIES)
    error_code(sts.get_caller_identity)

    assert faults.clear_faults()["injected"] == 1
    assert sts.get_caller_identity()["Account"] == "123456789012"


def test_invalid_fault_rule_is_rejected_with_a_400(faults: Emulator) -> None:
    with pytest.raises(ValueError, match="InvalidFaultRule"):
        faults.inject_faults([{"service": "dynamodb", "operation": "Teleport", "error": "X"}])


def test_seeded_rate_injects_the_same_pattern_twice(faults: Emulator) -> None:
    sts = faults.client("sts", **NO_RETRIES)

    def pattern() -> list[bool]:
        faults.inject_faults([{"service": "sts", "error": "Throttling", "rate": 0.5}], seed=42)
        outcome = []
        for _ in range(12):
            try:
                sts.get_caller_identity()
                outcome.append(False)
            except ClientError:
                outcome.append(True)
        return outcome

    first = pattern()
    assert first == pattern()
    assert 0 < sum(first) < 12
    assert json.dumps(faults.fault_counts()["rules"][0]["matched"]) == "12"
