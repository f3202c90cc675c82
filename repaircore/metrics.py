"""Product metrics as CloudWatch embedded-metric-format (EMF) log lines, and their names.

One JSON line on stdout per measurement: Lambda ships it to CloudWatch Logs and CloudWatch turns
the ``_aws`` block into metrics, with no API call, no client and nothing to flush. Why not
Lambda Powertools' ``Metrics``: importing it (with its ``Logger``) added ~60 ms to each cold
start here, over this project's 40 ms budget for the whole observability layer, to write the
same JSON (see docs/operations.md for the measurement). The format is AWS's specification:
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html

Every line carries the ``Stage`` dimension (from ``STAGE``) and, when a request is being served,
its ``correlationId`` (``repaircore.correlation``), so a metric's log line leads to the request's
other logs. Dimensions stay few and low-cardinality (each combination is a billed metric);
anything else goes in as a plain property, searchable with Logs Insights (model versions, ids).
The alarms and the dashboard (``infra.monitoring``) read these names from here.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Mapping
from typing import Final, TextIO

NAMESPACE: Final = "RepairApp"

# name → unit. Counts are 1 per event unless said otherwise.
ANALYSES: Final = "Analyses"  # SmartRe answers, dimension Outcome (the predicted repair_status)
PHOTO_NOT_RECOGNISED: Final = "PhotoNotRecognised"  # 1 not recognised / 0 recognised, per photo
BRANCH_LATENCY: Final = "BranchLatency"  # ms, dimension Branch (classify_image / assess_repair)
PARTIAL_ANSWERS: Final = "PartialAnswers"  # a branch failed; the answer is flagged partial
WORKFLOW_FAILURES: Final = "WorkflowFailures"  # the execution failed or timed out: no answer
FEEDBACK_LABELS: Final = "FeedbackLabels"  # real outcomes received, dimension Label
TRIAGE_LATENCY: Final = "TriageLatency"  # ms, RepairApp's triage as its caller waits for it
MAIL_SENT: Final = "MailSent"  # SES accepted a mail, dimension Template
MAIL_FAILED: Final = "MailFailed"  # SES refused or did not answer in time, dimension Template

UNITS: Final[dict[str, str]] = {
    ANALYSES: "Count",
    PHOTO_NOT_RECOGNISED: "Count",
    BRANCH_LATENCY: "Milliseconds",
    PARTIAL_ANSWERS: "Count",
    WORKFLOW_FAILURES: "Count",
    FEEDBACK_LABELS: "Count",
    TRIAGE_LATENCY: "Milliseconds",
    MAIL_SENT: "Count",
    MAIL_FAILED: "Count",
}

Properties = Mapping[str, str | int | float | bool | None]


def record(
    name: str,
    value: float = 1.0,
    *,
    dimensions: Mapping[str, str] | None = None,
    properties: Properties | None = None,
    stream: TextIO | None = None,
) -> dict[str, object]:
    """Write one EMF line for metric ``name`` and return it (tests read the return value)."""
    from repaircore.correlation import current_correlation_id

    dims = {"Stage": os.environ.get("STAGE", "unknown"), **(dimensions or {})}
    line: dict[str, object] = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": [sorted(dims)],
                    "Metrics": [{"Name": name, "Unit": UNITS[name]}],
                }
            ],
        },
        **{k: v for k, v in (properties or {}).items() if v is not None},
        **dims,
        name: value,
    }
    correlation_id = current_correlation_id()
    if correlation_id:
        line["correlationId"] = correlation_id
    out = stream or sys.stdout
    out.write(json.dumps(line, separators=(",", ":")) + "\n")
    out.flush()
    return line


class Timer:
    """Milliseconds since creation, with a clock that tests can replace."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._started = clock()

    def elapsed_ms(self) -> float:
        return round((self._clock() - self._started) * 1000, 1)
