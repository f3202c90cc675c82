"""Start the embedded local AWS: `python -m localaws.server`, or `start_emulator()` from Python.

The command line runs the emulator in this process until SIGINT/SIGTERM (see
`localaws.emulator_app.serve`). `start_emulator` runs the same command as a child process and
returns an `Emulator` handle once it answers, which is what tests and the `make run` orchestrator
use: the emulator's threads, worker processes and moto state then live and die with one PID.
This module imports neither moto nor boto3 at import time, so handles are cheap to create.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from localaws import credentials as stack_credentials
from localaws.credentials import StackCredentials
from localaws.defaults import REGION, client_environment

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = Path(".localaws")


class EmulatorStartError(RuntimeError):
    pass


@dataclass
class Emulator:
    """A running emulator child process."""

    endpoint_url: str
    port: int
    pid: int
    state_dir: Path
    log_path: Path
    credentials: StackCredentials = field(repr=False)
    _process: subprocess.Popen[bytes] = field(repr=False)
    _owned_state_dir: bool = field(default=False, repr=False)

    # --- lifecycle ------------------------------------------------------------------------
    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM (the emulator then stops its Lambda workers), SIGKILL if it hangs."""
        atexit.unregister(self.stop)
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        if self._owned_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)
        return self._process.returncode

    def is_running(self) -> bool:
        return self._process.poll() is None

    def __enter__(self) -> Emulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- clients --------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        """Environment variables that make boto3, Chalice and the AWS CLI use this emulator
        (with the stack's credentials in them: for child processes, never for a command line)."""
        return client_environment(self.endpoint_url, self.credentials.environment())

    @property
    def credentials_file(self) -> Path:
        """The stack's credentials as an AWS shared-credentials file (mode 0600)."""
        return stack_credentials.path_in(self.state_dir)

    def client(self, service: str, **config: Any) -> Any:
        """A boto3 client for this emulator (host prefixes off, as StartSyncExecution needs)."""
        import boto3
        from botocore.config import Config

        env = self.environment()
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            aws_session_token=env["AWS_SESSION_TOKEN"],
            config=Config(inject_host_prefix=False, **config),
        )

    # --- admin endpoints ------------------------------------------------------------------
    def inject_faults(self, rules: list[dict[str, Any]], seed: int = 0) -> dict[str, Any]:
        """Replace the fault plan (see `localaws.faults.FaultRule` for the rule fields)."""
        return self._admin("POST", "/_localaws/faults", {"seed": seed, "rules": rules})

    def clear_faults(self) -> dict[str, Any]:
        """Remove the fault plan; returns its final counters."""
        return self._admin("DELETE", "/_localaws/faults")

    def fault_counts(self) -> dict[str, Any]:
        return self._admin("GET", "/_localaws/faults")

    def lambda_worker_pids(self) -> list[int]:
        return list(self._admin("GET", "/_localaws/lambda/workers")["pids"])

    def sent_mail(self, to: str | None = None) -> list[dict[str, Any]]:
        """The mail SES accepted (to one address), oldest first: `/_localaws/ses/messages`."""
        query = "" if to is None else "?" + urllib.parse.urlencode({"to": to})
        return list(self._admin("GET", "/_localaws/ses/messages" + query)["messages"])

    def _admin(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        status, payload = _request(self.endpoint_url, method, path, body, self.credentials)
        if status != 200:
            raise ValueError(f"{method} {path}: {status} {payload.decode(errors='replace')}")
        return dict(json.loads(payload))


def start_emulator(
    port: int | None = None,
    state_dir: Path | None = None,
    *,
    host: str = "127.0.0.1",
    startup_timeout: float = 60.0,
) -> Emulator:
    """Start `python -m localaws.server` as a child process and wait until it answers.

    `port=None` lets the OS pick a free port (no race: the child binds port 0 and reports the
    port it got). `state_dir=None` uses a temporary directory removed by `stop()`. The child's
    output goes to `<state_dir>/emulator.log`.
    """
    owned = state_dir is None
    state = Path(tempfile.mkdtemp(prefix="localaws-")) if state_dir is None else state_dir
    state.mkdir(parents=True, exist_ok=True)
    # Made here (first start) or reused; the child reads the same file from its --state-dir.
    credentials = stack_credentials.load_or_create(state)
    ready_file = state / "ready.json"
    ready_file.unlink(missing_ok=True)
    log_path = state / "emulator.log"
    command = [sys.executable, "-m", "localaws.server", "--host", host, "--port", str(port or 0),
               "--state-dir", str(state), "--ready-file", str(ready_file),
               "--exit-with-parent"]  # fmt: skip
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            cwd=REPOSITORY_ROOT,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    facts = _wait_until_ready(process, ready_file, log_path, startup_timeout)
    emulator = Emulator(
        endpoint_url=str(facts["endpoint_url"]),
        port=int(facts["port"]),
        pid=process.pid,
        state_dir=state,
        log_path=log_path,
        credentials=credentials,
        _process=process,
        _owned_state_dir=owned,
    )
    # A caller that forgets stop() (or dies of an exception) still stops the emulator on exit.
    atexit.register(emulator.stop)
    return emulator


def _wait_until_ready(
    process: subprocess.Popen[bytes], ready_file: Path, log_path: Path, timeout: float
) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorStartError(
                f"emulator exited with {process.returncode}:\n{_tail(log_path)}"
            )
        if ready_file.exists():
            with contextlib.suppress(ValueError):
                facts = dict(json.loads(ready_file.read_text()))
                if _answers(str(facts["endpoint_url"])):
                    return facts
        time.sleep(0.05)
    process.kill()
    process.wait()
    raise EmulatorStartError(f"emulator not ready after {timeout:.0f}s:\n{_tail(log_path)}")


def _answers(endpoint_url: str) -> bool:
    try:
        return _request(endpoint_url, "GET", "/_localaws/health", timeout=2)[0] == 200
    except OSError:
        return False


def _request(
    endpoint_url: str,
    method: str,
    path: str,
    body: Any = None,
    credentials: StackCredentials | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    """One request to the emulator; signed with `credentials` (the admin endpoints need it)."""
    url = urllib.parse.urlsplit(endpoint_url)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if credentials is not None:
            from localaws.sigv4 import signed_headers

            headers = signed_headers(
                method, endpoint_url + path, credentials, data or b"", headers=headers
            )
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws.server", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566, help="0 picks a free port")
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    parser.add_argument("--ready-file", type=Path, help="write the endpoint as JSON when ready")
    parser.add_argument(
        "--exit-with-parent", action="store_true", help="stop when the starting process dies"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # One line per HTTP request drowns what matters (cold starts, failures, faults).
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from localaws.emulator_app import serve

    serve(args.host, args.port, args.state_dir.resolve(), args.ready_file, args.exit_with_parent)


if __name__ == "__main__":
    main()
