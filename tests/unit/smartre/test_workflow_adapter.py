"""StartSyncExecution's answers become results or domain errors (a FAILED run is HTTP 200)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chalicelib.workflow import AnalysisWorkflow
from repaircore.errors import PayloadTooLarge, ServiceUnavailable, Unprocessable


class FakeStepFunctions:
    def __init__(self, response: dict[str, Any]) -> None:
        self.response = response
        self.calls: list[dict[str, Any]] = []

    def start_sync_execution(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        return self.response


def test_success_returns_the_output_and_names_the_execution_uniquely() -> None:
    fake = FakeStepFunctions({"status": "SUCCEEDED", "output": json.dumps({"analysis": {"a": 1}})})
    workflow = AnalysisWorkflow(fake, "arn:sm")

    first = workflow.run("an_1", {"x": 1})
    workflow.run("an_1", {"x": 1})

    assert first == {"analysis": {"a": 1}}
    assert fake.calls[0]["name"] != fake.calls[1]["name"]
    assert fake.calls[0]["name"].startswith("an_1-")


@pytest.mark.parametrize(
    ("error", "kind", "status"),
    [
        ("CorruptImage", Unprocessable, 422),
        ("ImageNotFound", Unprocessable, 422),
        ("TooManyPixels", PayloadTooLarge, 413),
    ],
)
def test_photo_failures_become_client_errors_with_their_name(
    error: str, kind: type, status: int
) -> None:
    cause = json.dumps({"errorType": error, "errorMessage": "the photo is truncated"})
    workflow = AnalysisWorkflow(
        FakeStepFunctions({"status": "FAILED", "error": error, "cause": cause}), "a"
    )

    with pytest.raises(kind) as caught:
        workflow.run("an_1", {})

    assert caught.value.code == error
    assert caught.value.status == status
    assert caught.value.message == "the photo is truncated"


@pytest.mark.parametrize("status", ["FAILED", "TIMED_OUT"])
def test_other_failures_are_503s(status: str) -> None:
    fake = FakeStepFunctions({"status": status, "error": "States.Runtime", "cause": "boom"})
    with pytest.raises(ServiceUnavailable) as caught:
        AnalysisWorkflow(fake, "a").run("an_1", {})
    assert caught.value.code == "AnalysisUnavailable"
