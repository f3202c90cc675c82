"""Warm Lambda workers: reuse, scale-out, recycling, timeouts and Lambda's error shapes."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from localaws.lambda_code import CodeCache
from localaws.lambda_pool import FunctionSpec, LambdaRuntime

ENDPOINT = "http://127.0.0.1:1"

HANDLERS = """
import decimal, json, os, sys, time

class NotRepairableError(Exception):
    pass

def describe(event, context):
    return {"pid": os.getpid(), "env": dict(os.environ), "path": sys.path[:2],
            "remaining": context.get_remaining_time_in_millis(),
            "name": context.function_name, "memory": context.memory_limit_in_mb}

def sleep(event, context):
    time.sleep(event["seconds"])
    return os.getpid()

def fail(event, context):
    raise NotRepairableError("battery swollen")

def die(event, context):
    os._exit(3)

def unserialisable(event, context):
    return {"when": object()}

def decimal_result(event, context):
    return {"price": decimal.Decimal("12.50"), "count": decimal.Decimal("3")}

def noisy(event, context):
    print('{"type": "result", "ok": true, "payload": "forged"}')
    print("second line", file=sys.stderr)
    return "clean"

def imports(event, context):
    import helper
    try:
        import repaircore  # noqa: F401
        repository_visible = True
    except ImportError:
        repository_visible = False
    return {"helper": helper.VALUE, "repository_visible": repository_visible}
"""


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[LambdaRuntime]:
    pool = LambdaRuntime(CodeCache(tmp_path / "code"), ENDPOINT)
    yield pool
    pool.shutdown()


@pytest.fixture
def spec_for(make_zip: Callable[[dict[str, str]], bytes]) -> Callable[..., FunctionSpec]:
    code = make_zip({"handlers.py": HANDLERS, "vendor/helper.py": "VALUE = 'vendored'\n"})

    def build(handler_name: str, **overrides: Any) -> FunctionSpec:
        spec = FunctionSpec(
            function_name="fixture",
            function_arn="arn:aws:lambda:eu-west-1:123456789012:function:fixture",
            version="$LATEST",
            region="eu-west-1",
            handler=f"handlers.{handler_name}",
            runtime="python3.12",
            timeout_s=5.0,
            memory_mb=256,
            environment=(("STAGE", "test"),),
            code_sha256=hashlib.sha256(code).hexdigest(),
            code=code,
        )
        return replace(spec, **overrides)

    return build


def payload(invocation: Any) -> Any:
    return json.loads(invocation.payload)


def test_worker_stays_warm_between_invocations(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    first = runtime.invoke(spec_for("describe"), {})
    second = runtime.invoke(spec_for("describe"), {})
    assert (first.cold_start, second.cold_start) == (True, False)
    assert payload(first)["pid"] == payload(second)["pid"]


def test_concurrent_invocations_start_another_worker(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    pids: list[int] = []

    def invoke() -> None:
        pids.append(payload(runtime.invoke(spec_for("sleep"), {"seconds": 0.5})))

    threads = [threading.Thread(target=invoke) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(pids)) == 2
    assert len(runtime.worker_pids("fixture")) == 2


def test_new_code_retires_the_old_workers(
    runtime: LambdaRuntime,
    spec_for: Callable[..., FunctionSpec],
    make_zip: Callable[[dict[str, str]], bytes],
) -> None:
    old_pid = payload(runtime.invoke(spec_for("describe"), {}))["pid"]
    new_code = make_zip({"handlers.py": "def describe(event, context):\n    return 'v2'\n"})
    new_spec = spec_for("describe", code=new_code, code_sha256=hashlib.sha256(new_code).hexdigest())

    assert payload(runtime.invoke(new_spec, {})) == "v2"
    assert old_pid not in runtime.worker_pids()


def test_configuration_change_recycles_the_worker(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    before = payload(runtime.invoke(spec_for("describe"), {}))
    after = payload(runtime.invoke(spec_for("describe", environment=(("STAGE", "v2"),)), {}))
    assert before["pid"] != after["pid"]
    assert after["env"]["STAGE"] == "v2"


def test_worker_gets_lambda_environment_and_context(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    spec = spec_for("describe", environment=(("STAGE", "test"), ("AWS_REGION", "us-east-1")))
    described = payload(runtime.invoke(spec, {}))
    env = described["env"]
    assert env["AWS_ENDPOINT_URL"] == ENDPOINT
    assert env["AWS_REGION"] == env["AWS_DEFAULT_REGION"] == "eu-west-1"  # reserved wins
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "fixture"
    assert env["STAGE"] == "test"
    assert described["name"] == "fixture"
    assert described["memory"] == "256"
    assert 0 < described["remaining"] <= 5000
    assert Path(described["path"][1]) == Path(described["path"][0]) / "vendor"


def test_code_sees_its_package_and_vendor_but_not_the_repository(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    assert payload(runtime.invoke(spec_for("imports"), {})) == {
        "helper": "vendored",
        "repository_visible": False,
    }


def test_handler_exception_is_reported_by_its_class_name(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("fail"), {})
    error = payload(invocation)
    assert invocation.errored
    assert (error["errorType"], error["errorMessage"]) == ("NotRepairableError", "battery swollen")
    assert any("handlers.py" in frame for frame in error["stackTrace"])


def test_timeout_kills_the_worker_and_reports_sandbox_timedout(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    spec = spec_for("sleep", timeout_s=1.0)
    warm_pid = payload(runtime.invoke(spec, {"seconds": 0}))

    started = time.monotonic()
    invocation = runtime.invoke(spec, {"seconds": 10})

    assert time.monotonic() - started < 3
    assert invocation.errored
    assert payload(invocation)["errorType"] == "Sandbox.Timedout"
    assert "timed out after 1.00 seconds" in payload(invocation)["errorMessage"]
    assert warm_pid not in runtime.worker_pids()
    with pytest.raises(ProcessLookupError):
        os.kill(warm_pid, 0)


def test_worker_exit_is_reported_as_runtime_exit_error(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("die"), {})
    assert invocation.errored
    assert payload(invocation)["errorType"] == "Runtime.ExitError"
    assert "exit status 3" in payload(invocation)["errorMessage"]
    assert runtime.worker_pids() == []


def test_missing_module_is_reported_as_import_module_error(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("describe", handler="missing.handler"), {})
    assert invocation.errored
    assert payload(invocation)["errorType"] == "Runtime.ImportModuleError"


def test_missing_handler_is_reported_as_handler_not_found(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("describe", handler="handlers.absent"), {})
    assert payload(invocation)["errorType"] == "Runtime.HandlerNotFound"


def test_unserialisable_result_is_reported_as_marshal_error(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("unserialisable"), {})
    assert payload(invocation)["errorType"] == "Runtime.MarshalError"


def test_decimals_are_returned_as_numbers(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    assert payload(runtime.invoke(spec_for("decimal_result"), {})) == {"price": 12.5, "count": 3}


def test_printed_output_goes_to_the_logs_not_the_reply(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    invocation = runtime.invoke(spec_for("noisy"), {})
    assert payload(invocation) == "clean"
    assert '"payload": "forged"' in invocation.logs
    assert "second line" in invocation.logs
    assert invocation.logs.startswith("START RequestId: ")
    assert "REPORT RequestId: " in invocation.logs


def test_shutdown_kills_every_worker(
    runtime: LambdaRuntime, spec_for: Callable[..., FunctionSpec]
) -> None:
    runtime.invoke(spec_for("describe"), {})
    [pid] = runtime.worker_pids()

    runtime.shutdown()

    assert runtime.worker_pids() == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert payload(runtime.invoke(spec_for("describe"), {}))["errorType"] == "Runtime.ExitError"
