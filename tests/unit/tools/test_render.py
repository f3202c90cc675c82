"""The workflow renderer fills every placeholder or refuses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stepfunctions.render import (
    ANALYSIS_TEMPLATE,
    RenderError,
    lambda_arns,
    placeholders,
    render,
    render_analysis,
    task_lambda_arns,
)

ARN = "arn:aws:lambda:eu-west-1:123456789012:function:smartre-dev-{}"
TASKS = ("classify_image", "assess_repair", "merge_analysis")


def deployed_file(tmp_path: Path, names: tuple[str, ...] = TASKS) -> Path:
    resources = [
        {"name": n, "resource_type": "lambda_function", "lambda_arn": ARN.format(n)} for n in names
    ]
    resources.append({"name": "rest_api", "resource_type": "rest_api", "rest_api_id": "abc"})
    path = tmp_path / "dev.json"
    path.write_text(json.dumps({"resources": resources, "schema_version": "2.0"}))
    return path


def test_analysis_definition_renders_with_every_task_arn(tmp_path: Path) -> None:
    definition = render_analysis(deployed_file(tmp_path), "smartre-dev-analyses")

    assert placeholders(definition) == set()
    assert task_lambda_arns(definition) == sorted(ARN.format(n) for n in TASKS)
    assert "smartre-dev-analyses" in definition


def test_a_missing_function_fails_the_render(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="merge_analysis"):
        render_analysis(deployed_file(tmp_path, TASKS[:2]), "t")


def test_values_cannot_break_out_of_their_json_string() -> None:
    rendered = render('{"a": "${x}"}', {"x": 'evil", "b": "1'})
    assert json.loads(rendered) == {"a": 'evil", "b": "1'}


def test_a_value_that_smuggles_a_placeholder_is_refused() -> None:
    with pytest.raises(RenderError, match="left"):
        render('{"a": "${x}"}', {"x": "${y}"})


def test_only_lambda_functions_are_read_from_the_deployed_file(tmp_path: Path) -> None:
    assert set(lambda_arns(deployed_file(tmp_path))) == set(TASKS)


def test_the_template_uses_exactly_the_known_placeholders() -> None:
    assert placeholders(ANALYSIS_TEMPLATE.read_text()) == {*TASKS, "analyses_table"}
