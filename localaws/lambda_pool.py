"""Warm worker processes that run Lambda functions' own code, one pool per function version.

This is the emulator's stand-in for Lambda's execution environments. An invocation takes an idle
worker of the same function version (code hash, handler, configuration) or starts a new one when
all are busy, so concurrent Step Functions branches run in parallel and sequential invocations hit
a warm interpreter. A change of code or configuration retires the old workers; a worker that
overruns the function's Timeout is killed and the invocation fails with Lambda's
`Sandbox.Timedout`; a worker that dies fails with `Runtime.ExitError`. Idle workers are reaped
after `idle_ttl_s`, like Lambda freeing an unused sandbox.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import select
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from localaws import lambda_protocol
from localaws.lambda_code import CodeCache

LOG = logging.getLogger(__name__)
_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
INIT_TIMEOUT_S = 10.0  # Lambda's init phase limit for on-demand functions


@dataclass(frozen=True)
class FunctionSpec:
    """Everything that makes two invocations able to share a warm worker."""

    function_name: str
    function_arn: str
    version: str
    region: str
    handler: str
    runtime: str
    timeout_s: float
    memory_mb: int
    environment: tuple[tuple[str, str], ...]
    code_sha256: str
    code: bytes = field(compare=False, hash=False, repr=False)

    @property
    def identity(self) -> str:
        return f"{self.function_name}:{self.version}"


@dataclass(frozen=True)
class Invocation:
    """What moto's `_invoke_lambda` returns: the payload text, whether it failed, the log text."""

    payload: str
    errored: bool
    logs: str
    cold_start: bool = False


class WorkerTimeoutError(Exception):
    pass


class WorkerExitedError(Exception):
    def __init__(self, returncode: int | None) -> None:
        super().__init__(f"Runtime exited with error: exit status {returncode}")
        self.returncode = returncode


class _LineReader:
    """Reads newline-terminated replies from a pipe, with a deadline and no hidden buffering."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._buffer = bytearray()

    def read_line(self, deadline: float) -> bytes:
        while True:
            newline = self._buffer.find(b"\n")
            if newline >= 0:
                line = bytes(self._buffer[: newline + 1])
                del self._buffer[: newline + 1]
                return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerTimeoutError
            readable, _, _ = select.select([self._fd], [], [], remaining)
            if not readable:
                raise WorkerTimeoutError
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                raise EOFError
            self._buffer += chunk
            if len(self._buffer) > lambda_protocol.MAX_LINE_BYTES:
                raise ValueError("worker reply exceeds the protocol's line limit")


class Worker:
    """One warm execution environment (a `localaws.lambda_worker` process)."""

    def __init__(self, spec: FunctionSpec, process: subprocess.Popen[bytes]) -> None:
        self.spec = spec
        self.process = process
        self.last_used = time.monotonic()
        self.init_duration_ms = 0.0
        self.init_logs = ""
        assert process.stdout is not None
        self._reader = _LineReader(process.stdout.fileno())

    @classmethod
    def start(
        cls, spec: FunctionSpec, code_dir: Path, env: Mapping[str, str]
    ) -> tuple[Worker, dict[str, Any] | None]:
        """Start a worker and wait for its init phase; returns the init error if there was one."""
        process = subprocess.Popen(
            [sys.executable, "-m", lambda_protocol.WORKER_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=REPOSITORY_ROOT,
            env=dict(env),
            start_new_session=True,  # a Ctrl-C in the emulator's terminal is the emulator's job
        )
        worker = cls(spec, process)
        try:
            init = worker._read_reply(time.monotonic() + INIT_TIMEOUT_S + spec.timeout_s)
        except (WorkerTimeoutError, WorkerExitedError, ValueError):
            worker.kill()
            raise
        worker.init_duration_ms = float(init.get("duration_ms", 0.0))
        worker.init_logs = str(init.get("logs", ""))
        return worker, None if init.get("ok") else init.get("error")

    @property
    def pid(self) -> int:
        return self.process.pid

    def invoke(self, message: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        try:
            lambda_protocol.write_message(self.process.stdin, message)
        except (BrokenPipeError, OSError) as exc:
            raise WorkerExitedError(self.process.poll()) from exc
        return self._read_reply(time.monotonic() + timeout_s)

    def _read_reply(self, deadline: float) -> dict[str, Any]:
        try:
            return lambda_protocol.decode(self._reader.read_line(deadline))
        except EOFError:
            raise WorkerExitedError(self.process.wait()) from None

    def max_memory_mb(self) -> int:
        """Peak resident memory, reported like Lambda's `Max Memory Used` (0 if unknown)."""
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return math.ceil(int(line.split()[1]) / 1024)
        return 0

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)


class LambdaRuntime:
    """Runs invocations on warm workers; the single object the moto patch talks to."""

    def __init__(self, code_cache: CodeCache, endpoint_url: str, idle_ttl_s: float = 900.0) -> None:
        self._code_cache = code_cache
        self._endpoint_url = endpoint_url
        self._idle_ttl_s = idle_ttl_s
        self._lock = threading.Lock()
        self._current: dict[str, FunctionSpec] = {}
        self._idle: dict[str, list[Worker]] = {}
        self._busy: set[Worker] = set()
        self._closed = False

    # --- public -----------------------------------------------------------------------------
    def invoke(self, spec: FunctionSpec, event: Any) -> Invocation:
        request_id = str(uuid.uuid4())
        started = time.perf_counter()
        try:
            worker, cold = self._acquire(spec)
        except (WorkerTimeoutError, WorkerExitedError, ValueError) as exc:
            return self._failure(spec, request_id, started, _init_failure(exc), "")
        except _InitFailedError as exc:
            return self._failure(spec, request_id, started, exc.error, exc.logs)
        # Like Lambda's REPORT line, Duration excludes the init phase (reported separately).
        started = time.perf_counter()
        deadline_ms = int(time.time() * 1000 + spec.timeout_s * 1000)
        message = {
            "type": "invoke",
            "request_id": request_id,
            "event": event,
            "deadline_ms": deadline_ms,
            "invoked_function_arn": spec.function_arn,
        }
        try:
            reply = worker.invoke(message, spec.timeout_s)
        except WorkerTimeoutError:
            self._discard(worker)
            error = lambda_protocol.error_payload(
                "Sandbox.Timedout",
                f"RequestId: {request_id} Error: Task timed out after {spec.timeout_s:.2f} seconds",
            )
            return self._failure(spec, request_id, started, error, "")
        except (WorkerExitedError, ValueError) as exc:
            # ValueError: a reply that is not a protocol message; the worker cannot be trusted.
            self._discard(worker)
            error = lambda_protocol.error_payload(
                "Runtime.ExitError", f"RequestId: {request_id} Error: {exc}"
            )
            return self._failure(spec, request_id, started, error, "")
        memory = worker.max_memory_mb()
        self._release(worker)
        logs = (worker.init_logs if cold else "") + str(reply.get("logs", ""))
        report = _report(
            spec, request_id, started, memory, worker.init_duration_ms if cold else None
        )
        if reply.get("ok"):
            return Invocation(
                str(reply["payload"]), False, _frame(spec, request_id, logs, report), cold
            )
        payload = json.dumps(reply.get("error") or {})
        return Invocation(payload, True, _frame(spec, request_id, logs, report), cold)

    def worker_pids(self, function_name: str | None = None) -> list[int]:
        """PIDs of live workers (for tests and diagnostics)."""
        with self._lock:
            workers = [w for ws in self._idle.values() for w in ws] + list(self._busy)
        return sorted(w.pid for w in workers if function_name in (None, w.spec.function_name))

    def shutdown(self) -> None:
        """Kill every worker; later invocations fail instead of starting new ones."""
        with self._lock:
            self._closed = True
            workers = [w for ws in self._idle.values() for w in ws] + list(self._busy)
            self._idle.clear()
            self._busy.clear()
        for worker in workers:
            worker.kill()

    # --- pool bookkeeping -------------------------------------------------------------------
    def _acquire(self, spec: FunctionSpec) -> tuple[Worker, bool]:
        retired: list[Worker] = []
        with self._lock:
            if self._closed:
                raise WorkerExitedError(None)
            if self._current.get(spec.identity) != spec:
                # New code or configuration: the old sandboxes must not serve it.
                self._current[spec.identity] = spec
                retired += self._idle.pop(spec.identity, [])
            retired += self._expired_idle()
            idle = self._idle.get(spec.identity)
            worker = idle.pop() if idle else None
            if worker is not None:
                self._busy.add(worker)
        for old in retired:
            old.kill()
        if worker is not None:
            return worker, False
        code_dir = self._code_cache.directory_for(spec.code_sha256, spec.code)
        worker, init_error = Worker.start(spec, code_dir, self._environment(spec, code_dir))
        if init_error is not None:
            worker.kill()
            raise _InitFailedError(init_error, worker.init_logs)
        with self._lock:
            self._busy.add(worker)
        LOG.info(
            "cold start %s pid=%s init=%.0fms", spec.identity, worker.pid, worker.init_duration_ms
        )
        return worker, True

    def _release(self, worker: Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            keep = (
                not self._closed
                and worker.process.poll() is None
                and self._current.get(worker.spec.identity) == worker.spec
            )
            if keep:
                worker.last_used = time.monotonic()
                self._idle.setdefault(worker.spec.identity, []).append(worker)
        if not keep:
            worker.kill()

    def _discard(self, worker: Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
        worker.kill()

    def _expired_idle(self) -> list[Worker]:
        limit = time.monotonic() - self._idle_ttl_s
        expired: list[Worker] = []
        for identity, workers in self._idle.items():
            expired += [w for w in workers if w.last_used < limit]
            self._idle[identity] = [w for w in workers if w.last_used >= limit]
        return expired

    def _environment(self, spec: FunctionSpec, code_dir: Path) -> dict[str, str]:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "TZ": ":UTC",
            # Never let the developer's ~/.aws (profiles, real credentials) shape a local call.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }
        if "PYTHONDONTWRITEBYTECODE" in os.environ:
            env["PYTHONDONTWRITEBYTECODE"] = os.environ["PYTHONDONTWRITEBYTECODE"]
        env.update(dict(spec.environment))
        # Reserved variables win over the function's own, as on AWS. The credentials are the
        # emulator's own, the stack's (`emulator_app.serve` puts them in its environment).
        env.update({name: os.environ.get(name, "") for name in _CREDENTIAL_VARIABLES})
        env.update(
            {
                "AWS_REGION": spec.region,
                "AWS_DEFAULT_REGION": spec.region,
                "AWS_ENDPOINT_URL": self._endpoint_url,
                "AWS_EXECUTION_ENV": f"AWS_Lambda_{spec.runtime}",
                "AWS_LAMBDA_FUNCTION_NAME": spec.function_name,
                "AWS_LAMBDA_FUNCTION_VERSION": spec.version,
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(spec.memory_mb),
                "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{spec.function_name}",
                "AWS_LAMBDA_LOG_STREAM_NAME": f"localaws/[{spec.version}]{uuid.uuid4().hex}",
                "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
                "LAMBDA_TASK_ROOT": str(code_dir),
                "_HANDLER": spec.handler,
            }
        )
        return env

    def _failure(
        self,
        spec: FunctionSpec,
        request_id: str,
        started: float,
        error: dict[str, Any],
        logs: str,
    ) -> Invocation:
        LOG.warning("%s %s failed: %s", spec.identity, request_id, error.get("errorType"))
        report = _report(spec, request_id, started, 0, None)
        text = logs + json.dumps(error) + "\n"
        return Invocation(json.dumps(error), True, _frame(spec, request_id, text, report))


class _InitFailedError(Exception):
    def __init__(self, error: dict[str, Any], logs: str) -> None:
        super().__init__(error.get("errorMessage", "init failed"))
        self.error = error
        self.logs = logs


def _init_failure(exc: Exception) -> dict[str, Any]:
    if isinstance(exc, WorkerTimeoutError):
        return lambda_protocol.error_payload("Sandbox.Timedout", "INIT phase timed out")
    return lambda_protocol.error_payload("Runtime.ExitError", f"INIT failed: {exc}")


def _report(
    spec: FunctionSpec, request_id: str, started: float, memory_mb: int, init_ms: float | None
) -> str:
    duration_ms = (time.perf_counter() - started) * 1000
    report = (
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
        f"Billed Duration: {math.ceil(duration_ms)} ms\tMemory Size: {spec.memory_mb} MB\t"
        f"Max Memory Used: {memory_mb} MB"
    )
    if init_ms is not None:
        report += f"\tInit Duration: {init_ms:.2f} ms"
    return report


def _frame(spec: FunctionSpec, request_id: str, logs: str, report: str) -> str:
    if logs and not logs.endswith("\n"):
        logs += "\n"
    return (
        f"START RequestId: {request_id} Version: {spec.version}\n{logs}"
        f"END RequestId: {request_id}\n{report}\n"
    )
