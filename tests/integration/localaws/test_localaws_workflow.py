"""Foundation acceptance: the real ASL, executed by the embedded AWS, against the project's own
Python task code deployed with deploy_local, run both synchronously and asynchronously."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from localaws.server import Emulator


def run_workflow(
    emulator: Emulator, state_machines: dict[str, str], mode: str, payload: dict[str, Any]
) -> dict[str, Any]:
    """Run to completion; returns {"status", "output"?, "error"?} whichever API was used."""
    sfn = emulator.client("stepfunctions")
    name = f"test-{uuid.uuid4()}"
    if mode == "sync":
        return dict(
            sfn.start_sync_execution(
                stateMachineArn=state_machines["EXPRESS"], name=name, input=json.dumps(payload)
            )
        )
    arn = sfn.start_execution(
        stateMachineArn=state_machines["STANDARD"], name=name, input=json.dumps(payload)
    )["executionArn"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.05)
    raise AssertionError(f"{arn} still running")


MODES = ["sync", "async"]


@pytest.mark.parametrize("mode", MODES)
def test_workflow_merges_both_parallel_branches(
    emulator: Emulator, state_machines: dict[str, str], mode: str
) -> None:
    # Given an analysis request
    request_id = str(uuid.uuid4())
    # When the workflow runs
    result = run_workflow(emulator, state_machines, mode, {"request_id": request_id})
    # Then the merge task saw both branches' results
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"]) == {
        "request_id": request_id,
        "category": "Toaster",
        "outcome": "Repairable",
        "attempts": 1,
        "flags": [],
        "merge_strategy": "both-branches",
    }


@pytest.mark.parametrize("mode", MODES)
def test_workflow_retries_a_transient_error(
    emulator: Emulator, state_machines: dict[str, str], mode: str
) -> None:
    # Given an assessment that fails once with TransientError
    payload = {"request_id": str(uuid.uuid4()), "transient_failures": 1}
    # When the workflow runs
    result = run_workflow(emulator, state_machines, mode, payload)
    # Then the Retry on TransientError ran the task again and the answer is complete
    assert result["status"] == "SUCCEEDED", result
    output = json.loads(result["output"])
    assert output["attempts"] == 2
    assert output["outcome"] == "Repairable"


@pytest.mark.parametrize("mode", MODES)
def test_workflow_catches_a_named_error_into_a_flagged_answer(
    emulator: Emulator, state_machines: dict[str, str], mode: str
) -> None:
    # Given a photo the classifier rejects with UnsupportedImageError
    payload = {"request_id": str(uuid.uuid4()), "reject": True}
    # When the workflow runs
    result = run_workflow(emulator, state_machines, mode, payload)
    # Then the Catch turned the failed branch into a flagged, partial answer
    assert result["status"] == "SUCCEEDED", result
    output = json.loads(result["output"])
    assert output["category"] is None
    assert output["flags"] == ["UnsupportedImageError"]
    assert output["outcome"] == "Repairable"


def test_sync_execution_reports_a_failed_workflow_as_http_200_with_status_failed(
    emulator: Emulator, state_machines: dict[str, str]
) -> None:
    # Given an assessment that keeps failing beyond the Retry's MaxAttempts
    payload = {"request_id": str(uuid.uuid4()), "transient_failures": 5}
    # When it runs synchronously
    response = emulator.client("stepfunctions").start_sync_execution(
        stateMachineArn=state_machines["EXPRESS"],
        name=f"fail-{uuid.uuid4()}",
        input=json.dumps(payload),
    )
    # Then the call succeeds and the execution is FAILED with the task's error name
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["status"] == "FAILED"
    assert response["error"] == "TransientError"
    assert "attempt 3" in response["cause"]
    assert "output" not in response


def test_sync_execution_answers_in_the_aws_shape(
    emulator: Emulator, state_machines: dict[str, str]
) -> None:
    name = f"shape-{uuid.uuid4()}"
    response = emulator.client("stepfunctions").start_sync_execution(
        stateMachineArn=state_machines["EXPRESS"], name=name, input=json.dumps({"request_id": "r"})
    )
    assert response["name"] == name
    assert response["stateMachineArn"] == state_machines["EXPRESS"]
    assert response["executionArn"].startswith(
        "arn:aws:states:eu-west-1:123456789012:express:workflow-express:" + name + ":"
    )
    assert response["stopDate"] >= response["startDate"]
    assert json.loads(response["input"]) == {"request_id": "r"}
    assert response["billingDetails"]["billedDurationInMilliseconds"] >= 100
    assert response["billingDetails"]["billedMemoryUsedInMB"] == 64


def test_sync_execution_of_a_standard_machine_is_refused(
    emulator: Emulator, state_machines: dict[str, str]
) -> None:
    with pytest.raises(ClientError) as raised:
        emulator.client("stepfunctions").start_sync_execution(
            stateMachineArn=state_machines["STANDARD"], input="{}"
        )
    assert raised.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"


def test_express_machine_keeps_its_type(emulator: Emulator, state_machines: dict[str, str]) -> None:
    described = emulator.client("stepfunctions").describe_state_machine(
        stateMachineArn=state_machines["EXPRESS"]
    )
    assert described["type"] == "EXPRESS"


def test_unnamed_execution_gets_a_generated_name(
    emulator: Emulator, state_machines: dict[str, str]
) -> None:
    sfn = emulator.client("stepfunctions")
    first = sfn.start_execution(
        stateMachineArn=state_machines["STANDARD"], input='{"request_id": "a"}'
    )
    second = sfn.start_execution(
        stateMachineArn=state_machines["STANDARD"], input='{"request_id": "b"}'
    )
    assert not first["executionArn"].endswith(":None")
    assert first["executionArn"] != second["executionArn"]
