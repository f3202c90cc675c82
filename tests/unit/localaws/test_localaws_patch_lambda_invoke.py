"""moto must keep routing every Lambda invocation through `LambdaFunction._invoke_lambda`.

If a moto upgrade stops calling the hook (or changes what it passes or expects back), these
tests fail instead of the emulator silently trying Docker.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from typing import Any

import boto3
from moto import mock_aws
from moto.awslambda.models import LambdaFunction

from localaws.lambda_pool import FunctionSpec, Invocation
from localaws.patches import lambda_invoke
from localaws.patches._patching import original


class RecordingRuntime:
    """Stands in for LambdaRuntime: records what moto hands over, answers a fixed invocation."""

    def __init__(self, answer: Invocation) -> None:
        self.answer = answer
        self.calls: list[tuple[FunctionSpec, Any]] = []

    def invoke(self, spec: FunctionSpec, event: Any) -> Invocation:
        self.calls.append((spec, event))
        return self.answer


def create_function(make_zip: Callable[[dict[str, str]], bytes]) -> Any:
    client = boto3.client("lambda", region_name="eu-west-1")
    role = boto3.client("iam", region_name="eu-west-1").create_role(
        RoleName="fn-role", AssumeRolePolicyDocument="{}"
    )["Role"]["Arn"]
    client.create_function(
        FunctionName="probe",
        Runtime="python3.12",
        Role=role,
        Handler="app.handler",
        Code={"ZipFile": make_zip({"app.py": "def handler(e, c): return e"})},
        Timeout=7,
        MemorySize=256,
        Environment={"Variables": {"TABLE_NAME": "t"}},
    )
    return client


def test_moto_still_has_the_hook_with_the_expected_signature() -> None:
    hook = original(LambdaFunction, "_invoke_lambda")
    assert list(inspect.signature(hook).parameters) == ["self", "event"]


@mock_aws
def test_invoke_runs_through_the_hook_with_the_functions_configuration(
    unpatch_after: None, make_zip: Callable[[dict[str, str]], bytes]
) -> None:
    runtime = RecordingRuntime(Invocation('{"answer": 42}', False, "log line\n"))
    lambda_invoke.apply(runtime)  # type: ignore[arg-type]
    client = create_function(make_zip)

    response = client.invoke(FunctionName="probe", Payload=json.dumps({"n": 1}))

    assert json.loads(response["Payload"].read()) == {"answer": 42}
    assert "FunctionError" not in response
    [(spec, event)] = runtime.calls
    assert event == {"n": 1}
    assert (spec.function_name, spec.handler, spec.timeout_s, spec.memory_mb) == (
        "probe",
        "app.handler",
        7.0,
        256,
    )
    assert dict(spec.environment) == {"TABLE_NAME": "t"}
    assert spec.region == "eu-west-1"
    assert spec.code.startswith(b"PK")


@mock_aws
def test_an_errored_invocation_is_marked_as_a_function_error(
    unpatch_after: None, make_zip: Callable[[dict[str, str]], bytes]
) -> None:
    error = {"errorType": "ValueError", "errorMessage": "bad", "stackTrace": []}
    lambda_invoke.apply(RecordingRuntime(Invocation(json.dumps(error), True, "")))  # type: ignore[arg-type]
    client = create_function(make_zip)

    response = client.invoke(FunctionName="probe", Payload=b"{}")

    assert response["FunctionError"]
    assert json.loads(response["Payload"].read())["errorType"] == "ValueError"
