"""`make run`: the whole system on this machine, on the embedded AWS, no account needed.

Starts, in order: the emulator; the stage's buckets, tables, secrets and user pool (the same
``infra`` definition ``deploy.sh`` applies to AWS); SmartRe's workflow Lambdas and the state
machine wired to them; demo staff accounts; the built SPA in the site bucket; ``chalice local``
for both APIs; and the CloudFront emulator that serves the site and routes ``/api/*`` to
RepairApp. Ctrl-C or SIGTERM stops every child by its PID. Tests start the same stack on free
ports (``LocalStack(StackPorts.free())``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

from infra.app_config import SITE_URL_PARAMETER, parameter_path
from infra.definition import LOCAL_ACCOUNT, LOCAL_STAGE, Stage, stage
from infra.seed import ensure_demo_staff, seed_products
from infra.site import publish
from infra.stack import Clients, apply_foundation, apply_workflow
from localaws.deploy_local import deploy_lambda_functions
from localaws.server import Emulator, start_emulator

REPO_ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = REPO_ROOT / ".localaws"


@dataclass(frozen=True)
class StackPorts:
    site: int = 8000
    repairapp: int = 8001
    smartre: int = 8002
    emulator: int = 4566

    @classmethod
    def from_env(cls) -> StackPorts:
        return cls(
            site=int(os.environ.get("SITE_PORT", 8000)),
            repairapp=int(os.environ.get("REPAIRAPP_PORT", 8001)),
            smartre=int(os.environ.get("SMARTRE_PORT", 8002)),
            emulator=int(os.environ.get("EMULATOR_PORT", 4566)),
        )

    @classmethod
    def free(cls) -> StackPorts:
        return cls(*(_free_port() for _ in range(4)))

    def busy(self) -> list[int]:
        return [p for p in (self.site, self.repairapp, self.smartre, self.emulator) if _in_use(p)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class LocalStack:
    ports: StackPorts = field(default_factory=StackPorts)
    state_dir: Path = STATE_DIR
    quiet: bool = False
    emulator: Emulator | None = None
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    spec: Stage | None = None
    demo_staff: dict[str, dict[str, str]] = field(default_factory=dict)
    origin_secret: str = ""
    service_key: str = ""
    # `make aws`: only the embedded AWS and its resources; each app then runs with `chalice local`.
    aws_only: bool = False

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.site}"

    @property
    def repairapp_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.repairapp}"

    @property
    def smartre_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.smartre}"

    # --- lifecycle --------------------------------------------------------------------------
    def start(self) -> LocalStack:
        busy = self.ports.busy()
        if self.aws_only:  # the apps' ports are the developer's own `chalice local`
            busy = [p for p in busy if p == self.ports.emulator]
        if busy:
            raise SystemExit(
                f"port(s) {', '.join(map(str, busy))} already in use: is `make run` already "
                "running? Stop it, or choose ports with SITE_PORT/REPAIRAPP_PORT/SMARTRE_PORT/"
                "EMULATOR_PORT."
            )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        try:
            self._step("embedded AWS", self._start_emulator)
            self._step("buckets, tables, secrets, user pool", self._provision)
            self._step("SmartRe workflow Lambdas + state machine", self._deploy_workflow)
            self._step("product catalogue and demo staff", self._seed)
            if self.aws_only:
                return self
            self._step("SPA in the site bucket", self._publish_site)
            self._step("SmartRe API (chalice local)", self._start_smartre)
            self._step("RepairApp API (chalice local)", self._start_repairapp)
            self._step("CloudFront emulator (site + /api)", self._start_site)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for name, child in reversed(list(self.children.items())):
            _terminate(child)
            self._say(f"stopped {name} (pid {child.pid})")
        self.children.clear()
        if self.emulator is not None:
            self.emulator.stop()
            self._say(f"stopped embedded AWS (pid {self.emulator.pid})")
            self.emulator = None

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- steps ------------------------------------------------------------------------------
    def _step(self, what: str, action: Any) -> None:
        started = time.monotonic()
        action()
        self._say(f"  ok  {what} ({time.monotonic() - started:.1f} s)")

    def _start_emulator(self) -> None:
        self.emulator = start_emulator(self.ports.emulator, self.state_dir / "emulator")
        # Everything this process does from now on talks to the emulator, with its credentials;
        # `source .localaws/emulator/env` does the same for a developer's shell.
        os.environ.update(self.emulator.environment())
        (self.emulator.state_dir / "env").write_text(shell_environment(self.emulator))

    def _clients(self) -> Clients:
        assert self.spec is not None
        return Clients.for_region(self.spec.region)

    def _provision(self) -> None:
        self.spec = stage(
            LOCAL_STAGE,
            LOCAL_ACCOUNT,
            site_origins=(self.site_url, f"http://localhost:{self.ports.site}"),
        )
        apply_foundation(self._clients(), self.spec)
        ssm = self._clients()("ssm")
        # What `infra cdn` records on AWS: the site's address, for the links in RepairApp's mails.
        ssm.put_parameter(
            Name=parameter_path(self.spec) + SITE_URL_PARAMETER,
            Value=self.site_url,
            Type="String",
            Overwrite=True,
        )
        self.origin_secret = _parameter(ssm, self.spec.origin_secret.name)
        self.service_key = _parameter(ssm, self.spec.service_key.name)

    def _deploy_workflow(self) -> None:
        assert self.emulator is not None
        assert self.spec is not None
        deployed = deploy_lambda_functions(
            REPO_ROOT / "smartre",
            LOCAL_STAGE,
            self.emulator.endpoint_url,
            self.emulator.credentials,
        )
        apply_workflow(self._clients(), self.spec, deployed)

    def _seed(self) -> None:
        assert self.spec is not None
        seed_products(self._clients()("dynamodb"), self.spec.products_table.name)
        self.demo_staff = ensure_demo_staff(
            self._clients()("cognito-idp"), self.spec, self.state_dir / "demo-staff.json"
        )

    def _publish_site(self) -> None:
        assert self.spec is not None
        publish(self._clients()("s3"), self.spec.site_bucket.name, REPO_ROOT / "frontend" / "dist")

    def _app_environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONUNBUFFERED"] = "1"
        env.pop("PYTHONPATH", None)  # each app sees only itself and its vendor/ (as on Lambda)
        return env

    def _start_smartre(self) -> None:
        self._start_chalice("smartre", self.ports.smartre, self._app_environment())

    def _start_repairapp(self) -> None:
        env = self._app_environment()
        env["SMARTRE_API_URL"] = self.smartre_url
        env["ORIGIN_GUARD_ENABLED"] = "true"  # the stack keeps production's guard (CloudFront)
        self._start_chalice("repairapp", self.ports.repairapp, env)

    def _start_chalice(self, app: str, port: int, env: dict[str, str]) -> None:
        env = {**env, "PYTHONPATH": str(REPO_ROOT)}  # for localaws.apigateway; it drops it again
        command = [
            sys.executable, "-m", "localaws.apigateway", "local", "--no-autoreload",
            "--stage", LOCAL_STAGE, "--host", "127.0.0.1", "--port", str(port),
        ]  # fmt: skip
        self._spawn(app, command, cwd=REPO_ROOT / app, env=env)
        _wait_for_http(f"http://127.0.0.1:{port}/api/health", self.children[app], app)

    def _start_site(self) -> None:
        assert self.spec is not None
        command = [
            sys.executable, "-m", "localaws.cloudfront",
            "--port", str(self.ports.site),
            "--site-bucket", self.spec.site_bucket.name,
            "--api-origin", self.repairapp_url,
            "--origin-secret-parameter", self.spec.origin_secret.name,
        ]  # fmt: skip
        self._spawn(
            "site",
            command,
            cwd=REPO_ROOT,
            env=self._app_environment() | {"PYTHONPATH": str(REPO_ROOT)},
        )
        _wait_for_http(f"{self.site_url}/api/health", self.children["site"], "site")

    def _spawn(self, name: str, command: list[str], *, cwd: Path, env: dict[str, str]) -> None:
        log = (self.state_dir / f"{name}.log").open("ab")
        self.children[name] = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)

    # --- the banner -------------------------------------------------------------------------
    def aws_banner(self) -> str:
        """What `make aws` prints: the environment a shell needs to use the embedded AWS."""
        assert self.emulator is not None
        exports = "\n".join(
            f"  {line}" for line in shell_environment(self.emulator).splitlines() if line
        )
        if self.ports.emulator == 4566:
            run = (
                "  cd smartre && ../.venv/bin/chalice local --stage local --port 8002\n"
                "  cd repairapp && ../.venv/bin/chalice local --stage local  # SmartRe: 8002"
            )
        else:  # the local stage names 4566; the wrapper lets the shell's endpoint win
            run = (
                f"  export AWS_ENDPOINT_URL={self.emulator.endpoint_url}\n"
                "  cd smartre && PYTHONPATH=.. ../.venv/bin/python -m localaws.apigateway local "
                "--stage local --port 8002"
            )
        return f"""
The embedded AWS is running with the "local" stage's resources at {self.emulator.endpoint_url}.

Run one app against it, with autoreload (docs/develop.md):

{run}

For the aws CLI or boto3 in another shell (the emulator accepts only this stack's credentials,
kept in {self.emulator.credentials_file}; or `source {self.emulator.state_dir / "env"}`):
{exports}

  Logs: .localaws/*.log        Stop: Ctrl-C
"""

    def banner(self) -> str:
        staff = "\n".join(
            f"    {role:<12} {creds['username']}  /  {creds['password']}"
            for role, creds in self.demo_staff.items()
        )
        assert self.emulator is not None
        return f"""
RepairApp + SmartRe is running locally (stage "local", embedded AWS, no account needed):

  Web app (SPA)       {self.site_url}/
  Staff dashboard     {self.site_url}/staff
  RepairApp API       {self.site_url}/api/health   (through the CloudFront emulator)
                      {self.repairapp_url}/api/health   (direct)
  SmartRe API         {self.smartre_url}/api/health   (others need the service key)
  Embedded AWS        {self.emulator.endpoint_url}  (aws CLI, boto3: source .localaws/emulator/env)

  Staff sign-in (demo accounts of this machine, kept in .localaws/demo-staff.json):
{staff}

  Logs: .localaws/*.log        Stop: Ctrl-C
"""


def shell_environment(emulator: Emulator) -> str:
    """Shell lines that point the aws CLI and boto3 at `emulator` with the stack's credentials,
    read from its 0600 credentials file (so the secret is in no shell history or terminal)."""
    settings = {
        name: value
        for name, value in emulator.environment().items()
        if name not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
    }
    settings["AWS_SHARED_CREDENTIALS_FILE"] = str(emulator.credentials_file.resolve())
    lines = ["unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE"]
    lines += [f"export {name}={value}" for name, value in settings.items()]
    return "\n".join(lines) + "\n"


def _parameter(ssm: Any, name: str) -> str:
    return str(ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"])


def _wait_for_http(
    url: str, child: subprocess.Popen[bytes], name: str, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"{name} exited with {child.returncode}; see .localaws/{name}.log")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URL we built
                return
        except urllib.error.HTTPError:
            return  # it answers (e.g. 503 while a dependency warms up): it is up
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{name} did not answer {url} within {timeout:.0f} s")


def _terminate(child: subprocess.Popen[bytes], timeout: float = 10) -> None:
    if child.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGTERM)
    try:
        child.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m localaws.stack", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the URLs as JSON once up")
    parser.add_argument(
        "--aws-only",
        action="store_true",
        help="start only the embedded AWS with the local stage's resources (make aws)",
    )
    args = parser.parse_args(argv)
    stack = LocalStack(StackPorts.from_env(), aws_only=args.aws_only)
    started = time.monotonic()
    what = "the embedded AWS" if args.aws_only else "RepairApp + SmartRe on the embedded AWS"
    print(f"Starting {what} ...", flush=True)

    stopping = {"now": False}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    stack.start()
    print(stack.aws_banner() if args.aws_only else stack.banner())
    print(f"Up in {time.monotonic() - started:.1f} s.", flush=True)
    if args.json:
        print(json.dumps({"site": stack.site_url, "repairapp": stack.repairapp_url}), flush=True)
    try:
        while not stopping["now"]:
            for name, child in stack.children.items():
                if child.poll() is not None:
                    print(f"{name} exited with {child.returncode}; see .localaws/{name}.log")
                    stopping["now"] = True
            time.sleep(0.5)
    finally:
        print("\nStopping ...", flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
