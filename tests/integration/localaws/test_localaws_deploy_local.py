"""deploy_local: Chalice's names and per-stage settings, Chalice's deployed file, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

from localaws.deploy_local import deploy_lambda_functions
from localaws.server import Emulator

APP = "workflow-fixture"


def test_deployed_file_lists_each_task_in_chalice_format(
    workflow_project: Path, workflow_arns: dict[str, str]
) -> None:
    document = json.loads((workflow_project / ".chalice/deployed/local.json").read_text())
    lambdas = [r for r in document["resources"] if r["resource_type"] == "lambda_function"]
    assert document["schema_version"] == "2.0"
    assert {r["name"] for r in lambdas} == {"classify", "assess", "merge", "describe_runtime"}
    assert workflow_arns["merge"] == (
        f"arn:aws:lambda:eu-west-1:123456789012:function:{APP}-local-merge"
    )


def test_stage_and_per_function_settings_are_applied(
    emulator: Emulator, workflow_arns: dict[str, str]
) -> None:
    client = emulator.client("lambda")
    merge = client.get_function_configuration(FunctionName=workflow_arns["merge"])
    classify = client.get_function_configuration(FunctionName=workflow_arns["classify"])
    assert (merge["Timeout"], merge["MemorySize"]) == (5, 256)
    assert merge["Environment"]["Variables"] == {
        "ATTEMPTS_TABLE_NAME": "workflow-fixture-attempts",
        "STAGE": "local",
        "MERGE_STRATEGY": "both-branches",
    }
    assert (classify["Timeout"], classify["Handler"]) == (10, "app.classify")
    assert "MERGE_STRATEGY" not in classify["Environment"]["Variables"]


def test_redeploying_unchanged_code_changes_nothing(
    emulator: Emulator, workflow_project: Path, workflow_arns: dict[str, str]
) -> None:
    client = emulator.client("lambda")
    before = client.get_function(FunctionName=workflow_arns["assess"])

    deploy_lambda_functions(workflow_project, "local", emulator.endpoint_url, emulator.credentials)

    after = client.get_function(FunctionName=workflow_arns["assess"])
    # moto gives every code upload a new location, so an unneeded update would show here.
    assert after["Code"]["Location"] == before["Code"]["Location"]
    assert after["Configuration"]["CodeSha256"] == before["Configuration"]["CodeSha256"]


def test_deployed_task_runs_with_its_stage_configuration(
    emulator: Emulator, workflow_arns: dict[str, str]
) -> None:
    response = emulator.client("lambda").invoke(
        FunctionName=workflow_arns["describe_runtime"], Payload=b'{"hello": "task"}'
    )
    described = json.loads(response["Payload"].read())
    assert described["env"]["STAGE"] == "local"
    assert described["env"]["AWS_ENDPOINT_URL"] == emulator.endpoint_url
    assert described["function_name"] == f"{APP}-local-describe_runtime"
    assert described["memory_limit_in_mb"] == "256"
    assert described["event"] == {"hello": "task"}


def test_warm_worker_serves_repeated_invocations(
    emulator: Emulator, workflow_arns: dict[str, str]
) -> None:
    client = emulator.client("lambda")
    pids = {
        json.loads(
            client.invoke(FunctionName=workflow_arns["describe_runtime"], Payload=b"{}")[
                "Payload"
            ].read()
        )["pid"]
        for _ in range(3)
    }
    assert len(pids) == 1
    assert pids <= set(emulator.lambda_worker_pids())
