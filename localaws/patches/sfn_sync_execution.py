"""StartSyncExecution for EXPRESS state machines.

moto behaviour covered: `moto.stepfunctions.responses.StepFunctionResponse` has no
`start_sync_execution`, so the action is rejected, although moto's bundled interpreter already
contains `SyncExecution` (LocalStack's), which runs a workflow to completion in the calling
thread. We add the response method: it starts a `SyncExecution` (always named: moto formats the
ARN with whatever name it gets), waits for it and answers in AWS's shape, including the parts that
surprise callers: a failed execution is HTTP 200 with `status: FAILED`, and STANDARD machines are
refused with `StateMachineTypeNotSupported`.

Clients reach it with `Config(inject_host_prefix=False)`: botocore otherwise prefixes the
endpoint host with `sync-`, which does not resolve for 127.0.0.1.
"""

from __future__ import annotations

import datetime
import json
import math
import uuid
from typing import Any

from moto.core.exceptions import AWSError
from moto.core.responses import ActionResult
from moto.stepfunctions.exceptions import InvalidExecutionInput
from moto.stepfunctions.parser.api import StateMachineType
from moto.stepfunctions.parser.backend.execution import SyncExecution
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
from moto.stepfunctions.responses import StepFunctionResponse

from localaws.patches._patching import replace_attribute

EXPRESS_MIN_BILLED_MEMORY_MB = 64
EXPRESS_BILLING_INCREMENT_MS = 100


def apply() -> None:
    replace_attribute(
        StepFunctionResponse, "start_sync_execution", start_sync_execution, must_exist=False
    )


def start_sync_execution(self: StepFunctionResponse) -> ActionResult:
    backend = self.stepfunction_backend
    if not isinstance(backend, StepFunctionsParserBackend):
        raise AWSError(
            "localaws: Step Functions execution is switched off "
            '(config {"stepfunctions": {"execute_state_machine": true}})',
            exception_type="InternalFailure",
            status=500,
        )
    execution = run_sync_execution(
        backend,
        state_machine_arn=self._get_param("stateMachineArn"),
        name=self._get_param("name") or str(uuid.uuid4()),
        execution_input=self._get_param("input", if_none="{}"),
        trace_header=self._get_param("traceHeader"),
    )
    return ActionResult(sync_execution_output(execution))


def run_sync_execution(
    backend: StepFunctionsParserBackend,
    state_machine_arn: str,
    name: str,
    execution_input: str,
    trace_header: str | None,
) -> SyncExecution:
    # moto's StateMachine stands in for the interpreter's StateMachineInstance (as in moto itself).
    state_machine: Any = backend.describe_state_machine(state_machine_arn)
    if state_machine.type != "EXPRESS":
        raise AWSError(
            "This operation is not supported by this type of state machine",
            exception_type="StateMachineTypeNotSupported",
        )
    try:
        json.loads(execution_input)
    except ValueError as exc:
        raise InvalidExecutionInput(f"Invalid State Machine Execution Input: '{exc}'") from exc
    partition = state_machine.arn.split(":")[1]
    # Express executions have their own ARN family: ...:express:<machine>:<name>:<id>.
    execution_arn = (
        f"arn:{partition}:states:{backend.region_name}:{backend.account_id}:express:"
        f"{state_machine.name}:{name}:{uuid.uuid4()}"
    )
    execution = SyncExecution(
        name=name,
        sm_type=StateMachineType(state_machine.sm_type),
        role_arn=state_machine.roleArn,
        exec_arn=execution_arn,
        account_id=backend.account_id,
        region_name=backend.region_name,
        state_machine=state_machine,
        start_date=datetime.datetime.now(tz=datetime.UTC),
        cloud_watch_logging_session=None,
        input_data=execution_input,
        trace_header=trace_header,
        activity_store={},
    )
    # Runs the whole workflow in this (request) thread: Parallel branches get their own threads
    # inside the interpreter, Lambda tasks call back into this server on other request threads.
    execution.start()
    return execution


def sync_execution_output(execution: SyncExecution) -> dict[str, Any]:
    output: dict[str, Any] = {
        key: value
        for key, value in execution.to_start_sync_execution_output().items()
        if value is not None
    }
    output["status"] = str(getattr(output["status"], "value", output["status"]))
    stop_date: datetime.datetime = execution.stop_date or datetime.datetime.now(tz=datetime.UTC)
    duration_ms = (stop_date - execution.start_date).total_seconds() * 1000
    output["billingDetails"] = {
        "billedMemoryUsedInMB": EXPRESS_MIN_BILLED_MEMORY_MB,
        "billedDurationInMilliseconds": max(
            EXPRESS_BILLING_INCREMENT_MS,
            math.ceil(duration_ms / EXPRESS_BILLING_INCREMENT_MS) * EXPRESS_BILLING_INCREMENT_MS,
        ),
    }
    return output
