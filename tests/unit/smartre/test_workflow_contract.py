"""The ASL and the task code agree: ``stepfunctions/analysis.asl.json`` against
``chalicelib.workflow_contract`` (task states, Retry and Catch error names, payload keys)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from chalicelib import workflow_contract as contract
from chalicelib.errors import PHOTO_ERRORS
from chalicelib.ml import errors as photo_errors

ASL = Path(__file__).resolve().parents[3] / "stepfunctions" / "analysis.asl.json"
EVENTS: dict[str, Any] = {
    contract.CLASSIFY_IMAGE.function: contract.ClassifyImageEvent,
    contract.ASSESS_REPAIR.function: contract.AssessRepairEvent,
    contract.MERGE_ANALYSIS.function: contract.MergeEvent,
}


def _states(node: Any) -> dict[str, dict[str, Any]]:
    """Every state of the machine, the Parallel branches' included, by name."""
    found: dict[str, dict[str, Any]] = {}
    for name, state in node["States"].items():
        found[name] = state
        for branch in state.get("Branches", []):
            found.update(_states(branch))
    return found


@pytest.fixture(scope="module")
def states() -> dict[str, dict[str, Any]]:
    return _states(json.loads(ASL.read_text(encoding="utf-8")))


def _lambda_tasks(states: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The Task states that call a Lambda (``${function}``), not a service integration."""
    return {
        name: state
        for name, state in states.items()
        if state["Type"] == "Task" and state["Resource"].startswith("${")
    }


def _keys(typed_dict: Any) -> set[str]:
    return set(typed_dict.__required_keys__) | set(typed_dict.__optional_keys__)


def test_the_asl_runs_exactly_the_contracts_lambda_tasks(states: dict[str, Any]) -> None:
    tasks = _lambda_tasks(states)

    assert {name: state["Resource"] for name, state in tasks.items()} == {
        task.state: "${" + task.function + "}" for task in contract.TASKS
    }
    others = [s["Resource"] for s in states.values() if s["Type"] == "Task"]
    assert all(r.startswith(("${", "arn:aws:states:::")) for r in others)


@pytest.mark.parametrize("task", contract.TASKS, ids=lambda task: task.function)
def test_each_task_retries_and_catches_the_contracts_errors(
    states: dict[str, Any], task: contract.WorkflowTask
) -> None:
    state = states[task.state]

    retried = [error for retrier in state.get("Retry", []) for error in retrier["ErrorEquals"]]
    assert sorted(retried) == sorted(task.retry_on)
    caught = [tuple(sorted(catcher["ErrorEquals"])) for catcher in state.get("Catch", [])]
    assert caught == [tuple(sorted(errors)) for errors in task.catch]


@pytest.mark.parametrize("task", contract.TASKS, ids=lambda task: task.function)
def test_each_task_gets_the_payload_its_type_declares(
    states: dict[str, Any], task: contract.WorkflowTask
) -> None:
    parameters = states[task.state]["Parameters"]

    assert {key.removesuffix(".$") for key in parameters} == _keys(EVENTS[task.function])


def test_the_branches_results_are_what_the_merge_reads(states: dict[str, Any]) -> None:
    parallel = states["Analyse"]
    merge = states[contract.MERGE_ANALYSIS.state]["Parameters"]

    parts = {key.removesuffix(".$") for key in parallel["ResultSelector"]}
    assert parts == {"photo", "assessment"} <= _keys(contract.MergeEvent)
    assert merge["photo.$"] == parallel["ResultPath"] + ".photo"
    assert merge["assessment.$"] == parallel["ResultPath"] + ".assessment"
    photo_branch, assessment_branch = (_states(b) for b in parallel["Branches"])
    for branch, part in (
        (photo_branch, contract.PhotoPart),
        (assessment_branch, contract.AssessmentPart),
    ):
        for name, state in branch.items():
            if state["Type"] == "Pass":
                shape = state.get("Result") or state["Parameters"]
                assert {key.removesuffix(".$") for key in shape} <= _keys(part), name
                assert shape["status"] in contract.PartStatus.__args__, name


def test_every_refused_photo_class_is_caught_and_has_a_status() -> None:
    declared = {
        value.__name__
        for value in vars(photo_errors).values()
        if isinstance(value, type) and issubclass(value, photo_errors.InvalidImage)
    } - {"InvalidImage"}

    assert declared | {"ImageNotFound"} == set(contract.PHOTO_ERROR_NAMES)
    assert set(PHOTO_ERRORS) == set(contract.PHOTO_ERROR_NAMES)
    assert contract.CLASSIFY_IMAGE.catch[0] == contract.PHOTO_ERROR_NAMES
