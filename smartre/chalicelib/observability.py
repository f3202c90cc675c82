"""What SmartRe's workflow tasks and API tell operators: metrics from their results.

The tasks stay as they are; each carries one ``@measured`` decorator that reads its result after
it returns and writes the embedded-metric-format lines (``repaircore.metrics``): branch latency
per branch, whether the photo was recognised, each answer's predicted outcome and whether it was
partial, with the analysis id and the model versions as properties. Metrics never fail a task:
a bug here is logged and the task's answer goes out unchanged. The decorator also binds the
execution's correlation id (``correlationId`` in the task's input, see ``workflow.py`` and the
ASL) while the task runs, so its log lines and metric lines carry the caller's id, and logs one
line per task with its duration.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from chalicelib.workflow_contract import BRANCH_TASKS, CLASSIFY_IMAGE, MERGE_ANALYSIS
from repaircore import correlation, metrics
from repaircore.logs import configure_logging

logger = logging.getLogger(__name__)

Task = TypeVar("Task", bound=Callable[..., Any])


def measured(task: Task) -> Task:
    """Record the task's metrics from its event and result (by the task's name)."""
    # A task's Lambda imports ``chalicelib.tasks``, not ``app.py``: without this its logging
    # would stay at the runtime's WARNING, in text, without the correlation id.
    configure_logging()

    @functools.wraps(task)
    def wrapper(event: dict[str, Any], context: Any) -> Any:
        token = correlation.bind(_correlation_id(event))
        try:
            timer = metrics.Timer()
            result = task(event, context)
            elapsed_ms = timer.elapsed_ms()
            logger.info("%s of %s in %.0f ms", task.__name__, _analysis_id(event), elapsed_ms)
            try:
                record_task(task.__name__, event, result, elapsed_ms)
            except Exception:  # metrics must never cost an answer
                logger.exception("metrics of %s failed", task.__name__)
            return result
        finally:
            correlation.unbind(token)

    return wrapper  # type: ignore[return-value]


def _correlation_id(event: Any) -> str | None:
    value = event.get("correlationId") if isinstance(event, Mapping) else None
    return str(value) if value else None


def _analysis_id(event: Any) -> Any:
    return event.get("analysisId") if isinstance(event, Mapping) else None


def record_task(
    name: str, event: Mapping[str, Any], result: Mapping[str, Any], elapsed_ms: float
) -> None:
    analysis = {"analysisId": event.get("analysisId")}
    if name in BRANCH_TASKS:
        versions = result.get("modelVersions") or {"image": result.get("modelVersion")}
        metrics.record(
            metrics.BRANCH_LATENCY,
            elapsed_ms,
            dimensions={"Branch": name},
            properties={**analysis, **_versions(versions)},
        )
    if name == CLASSIFY_IMAGE.function:
        recognised = bool((result.get("productCategory") or {}).get("recognised"))
        metrics.record(
            metrics.PHOTO_NOT_RECOGNISED,
            0 if recognised else 1,
            properties={**analysis, "modelVersion": result.get("modelVersion")},
        )
    if name == MERGE_ANALYSIS.function:
        outcome = (result.get("outcome") or {}).get("predicted") or "None"
        properties = {**analysis, **_versions(result.get("modelVersions") or {})}
        metrics.record(metrics.ANALYSES, dimensions={"Outcome": outcome}, properties=properties)
        metrics.record(
            metrics.PARTIAL_ANSWERS,
            1 if result.get("partial") else 0,
            properties={**properties, "missing": _missing_parts(result.get("missing"))},
        )


def _missing_parts(missing: Any) -> str | None:
    """The merge's ``missing`` entries (``{"part", "reason"}``) as ``part,part``, else None."""
    return ",".join(str(entry["part"]) for entry in missing or []) or None


def _versions(versions: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        f"{part}ModelVersion": (str(v) if v is not None else None) for part, v in versions.items()
    }


def record_workflow_failure(analysis_id: str, status: str | None, error: str | None) -> None:
    """An execution ended without an answer (``FAILED``/``TIMED_OUT``/``ABORTED``)."""
    metrics.record(
        metrics.WORKFLOW_FAILURES,
        properties={"analysisId": analysis_id, "status": status, "error": error},
    )


def record_feedback_label(label: str | None) -> None:
    metrics.record(metrics.FEEDBACK_LABELS, dimensions={"Label": label or "None"})
