"""What SmartRe's workflow tasks and API tell operators: metrics from their results.

The tasks stay as they are; each carries one ``@measured`` decorator that reads its result after
it returns and writes the embedded-metric-format lines (``repaircore.metrics``): branch latency
per branch, whether the photo was recognised, each answer's predicted outcome and whether it was
partial, with the analysis id and the model versions as properties. Metrics never fail a task:
a bug here is logged and the task's answer goes out unchanged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from repaircore import metrics

logger = logging.getLogger(__name__)

Task = TypeVar("Task", bound=Callable[..., Any])


def measured(task: Task) -> Task:
    """Record the task's metrics from its event and result (by the task's name)."""

    @functools.wraps(task)
    def wrapper(event: dict[str, Any], context: Any) -> Any:
        timer = metrics.Timer()
        result = task(event, context)
        try:
            record_task(task.__name__, event, result, timer.elapsed_ms())
        except Exception:  # metrics must never cost an answer
            logger.exception("metrics of %s failed", task.__name__)
        return result

    return wrapper  # type: ignore[return-value]


def record_task(
    name: str, event: Mapping[str, Any], result: Mapping[str, Any], elapsed_ms: float
) -> None:
    analysis = {"analysisId": event.get("analysisId")}
    if name in {"classify_image", "assess_repair"}:
        versions = result.get("modelVersions") or {"image": result.get("modelVersion")}
        metrics.record(
            metrics.BRANCH_LATENCY,
            elapsed_ms,
            dimensions={"Branch": name},
            properties={**analysis, **_versions(versions)},
        )
    if name == "classify_image":
        recognised = bool((result.get("productCategory") or {}).get("recognised"))
        metrics.record(
            metrics.PHOTO_NOT_RECOGNISED,
            0 if recognised else 1,
            properties={**analysis, "modelVersion": result.get("modelVersion")},
        )
    if name == "merge_analysis":
        outcome = (result.get("outcome") or {}).get("predicted") or "None"
        properties = {**analysis, **_versions(result.get("modelVersions") or {})}
        metrics.record(metrics.ANALYSES, dimensions={"Outcome": outcome}, properties=properties)
        metrics.record(
            metrics.PARTIAL_ANSWERS,
            1 if result.get("partial") else 0,
            properties={**properties, "missing": ",".join(result.get("missing") or []) or None},
        )


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
