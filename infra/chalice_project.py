"""What the two Chalice projects say about a stage: function settings and deployed resources.

The deploy verifies memory and tracing against ``.chalice/config.json`` and the cost estimate
prices Lambda from the same numbers, so both read them here, with Chalice's precedence
(stage function > stage > function > top level). After ``chalice deploy`` the REST API id, the
API URL and the Lambda ARNs come from ``.chalice/deployed/<stage>.json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.app_config import APPS, REPO_ROOT

# The workflow's ML tasks: the benchmarks sized them at 512-1024 MB (numpy + Pillow inference).
ML_TASKS = ("classify_image", "assess_repair")
ML_MEMORY_RANGE_MB = (512, 1024)
# The function Chalice creates for the routes of an app (``<app>-<stage>``).
API_HANDLER = "api_handler"


@dataclass(frozen=True)
class FunctionSettings:
    memory_mb: int
    timeout_s: int


class ProjectError(RuntimeError):
    """A Chalice project is not configured or deployed the way the deploy expects."""


def project_dir(app: str, root: Path = REPO_ROOT) -> Path:
    if app not in APPS:
        raise ValueError(f"unknown app {app!r}")
    return root / app


def load_config(app: str, root: Path = REPO_ROOT) -> dict[str, Any]:
    config: dict[str, Any] = json.loads(
        (project_dir(app, root) / ".chalice" / "config.json").read_text()
    )
    return config


def function_settings(config: dict[str, Any], stage: str, function: str) -> FunctionSettings:
    """One function's memory and timeout for ``stage``, as Chalice resolves them."""
    layers = [
        config,
        config.get("lambda_functions", {}).get(function, {}),
        config.get("stages", {}).get(stage, {}),
        config.get("stages", {}).get(stage, {}).get("lambda_functions", {}).get(function, {}),
    ]
    memory, timeout = 128, 60  # Chalice's own defaults
    for layer in layers:
        memory = int(layer.get("lambda_memory_size", memory))
        timeout = int(layer.get("lambda_timeout", timeout))
    return FunctionSettings(memory_mb=memory, timeout_s=timeout)


def tracing_enabled(config: dict[str, Any], stage: str) -> bool:
    return bool(config.get("stages", {}).get(stage, {}).get("xray", config.get("xray", False)))


def check_ml_memory(config: dict[str, Any], stage: str) -> list[str]:
    """Problems with the ML tasks' memory (empty when each is within the benchmarked range)."""
    low, high = ML_MEMORY_RANGE_MB
    problems = []
    for task in ML_TASKS:
        memory = function_settings(config, stage, task).memory_mb
        if not low <= memory <= high:
            problems.append(f"smartre {task}: {memory} MB, expected {low}-{high} MB")
    return problems


@dataclass(frozen=True)
class Deployed:
    """The resources ``chalice deploy`` recorded for one app and stage."""

    app: str
    rest_api_id: str | None
    api_url: str | None
    lambda_arns: dict[str, str]

    @property
    def function_names(self) -> dict[str, str]:
        return {name: arn.rsplit(":", 1)[-1] for name, arn in self.lambda_arns.items()}

    def api_id(self) -> str:
        if self.rest_api_id is None:
            raise ProjectError(f"{self.app} has no REST API in its deployed record")
        return self.rest_api_id


def deployed_path(app: str, stage: str, root: Path = REPO_ROOT) -> Path:
    return project_dir(app, root) / ".chalice" / "deployed" / f"{stage}.json"


def load_deployed(app: str, stage: str, root: Path = REPO_ROOT) -> Deployed | None:
    path = deployed_path(app, stage, root)
    if not path.exists():
        return None
    document = json.loads(path.read_text())
    rest_api_id = api_url = None
    arns: dict[str, str] = {}
    for resource in document.get("resources", []):
        kind = resource.get("resource_type")
        if kind == "rest_api":
            rest_api_id = str(resource["rest_api_id"])
            api_url = str(resource["rest_api_url"])
        elif kind == "lambda_function":
            arns[str(resource["name"])] = str(resource["lambda_arn"])
    return Deployed(app=app, rest_api_id=rest_api_id, api_url=api_url, lambda_arns=arns)


def require_deployed(app: str, stage: str, root: Path = REPO_ROOT) -> Deployed:
    deployed = load_deployed(app, stage, root)
    if deployed is None or deployed.rest_api_id is None:
        raise ProjectError(f"{app} has no REST API deployed for stage {stage!r}")
    return deployed
