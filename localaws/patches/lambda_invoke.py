"""Run Lambda invocations on warm local workers instead of Docker.

moto behaviour covered: `moto.awslambda.models.LambdaFunction._invoke_lambda(event)` starts a
Docker container per invocation (and fails without Docker). It is the single place where both
`Invoke` calls and the Step Functions interpreter's Lambda tasks end up, and it returns
`(payload_text, errored, log_text)`; moto's `invoke` turns `errored` into the
`X-Amz-Function-Error` header. We replace it with `LambdaRuntime.invoke`, which runs the
function's own handler from its deployment package in a warm `localaws.lambda_worker` process.

The hook is private to moto: `tests/unit/localaws/test_localaws_patch_lambda_invoke.py` fails if
moto stops calling it or changes its signature.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda.models import LambdaFunction

from localaws.lambda_pool import FunctionSpec, LambdaRuntime
from localaws.patches._patching import replace_attribute

_runtime: LambdaRuntime | None = None


def apply(runtime: LambdaRuntime) -> None:
    global _runtime
    _runtime = runtime
    replace_attribute(LambdaFunction, "_invoke_lambda", _invoke_lambda)


def runtime() -> LambdaRuntime:
    if _runtime is None:
        raise RuntimeError("localaws.patches.lambda_invoke.apply() has not been called")
    return _runtime


def spec_of(function: LambdaFunction) -> FunctionSpec:
    """The facts about a moto function that decide which warm worker may serve it."""
    environment = function.environment_vars or {}
    return FunctionSpec(
        function_name=function.function_name,
        function_arn=function.function_arn,
        version=str(function.version),
        region=function.region,
        handler=function.handler or "",
        runtime=function.run_time or "python3.12",
        timeout_s=float(function.timeout),
        memory_mb=int(function.memory_size),
        environment=tuple(sorted((str(k), str(v)) for k, v in environment.items())),
        code_sha256=function.code_digest,
        code=function.code_bytes,
    )


def _invoke_lambda(self: LambdaFunction, event: Any = None) -> tuple[str, bool, str]:
    # moto passes the parsed payload, or the string "{}" when the request had no body.
    if event is None or event == "{}":
        event = {}
    spec = spec_of(self)
    invocation = runtime().invoke(spec, event)
    self.logs_backend.ensure_log_group(self.logs_group_name)
    self.save_logs(invocation.logs)
    return invocation.payload, invocation.errored, invocation.logs
