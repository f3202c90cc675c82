"""The metrics a failing workflow leaves, read from SmartRe's own log as CloudWatch would.

SmartRe's `chalice local` writes its stdout to ``<state dir>/smartre.log``, as Lambda ships it to
CloudWatch Logs; each embedded-metric-format line there becomes a metric on AWS. The workflow's
tasks run in the emulator's Lambda workers, whose output lands in the emulator's CloudWatch Logs
(``/aws/lambda/<function>``), read here with the Logs API as on AWS.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.smartre.conftest import SmartRe


def metric_lines(smartre: SmartRe, name: str) -> list[dict[str, Any]]:
    lines = []
    log = smartre.stack.state_dir / "smartre.log"
    for raw in log.read_text(errors="replace").splitlines():
        if raw.startswith('{"_aws"'):
            line = json.loads(raw)
            if name in line:
                lines.append(line)
    return lines


@pytest.fixture
def every_lambda_call_fails(smartre: SmartRe) -> Iterator[None]:
    assert smartre.stack.emulator is not None
    smartre.stack.emulator.inject_faults(
        [{"service": "lambda", "operation": "Invoke", "error": "ResourceNotFoundException",
          "status": 404}]
    )  # fmt: skip
    yield
    smartre.stack.emulator.clear_faults()


def test_a_failed_workflow_is_counted_with_the_requests_correlation_id(
    smartre: SmartRe, every_lambda_call_fails: None
) -> None:
    before = len(metric_lines(smartre, "WorkflowFailures"))

    reply = smartre.post(
        "/api/analyses",
        {"description": "The kettle does not heat any more", "language": "en"},
        **{"Idempotency-Key": "it-metrics-failure-1", "X-Correlation-Id": "it-corr-0001"},
    )

    assert reply.status == 503, reply.data
    deadline = time.monotonic() + 5
    while len(metric_lines(smartre, "WorkflowFailures")) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    line = metric_lines(smartre, "WorkflowFailures")[-1]
    assert line["WorkflowFailures"] == 1
    assert line["status"] == "FAILED"
    assert line["Stage"] == "local"
    assert line["correlationId"] == "it-corr-0001"


def task_log_lines(smartre: SmartRe, task: str) -> list[str]:
    logs = smartre.stack._clients()("logs")
    group = f"/aws/lambda/smartre-local-{task}"
    try:
        events = logs.filter_log_events(logGroupName=group)["events"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    return [str(event["message"]) for event in events]


def test_the_workflow_tasks_log_and_measure_under_the_callers_correlation_id(
    smartre: SmartRe,
) -> None:
    reply = smartre.post(
        "/api/analyses",
        {"description": "The toaster trips the fuse when switched on", "language": "en"},
        **{"Idempotency-Key": "it-metrics-correlation-1", "X-Correlation-Id": "it-corr-0002"},
    )

    assert reply.status == 201, reply.data
    for task in ("assess_repair", "merge_analysis"):
        lines = [json.loads(raw) for raw in task_log_lines(smartre, task) if raw.startswith("{")]
        mine = [line for line in lines if line.get("correlationId") == "it-corr-0002"]
        logged = [line for line in mine if "_aws" not in line]
        measured = [line for line in mine if "_aws" in line]
        assert any(reply.json["analysisId"] in line["message"] for line in logged), (task, lines)
        assert measured, (task, lines)
    branch = [
        json.loads(raw)
        for raw in task_log_lines(smartre, "assess_repair")
        if raw.startswith('{"_aws"') and "it-corr-0002" in raw
    ]
    assert branch[-1]["Branch"] == "assess_repair"
    assert branch[-1]["analysisId"] == reply.json["analysisId"]
