"""A warm Lambda execution environment: `python -m localaws.lambda_worker`, one per busy function.

moto runs Lambda code in Docker, which is not available here; this process plays the part of the
Python runtime instead. It imports the function's handler once (the "init" phase), then serves
invocations from stdin until stdin closes, so module-level state (clients, loaded models) survives
between invocations exactly as in a warm Lambda container. It speaks `localaws.lambda_protocol`
and, like that module, uses the standard library only: whatever the handler imports comes from
the function's own code directory, its `vendor/`, or the interpreter's site-packages.

Configuration arrives as the environment variables the real runtime reads: `_HANDLER`,
`LAMBDA_TASK_ROOT`, `AWS_LAMBDA_FUNCTION_NAME`, `AWS_LAMBDA_FUNCTION_VERSION`,
`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`, `AWS_LAMBDA_LOG_GROUP_NAME`, `AWS_LAMBDA_LOG_STREAM_NAME`.
"""

from __future__ import annotations

import decimal
import importlib
import io
import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any, BinaryIO, TextIO

from localaws import lambda_protocol

MAX_CAPTURED_LOG_CHARS = 256 * 1024
Handler = Callable[[Any, "LambdaContext"], Any]


class LambdaContext:
    """The subset of the Lambda context object handlers use in practice."""

    def __init__(self, request_id: str, invoked_function_arn: str, deadline_ms: int) -> None:
        self.aws_request_id = request_id
        self.invoked_function_arn = invoked_function_arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self) -> int:
        return max(0, self._deadline_ms - int(time.time() * 1000))


class CapturedStream(io.TextIOBase):
    """Writes through to the real stream and keeps a copy of the current invocation's output."""

    def __init__(self, target: TextIO) -> None:
        self._target = target
        self._parts: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        self._target.write(text)
        if self._size < MAX_CAPTURED_LOG_CHARS:
            self._parts.append(text)
            self._size += len(text)
        return len(text)

    def flush(self) -> None:
        self._target.flush()

    def take(self) -> str:
        text = "".join(self._parts)
        self._parts.clear()
        self._size = 0
        return text[:MAX_CAPTURED_LOG_CHARS]


def _json_default(value: Any) -> Any:
    # The Lambda Python runtime serialises Decimal (boto3's DynamoDB numbers) as a JSON number.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _error_from_exception(exc: BaseException, skip_frames: int = 0) -> dict[str, Any]:
    stack = traceback.format_list(traceback.extract_tb(exc.__traceback__)[skip_frames:])
    return lambda_protocol.error_payload(type(exc).__name__, str(exc), [s.rstrip() for s in stack])


def _configure_sys_path(task_root: str) -> None:
    # Same lookup order as /var/task on Lambda: the function's code, then its vendor/ directory
    # (Chalice ships vendor/ contents at the package root), then the interpreter's site-packages.
    # The directory `-m` ran from (the repository) is dropped so nothing outside the deployment
    # package can be imported by accident.
    launch_dir = os.path.realpath(os.getcwd())
    kept = [p for p in sys.path if p and os.path.realpath(p) != launch_dir]
    roots = [task_root]
    vendor = os.path.join(task_root, "vendor")
    if os.path.isdir(vendor):
        roots.append(vendor)
    sys.path[:] = roots + kept
    os.chdir(task_root)


def _load_handler(spec: str) -> Handler:
    module_name, _, attribute = spec.rpartition(".")
    if not module_name:
        raise _RuntimeError(
            "Runtime.MalformedHandlerName", f"Bad handler '{spec}': not enough values"
        )
    try:
        module = importlib.import_module(module_name.replace("/", "."))
    except ImportError as exc:
        raise _RuntimeError(
            "Runtime.ImportModuleError", f"Unable to import module '{module_name}': {exc}"
        ) from exc
    handler = getattr(module, attribute, None)
    if not callable(handler):
        raise _RuntimeError(
            "Runtime.HandlerNotFound", f"Handler '{attribute}' missing on module '{module_name}'"
        )
    return handler  # type: ignore[no-any-return]


class _RuntimeError(Exception):
    """A failure of the runtime itself, reported with Lambda's `Runtime.*` error type."""

    def __init__(self, error_type: str, message: str) -> None:
        super().__init__(message)
        self.error_type = error_type


def _init(handler_spec: str) -> tuple[Handler | None, dict[str, Any] | None]:
    try:
        return _load_handler(handler_spec), None
    except _RuntimeError as exc:
        return None, lambda_protocol.error_payload(exc.error_type, str(exc))
    except SyntaxError as exc:
        return None, lambda_protocol.error_payload("Runtime.UserCodeSyntaxError", str(exc))
    except Exception as exc:
        # Anything else raised while importing the module keeps its own class name, as on AWS.
        return None, _error_from_exception(exc)


def _invoke(handler: Handler, message: dict[str, Any], captured: CapturedStream) -> dict[str, Any]:
    request_id = str(message["request_id"])
    context = LambdaContext(
        request_id, str(message["invoked_function_arn"]), int(message["deadline_ms"])
    )
    reply: dict[str, Any] = {"type": "result", "request_id": request_id, "ok": False}
    try:
        result = handler(message["event"], context)
    except Exception as exc:
        # The first frame is this function: the stack trace starts at the handler, as on AWS.
        reply["error"] = _error_from_exception(exc, skip_frames=1)
    else:
        try:
            reply["payload"] = json.dumps(result, default=_json_default)
            reply["ok"] = True
        except (TypeError, ValueError) as exc:
            reply["error"] = lambda_protocol.error_payload(
                "Runtime.MarshalError", f"Unable to marshal response: {exc}"
            )
    sys.stdout.flush()
    reply["logs"] = captured.take()
    return reply


def serve(requests: BinaryIO, replies: BinaryIO, captured: CapturedStream) -> None:
    """Init once, then answer invocations until the emulator closes our stdin."""
    started = time.perf_counter()
    handler, init_error = _init(os.environ["_HANDLER"])
    lambda_protocol.write_message(
        replies,
        {
            "type": "init",
            "ok": init_error is None,
            "error": init_error,
            "duration_ms": (time.perf_counter() - started) * 1000,
            "logs": captured.take(),
        },
    )
    if handler is None:
        return
    for line in requests:
        message = lambda_protocol.decode(line)
        lambda_protocol.write_message(replies, _invoke(handler, message, captured))


def main() -> None:
    # Replies go to a private copy of stdout; fd 1 becomes stderr so `print` cannot corrupt them.
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    captured = CapturedStream(sys.stderr)
    sys.stdout = captured
    sys.stderr = captured
    # The Lambda Python runtime installs a root handler in this shape; mirror it so logging calls
    # show up in the captured logs the same way.
    root_handler = logging.StreamHandler(captured)
    root_handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(message)s", "%Y-%m-%dT%H:%M:%S"
        )
    )
    logging.getLogger().addHandler(root_handler)
    _configure_sys_path(os.environ["LAMBDA_TASK_ROOT"])
    serve(sys.stdin.buffer, replies, captured)


if __name__ == "__main__":
    main()
