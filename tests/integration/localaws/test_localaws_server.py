"""The emulator process: starts on a free port, reports itself, stops cleanly with its workers."""

from __future__ import annotations

import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from localaws.server import Emulator, EmulatorStartError, start_emulator


def deploy_probe(emulator: Emulator) -> None:
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr(
            "probe.py",
            "import os, time\n"
            "def handler(event, context):\n"
            "    time.sleep(event.get('sleep', 0))\n"
            "    return os.getpid()\n",
        )
    role = emulator.client("iam").create_role(RoleName="probe", AssumeRolePolicyDocument="{}")
    emulator.client("lambda").create_function(
        FunctionName="probe",
        Runtime="python3.12",
        Role=role["Role"]["Arn"],
        Handler="probe.handler",
        Code={"ZipFile": package.getvalue()},
        Timeout=60,
    )


def invoke_ignoring_errors(emulator: Emulator) -> None:
    with contextlib.suppress(Exception):  # the emulator goes away mid-call
        emulator.client("lambda").invoke(FunctionName="probe", Payload=b'{"sleep": 50}')


def is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_stopping_the_emulator_stops_its_lambda_workers(tmp_path: Path) -> None:
    # Given an emulator whose Lambda worker is busy with a long invocation
    emulator = start_emulator(state_dir=tmp_path)
    try:
        deploy_probe(emulator)
        response = emulator.client("lambda").invoke(FunctionName="probe", Payload=b"{}")
        worker_pid = json.loads(response["Payload"].read())
        busy = threading.Thread(target=invoke_ignoring_errors, args=(emulator,), daemon=True)
        busy.start()
        time.sleep(0.5)
        assert emulator.lambda_worker_pids() == [worker_pid]
    finally:
        # When it is stopped (SIGTERM)
        exit_code = emulator.stop()
    # Then it exited cleanly, said so, and killed the worker instead of waiting for it
    assert exit_code == 0
    deadline = time.monotonic() + 2
    while is_alive(worker_pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not is_alive(worker_pid)
    log = emulator.log_path.read_text()
    assert f"localaws ready: {emulator.endpoint_url}" in log
    assert "localaws stopped" in log


def test_emulator_exits_when_the_process_that_started_it_dies(tmp_path: Path) -> None:
    # Given an emulator started by a process that is then killed without any cleanup
    starter = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path)],
        cwd=Path(__file__).resolve().parents[3],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert starter.stdout is not None
    emulator_pid = int(starter.stdout.readline())
    starter.kill()
    starter.wait()
    # Then the orphaned emulator notices and stops
    deadline = time.monotonic() + 10
    while is_alive(emulator_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not is_alive(emulator_pid)


STARTER = """
import sys, time
from pathlib import Path
from localaws.server import start_emulator
print(start_emulator(state_dir=Path(sys.argv[1])).pid, flush=True)
time.sleep(60)
"""


def test_health_endpoint_reports_the_endpoint_and_region(emulator: Emulator) -> None:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    connection.request("GET", "/_localaws/health")
    health = json.loads(connection.getresponse().read())
    assert health["status"] == "ok"
    assert (health["endpoint_url"], health["region"]) == (emulator.endpoint_url, "eu-west-1")
    assert health["pid"] == emulator.pid


def test_start_fails_loudly_when_the_port_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(EmulatorStartError, match="Address already in use"):
            start_emulator(port=taken.getsockname()[1], state_dir=tmp_path)
