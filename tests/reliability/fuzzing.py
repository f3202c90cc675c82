"""Run schemathesis's engine (what ``st run`` drives) against a live API and tally the result.

The engine runs every phase (schema examples, the coverage phase's boundary and negative
values, random fuzzing and stateful sequences that follow the links it infers, e.g. a triage's
``analysisId`` into a repair request) and applies its checks to every response. This module
keeps what the tests assert on: how many requests went out, the statuses that came back and
every failed check with the request that caused it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis.engine import Status, events, from_schema

# TRACE is left out of the undeclared-method probes: Python's http.server (under chalice
# local) answers it 501 before any app code runs, while CloudFront and API Gateway never
# forward it (they allow GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE only).
UNEXPECTED_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "PATCH"]


@dataclass
class Failure:
    check: str
    operation: str
    title: str
    message: str
    request: str

    def __str__(self) -> str:
        return f"{self.check} {self.operation}: {self.title}\n  {self.message}\n  {self.request}"


@dataclass
class FuzzReport:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    by_operation: Counter[str] = field(default_factory=Counter)
    answers: Counter[tuple[str, str, int]] = field(default_factory=Counter)  # op, method, status
    failures: list[Failure] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def summary(self) -> str:
        lines = [f"{self.requests} requests; statuses {dict(sorted(self.statuses.items()))}"]
        lines += [str(f) for f in self.failures[:15]]
        lines += self.errors[:5]
        return "\n".join(lines)


def fuzz(
    document: dict[str, Any],
    base_url: str,
    *,
    seed: int,
    max_examples: int,
    auth: dict[str, dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    checks: dict[str, Any] | None = None,
    phases: tuple[str, ...] = ("examples", "coverage", "fuzzing", "stateful"),
    workers: int = 1,
    operations: list[dict[str, Any]] | None = None,
) -> FuzzReport:
    """Run the engine once; ``auth`` maps security scheme names to schemathesis auth values."""
    settings: dict[str, Any] = {
        "seed": seed,
        "base-url": base_url,
        "workers": workers,
        "request-timeout": 60,
        "generation": {"mode": "all", "max-examples": max_examples},
        "phases": {
            name: {"enabled": name in phases}
            for name in ("examples", "coverage", "fuzzing", "stateful")
        },
        "checks": checks or {},
        "warnings": False,
    }
    settings["phases"]["coverage"]["unexpected-methods"] = UNEXPECTED_METHODS
    if auth:
        settings["auth"] = {"openapi": auth}
    if headers:
        settings["headers"] = headers
    if operations:
        settings["operations"] = operations
    config = schemathesis.Config.from_dict(settings)
    schema = schemathesis.openapi.from_dict(document, config=config)
    report = FuzzReport()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            _tally(report, event.recorder)
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"{event.label}: {event.value!r}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"fatal: {event.exception!r}")
    return report


def _tally(report: FuzzReport, recorder: Any) -> None:
    for case_id, interaction in recorder.interactions.items():
        report.requests += 1
        case = recorder.cases[case_id].value
        report.by_operation[case.operation.label] += 1
        if interaction.response is not None:
            status = interaction.response.status_code
            report.statuses[status] += 1
            method = str(interaction.request.method).upper()
            report.answers[(case.operation.label, method, status)] += 1
    seen: set[tuple[str, str, str]] = set()
    for case_id, nodes in recorder.checks.items():
        for node in nodes:
            if node.status != Status.FAILURE or node.failure_info is None:
                continue
            failure = node.failure_info.failure
            case = recorder.cases[case_id].value
            key = (node.name, case.operation.label, failure.title)
            if key in seen:
                continue
            seen.add(key)
            report.failures.append(
                Failure(
                    check=node.name,
                    operation=case.operation.label,
                    title=failure.title,
                    message=(failure.message or "")[:600],
                    request=node.failure_info.code_sample[:600],
                )
            )
