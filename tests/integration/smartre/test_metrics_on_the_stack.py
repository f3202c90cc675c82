"""The metrics a failing workflow leaves, read from SmartRe's own log as CloudWatch would.

SmartRe's `chalice local` writes its stdout to ``<state dir>/smartre.log``, as Lambda ships it to
CloudWatch Logs; each embedded-metric-format line there becomes a metric on AWS.
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
