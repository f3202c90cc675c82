"""Deploy a Chalice app's `@app.lambda_function`s to the emulator in about a second.

`make run` needs the workflow's Lambda ARNs in the emulator, but a full `chalice deploy` packages
third-party wheels for Lambda (downloads from PyPI) and builds an API nobody calls locally (HTTP
runs through `chalice local`). This is the fast path: zip only the app's own code (`app.py`,
`chalicelib/`, `vendor/` contents at the package root, as Chalice lays them out; third-party
packages come from the venv the workers run in), create or update one function per task with the
name, role, timeout, memory and environment Chalice would give it (resolved by Chalice's own
`Config`, so stage and per-function overrides behave identically), and record the ARNs in
`.chalice/deployed/<stage>.json` in Chalice's format, so whatever reads ARNs after a real
`chalice deploy` reads them the same way here.

Idempotent: the zip is byte-for-byte reproducible, so unchanged code leaves the function as is.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localaws.credentials import StackCredentials
from localaws.defaults import REGION

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
LAMBDA_TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
# Runs in a fresh interpreter: both apps define top-level `app` and `chalicelib`, so importing
# one into the caller's process would shadow the other.
_DISCOVER = """
import json, os, sys
project = sys.argv[1]
sys.path[:0] = [project, os.path.join(project, "vendor")]
os.chdir(project)
from app import app
print(json.dumps({"app_name": app.app_name, "functions": [
    {"name": f.name, "handler": f.handler_string} for f in app.pure_lambda_functions]}))
"""


@dataclass(frozen=True)
class LambdaTask:
    """One `@app.lambda_function` and the settings Chalice would deploy it with."""

    name: str
    function_name: str
    handler: str
    timeout: int
    memory_size: int
    environment: dict[str, str]
    tags: dict[str, str]


def deploy_lambda_functions(
    project_dir: Path,
    stage: str,
    endpoint_url: str,
    credentials: StackCredentials | None = None,
) -> Path:
    """Create or update the app's pure Lambda functions; return .chalice/deployed/<stage>.json.

    `credentials`: the emulator's (`Emulator.credentials`); by default the environment's."""
    project_dir = project_dir.resolve()
    app_name, tasks = discover_tasks(project_dir, stage)
    package = build_package(project_dir)
    lambda_client, iam_client = _clients(endpoint_url, credentials)
    role_arn = _ensure_role(iam_client, f"{app_name}-{stage}")
    runtime = f"python{sys.version_info.major}.{sys.version_info.minor}"
    arns = {
        task.name: _ensure_function(lambda_client, task, package, role_arn, runtime)
        for task in tasks
    }
    return write_deployed_file(project_dir, stage, role_arn, f"{app_name}-{stage}", arns)


def discover_tasks(project_dir: Path, stage: str) -> tuple[str, list[LambdaTask]]:
    """Import the app in a child interpreter and resolve each task's configuration for `stage`."""
    from chalice.config import Config

    result = subprocess.run(
        [sys.executable, "-c", _DISCOVER, str(project_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if result.returncode != 0:
        raise RuntimeError(f"cannot import the Chalice app in {project_dir}:\n{result.stderr}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    config_file = project_dir / ".chalice" / "config.json"
    on_disk = json.loads(config_file.read_text()) if config_file.exists() else {}
    app_name = str(on_disk.get("app_name") or found["app_name"])
    base = Config(
        chalice_stage=stage,
        user_provided_params={"project_dir": str(project_dir)},
        config_from_disk=on_disk,
    )
    tasks = []
    for function in found["functions"]:
        scoped = base.scope(stage, function["name"])
        tasks.append(
            LambdaTask(
                name=function["name"],
                function_name=f"{app_name}-{stage}-{function['name']}",
                handler=function["handler"],
                timeout=int(scoped.lambda_timeout or 60),
                memory_size=int(scoped.lambda_memory_size or 128),
                environment={k: str(v) for k, v in scoped.environment_variables.items()},
                tags={**scoped.tags},
            )
        )
    return app_name, tasks


def build_package(project_dir: Path) -> bytes:
    """A reproducible zip of the app's own code (same bytes for the same files)."""
    entries: dict[str, Path] = {}
    vendor = project_dir / "vendor"
    if vendor.is_dir():
        entries.update(_files_under(vendor, vendor))
    entries["app.py"] = project_dir / "app.py"
    chalicelib = project_dir / "chalicelib"
    if chalicelib.is_dir():
        entries.update(_files_under(chalicelib, project_dir))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name].read_bytes())
    return buffer.getvalue()


def _files_under(directory: Path, relative_to: Path) -> dict[str, Path]:
    return {
        path.relative_to(relative_to).as_posix(): path
        for path in directory.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def write_deployed_file(
    project_dir: Path, stage: str, role_arn: str, role_name: str, arns: dict[str, str]
) -> Path:
    resources: list[dict[str, Any]] = [
        {
            "name": "default-role",
            "resource_type": "iam_role",
            "role_arn": role_arn,
            "role_name": role_name,
        }
    ]
    resources += [
        {"name": name, "resource_type": "lambda_function", "lambda_arn": arn}
        for name, arn in sorted(arns.items())
    ]
    path = project_dir / ".chalice" / "deployed" / f"{stage}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"resources": resources, "schema_version": "2.0", "backend": "api"}
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def _clients(endpoint_url: str, credentials: StackCredentials | None) -> tuple[Any, Any]:
    import boto3

    if credentials is None:
        credentials = StackCredentials.from_environment()
    session = boto3.session.Session(region_name=REGION, **credentials.client_kwargs())
    return (
        session.client("lambda", endpoint_url=endpoint_url),
        session.client("iam", endpoint_url=endpoint_url),
    )


def _ensure_role(iam: Any, role_name: str) -> str:
    try:
        return str(iam.get_role(RoleName=role_name)["Role"]["Arn"])
    except iam.exceptions.NoSuchEntityException:
        created = iam.create_role(
            RoleName=role_name, AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST_POLICY)
        )
        return str(created["Role"]["Arn"])


def _ensure_function(
    client: Any, task: LambdaTask, package: bytes, role_arn: str, runtime: str
) -> str:
    settings: dict[str, Any] = {
        "Role": role_arn,
        "Runtime": runtime,
        "Handler": task.handler,
        "Timeout": task.timeout,
        "MemorySize": task.memory_size,
        "Environment": {"Variables": task.environment},
    }
    try:
        current = client.get_function_configuration(FunctionName=task.function_name)
    except client.exceptions.ResourceNotFoundException:
        created = client.create_function(
            FunctionName=task.function_name, Code={"ZipFile": package}, Tags=task.tags, **settings
        )
        return str(created["FunctionArn"])
    if current["CodeSha256"] != base64.b64encode(hashlib.sha256(package).digest()).decode():
        client.update_function_code(FunctionName=task.function_name, ZipFile=package)
    current_settings = {key: current.get(key) for key in settings}
    current_settings["Environment"] = {
        "Variables": (current.get("Environment") or {}).get("Variables", {})
    }
    if current_settings != settings:
        client.update_function_configuration(FunctionName=task.function_name, **settings)
    return str(current["FunctionArn"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws.deploy_local", description=__doc__)
    parser.add_argument("project_dir", type=Path)
    parser.add_argument("--stage", default="local")
    parser.add_argument("--endpoint-url", default=os.environ.get("AWS_ENDPOINT_URL"))
    args = parser.parse_args(argv)
    if not args.endpoint_url:
        parser.error("--endpoint-url or AWS_ENDPOINT_URL is required")
    print(deploy_lambda_functions(args.project_dir, args.stage, args.endpoint_url))


if __name__ == "__main__":
    main()
