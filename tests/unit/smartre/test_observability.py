"""SmartRe's metrics: embedded-metric-format lines from the tasks' results and the workflow."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib import observability
from chalicelib.workflow import AnalysisWorkflow
from repaircore import correlation, logs, metrics
from repaircore.errors import ServiceUnavailable, Unprocessable
from stepfunctions.render import ANALYSIS_TEMPLATE


def emitted(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """Every EMF line written to stdout, checked against the format's required structure."""
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line]
    for line in lines:
        (directive,) = line["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == metrics.NAMESPACE
        for dimension_set in directive["Dimensions"]:
            assert all(isinstance(line[name], str) for name in dimension_set)
        for metric in directive["Metrics"]:
            assert isinstance(line[metric["Name"]], int | float)
            assert metric["Unit"] in {"Count", "Milliseconds"}
    return lines


def by_metric(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {line["_aws"]["CloudWatchMetrics"][0]["Metrics"][0]["Name"]: line for line in lines}


def test_a_classified_photo_reports_its_latency_and_whether_it_was_recognised(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STAGE", "dev")
    result = {"productCategory": {"recognised": False}, "modelVersion": "image-7"}

    observability.record_task("classify_image", {"analysisId": "an_1"}, result, 23.5)

    lines = by_metric(emitted(capsys))
    assert lines["BranchLatency"]["BranchLatency"] == 23.5
    assert lines["BranchLatency"]["Branch"] == "classify_image"
    assert lines["BranchLatency"]["Stage"] == "dev"
    assert lines["PhotoNotRecognised"]["PhotoNotRecognised"] == 1
    assert lines["PhotoNotRecognised"]["modelVersion"] == "image-7"
    assert lines["PhotoNotRecognised"]["analysisId"] == "an_1"


def test_a_merged_answer_counts_its_outcome_and_whether_it_was_partial(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = {
        "outcome": {"predicted": "Repairable"},
        "partial": True,
        # the merge's shape (chalicelib.merge): one entry per missing part, with the reason
        "missing": [{"part": "productCategory", "reason": "States.Timeout"}],
        "modelVersions": {"outcome": "o-3", "image": None},
    }

    observability.record_task("merge_analysis", {"analysisId": "an_2"}, result, 4.0)

    lines = by_metric(emitted(capsys))
    assert lines["Analyses"]["Outcome"] == "Repairable"
    assert lines["Analyses"]["outcomeModelVersion"] == "o-3"
    assert lines["PartialAnswers"]["PartialAnswers"] == 1
    assert lines["PartialAnswers"]["missing"] == "productCategory"


def test_a_task_answers_even_when_its_metrics_fail(capsys: pytest.CaptureFixture[str]) -> None:
    @observability.measured
    def merge_analysis(event: dict[str, Any], context: Any) -> Any:
        return {"outcome": "not a mapping"}  # the metrics code cannot read this

    assert merge_analysis({}, None) == {"outcome": "not a mapping"}


class FakeStepFunctions:
    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response

    def start_sync_execution(self, **params: Any) -> dict[str, Any]:
        return self.response


@pytest.mark.parametrize("status", ["FAILED", "TIMED_OUT"])
def test_an_execution_without_an_answer_is_counted_with_the_request_correlation_id(
    capsys: pytest.CaptureFixture[str], status: str
) -> None:
    workflow = AnalysisWorkflow(
        FakeStepFunctions({"status": status, "error": "States.Timeout"}), "a"
    )
    token = correlation.bind("corr-12345678")
    try:
        with pytest.raises(ServiceUnavailable):
            workflow.run("an_3", {})
    finally:
        correlation.unbind(token)

    (line,) = emitted(capsys)
    assert line["WorkflowFailures"] == 1
    assert line["status"] == status
    assert line["correlationId"] == "corr-12345678"


def test_a_rejected_photo_is_an_answer_not_a_workflow_failure(
    capsys: pytest.CaptureFixture[str],
) -> None:
    workflow = AnalysisWorkflow(
        FakeStepFunctions({"status": "FAILED", "error": "CorruptImage"}), "a"
    )

    with pytest.raises(Unprocessable):
        workflow.run("an_4", {})

    assert emitted(capsys) == []


def test_feedback_labels_are_counted_by_the_real_outcome(
    capsys: pytest.CaptureFixture[str],
) -> None:
    observability.record_feedback_label("End of life")

    (line,) = emitted(capsys)
    assert (line["FeedbackLabels"], line["Label"]) == (1, "End of life")


def test_a_task_logs_and_measures_under_the_correlation_id_of_its_execution(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[str | None] = []

    @observability.measured
    def assess_repair(event: dict[str, Any], context: Any) -> Any:
        seen.append(correlation.current_correlation_id())
        return {"modelVersions": {"outcome": "o-1"}}

    caplog.handler.addFilter(logs._CorrelationFilter())  # what configure_logging adds to Lambda's
    with caplog.at_level("INFO", logger="chalicelib.observability"):
        assess_repair({"analysisId": "an_5", "correlationId": "corr-from-caller"}, None)

    assert seen == ["corr-from-caller"]
    assert correlation.current_correlation_id() is None  # unbound once the task is done
    (line,) = emitted(capsys)
    assert line["correlationId"] == "corr-from-caller"
    (record,) = [r for r in caplog.records if "assess_repair of an_5" in r.getMessage()]
    assert record.correlation_id == "corr-from-caller"  # type: ignore[attr-defined]


def test_the_workflow_input_carries_the_requests_correlation_id() -> None:
    calls: list[dict[str, Any]] = []

    class Recording:
        def start_sync_execution(self, **params: Any) -> dict[str, Any]:
            calls.append(params)
            return {"status": "SUCCEEDED", "output": "{}"}

    token = correlation.bind("corr-87654321")
    try:
        AnalysisWorkflow(Recording(), "a").run("an_6", {"analysisId": "an_6"})
    finally:
        correlation.unbind(token)
    AnalysisWorkflow(Recording(), "a").run("an_7", {"analysisId": "an_7"})

    assert json.loads(calls[0]["input"]) == {"analysisId": "an_6", "correlationId": "corr-87654321"}
    assert json.loads(calls[1]["input"])["correlationId"] == "an_7"  # no request: the analysis id


def test_every_lambda_task_of_the_workflow_receives_the_correlation_id() -> None:
    definition = json.loads(ANALYSIS_TEMPLATE.read_text())
    tasks: dict[str, dict[str, Any]] = {}

    def collect(states: dict[str, Any]) -> None:
        for name, state in states.items():
            if state["Type"] == "Task" and "${" in state["Resource"]:
                tasks[name] = state
            for branch in state.get("Branches", []):
                collect(branch["States"])

    collect(definition["States"])

    assert set(tasks) == {"ClassifyImage", "AssessRepair", "Merge"}
    for state in tasks.values():
        assert state["Parameters"]["correlationId.$"] == "$.correlationId"
