"""Fill a workflow template's ``${name}`` placeholders and refuse to leave any behind.

Lambda task placeholders are the Chalice function names (``${classify_image}``); their ARNs come
from ``.chalice/deployed/<stage>.json``, which both ``chalice deploy`` and the emulator's fast
local deploy write. Other placeholders (``${analyses_table}``) come from the infra definition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)\}")
ANALYSIS_TEMPLATE = Path(__file__).resolve().parent / "analysis.asl.json"


class RenderError(ValueError):
    """A template cannot be rendered into a complete definition."""


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def render(template: str, values: Mapping[str, str]) -> str:
    """Return the definition with every placeholder replaced; fail on unknown or leftover ones."""
    wanted = placeholders(template)
    missing = sorted(wanted - set(values))
    if missing:
        raise RenderError("no value for placeholders: " + ", ".join(missing))
    rendered = PLACEHOLDER.sub(lambda m: _json_safe(values[m.group(1)]), template)
    leftover = placeholders(rendered)
    if leftover:
        raise RenderError("placeholders left after rendering: " + ", ".join(sorted(leftover)))
    json.loads(rendered)  # a value must never break the document
    return rendered


def _json_safe(value: str) -> str:
    # Values land inside JSON strings: escape without the surrounding quotes.
    return json.dumps(value)[1:-1]


def lambda_arns(deployed_path: Path) -> dict[str, str]:
    """``{function name: ARN}`` of the Lambda functions in a Chalice ``deployed/<stage>.json``."""
    deployed: dict[str, Any] = json.loads(deployed_path.read_text())
    arns: dict[str, str] = {}
    for resource in deployed.get("resources", []):
        if resource.get("resource_type") == "lambda_function":
            arns[str(resource["name"])] = str(resource["lambda_arn"])
    return arns


def render_analysis(deployed_path: Path, analyses_table: str) -> str:
    values = {**lambda_arns(deployed_path), "analyses_table": analyses_table}
    return render(ANALYSIS_TEMPLATE.read_text(), values)


def task_lambda_arns(definition: str) -> list[str]:
    """Every Lambda ARN a rendered definition invokes (for the workflow role's policy)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            resource = node.get("Resource")
            if isinstance(resource, str) and resource.startswith("arn:aws:lambda:"):
                found.append(resource)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(definition))
    return sorted(set(found))
