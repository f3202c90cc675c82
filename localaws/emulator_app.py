"""The emulator process: moto's WSGI app behind localaws's admin endpoints and fault injection.

`serve` is what `python -m localaws.server` runs. Order matters and is kept here in one place:
MOTO_PORT before anything can start a Step Functions execution (moto's interpreter calls Lambda
at http://localhost:$MOTO_PORT), execution switched on before any state machine exists (moto keeps
executable machines in a separate backend), patches before the first request.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from pathlib import Path
from types import FrameType
from typing import Any

from localaws import credentials as stack_credentials
from localaws import s3_post_policy, sigv4
from localaws.admin_api import HEALTH, PREFIX, AdminApi
from localaws.credentials import StackCredentials
from localaws.defaults import ACCOUNT_ID, REGION
from localaws.faults import FaultInjector
from localaws.lambda_code import CodeCache
from localaws.lambda_pool import LambdaRuntime

LOG = logging.getLogger(__name__)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class LocalAwsApplication:
    """Authenticates every request as AWS does (`sigv4`: the stack's credentials, or what AWS
    serves unsigned), routes `/_localaws/*` to the admin API (signed too, but its health check),
    lets faults pre-empt requests, checks browser uploads' POST policies as S3 does
    (`s3_post_policy`), the rest to moto."""

    def __init__(
        self,
        moto_app: WsgiApp,
        admin: AdminApi,
        faults: FaultInjector,
        credentials: StackCredentials,
    ) -> None:
        self._moto_app = moto_app
        self._admin = admin
        self._faults = faults
        self._credentials = credentials
        self._post_credentials = {credentials.access_key_id: credentials.secret_access_key}

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not (path == HEALTH and environ.get("REQUEST_METHOD") == "GET"):
            refusal = sigv4.check(environ, self._credentials, plain_json=path.startswith(PREFIX))
            if refusal is not None:
                return _answer(refusal, start_response)
        if path.startswith(PREFIX):
            return self._admin(environ, start_response)
        fault = self._faults.intercept(environ)
        if fault is not None:
            status, headers, body = fault
            start_response(f"{status} Injected", headers)
            return [body]
        refusal = s3_post_policy.check(environ, credentials=self._post_credentials)
        if refusal is not None:
            return _answer(refusal, start_response)
        return self._moto_app(environ, start_response)


def _answer(
    refusal: tuple[int, list[tuple[str, str]], bytes], start_response: Callable[..., Any]
) -> Iterable[bytes]:
    status, headers, body = refusal
    start_response(f"{status} {HTTPStatus(status).phrase}", headers)
    return [body]


def endpoint_for(host: str, port: int) -> str:
    """The URL children (Lambda workers, moto's interpreter) use to reach the server."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "", "127.0.0.1", "localhost") else host  # noqa: S104
    return f"http://{reachable}:{port}"


def serve(
    host: str,
    port: int,
    state_dir: Path,
    ready_file: Path | None = None,
    exit_with_parent: bool = False,
) -> None:
    """Run the emulator until SIGINT/SIGTERM; then stop the server and every Lambda worker.

    `exit_with_parent` also stops it when the process that started it dies without cleaning up
    (a crashed test run must not leave an emulator and its workers behind).
    """
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import make_server

    from localaws import patches

    state_dir.mkdir(parents=True, exist_ok=True)
    # The only credentials the emulator accepts; also its own (moto's Step Functions interpreter
    # calls Lambda over HTTP with them), and through the environment its Lambda workers'.
    credentials = stack_credentials.load_or_create(state_dir)
    os.environ.update(credentials.environment())
    # Bind first: with port 0 the OS picks, and everything below needs the real port.
    faults = FaultInjector()
    server = make_server(host, port, _starting, threaded=True, request_handler=MotoRequestHandler)
    port = int(server.server_address[1])
    endpoint = endpoint_for(host, port)
    os.environ["MOTO_PORT"] = str(port)
    _switch_on_step_functions_execution()
    runtime = LambdaRuntime(CodeCache(state_dir / "lambda-code"), endpoint)
    patches.apply_all(runtime)
    facts = {"endpoint_url": endpoint, "port": port, "region": REGION, "account_id": ACCOUNT_ID,
             "pid": os.getpid()}  # fmt: skip
    admin = AdminApi(faults, runtime, facts)
    server.app = LocalAwsApplication(
        DomainDispatcherApplication(create_backend_app), admin, faults, credentials
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        # shutdown() waits for serve_forever() to return, so it cannot run on the serving thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    if exit_with_parent:
        threading.Thread(target=_shutdown_when_orphaned, args=(server,), daemon=True).start()
    if ready_file is not None:
        ready_file.write_text(json.dumps(facts))
    print(f"localaws ready: {endpoint} (region {REGION}, state {state_dir})", flush=True)
    try:
        # A short poll interval makes shutdown (Ctrl-C, Emulator.stop) take ~0.1 s, not 0.5 s.
        server.serve_forever(poll_interval=0.1)
    finally:
        runtime.shutdown()
        server.server_close()
        print("localaws stopped", flush=True)


def _shutdown_when_orphaned(server: Any) -> None:
    # An orphan is re-parented (to init or a subreaper), so its parent PID changes.
    parent = os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    LOG.warning("parent process %s is gone: stopping", parent)
    server.shutdown()


def _starting(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    # Serves the instant between binding the port and installing the real application.
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"localaws is starting"]


def _switch_on_step_functions_execution() -> None:
    # The same effect as POST /moto-api/config {"stepfunctions": {"execute_state_machine": true}}.
    from moto.core.config import default_user_config

    default_user_config["stepfunctions"] = {"execute_state_machine": True}
