"""What tells an operator the stage works: alarms, one dashboard, 30-day log retention.

Created by ``deploy.sh`` after the Lambdas and the workflow exist (``python -m infra
monitoring``), idempotently: each alarm and the dashboard is compared with what CloudWatch holds
and written only when it differs. Every alarm notifies the stage's SNS topic (``infra.alerts``),
which also receives the budget's alerts. ``deploy.sh --delete`` removes them all
(``delete_monitoring``). The product metrics are the apps' embedded-metric-format log lines
(``repaircore.metrics``); the rest are AWS's own (API Gateway, Lambda, Step Functions).
Each alarm says why its threshold is what it is (docs/operations.md lists them).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import Stage
from infra.provision import Report, _code, _tag_list
from repaircore import metrics

LOG_RETENTION_DAYS = 30
FIVE_MINUTES = 300
# The photo model's share of "not recognised" on held-out photos is ~16 % (docs/model-card.md);
# photos of products it never saw come back ~44 % not recognised. A day above 35 % means the
# photos people send no longer look like the training data (or the model broke).
NOT_RECOGNISED_SHARE_LIMIT = 0.35
TRIAGE_P95_LIMIT_MS = 3000.0
API_5XX_RATE_LIMIT = 0.02


@dataclass(frozen=True)
class AlarmSpec:
    """One CloudWatch alarm on one metric (``put_metric_alarm``'s parameters)."""

    name: str
    why: str
    namespace: str
    metric: str
    dimensions: Mapping[str, str]
    threshold: float
    statistic: str = "Sum"  # or a percentile such as "p95" (an extended statistic)
    comparison: str = "GreaterThanOrEqualToThreshold"
    period: int = FIVE_MINUTES
    evaluation_periods: int = 1
    missing_data: str = "notBreaching"
    unit: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)

    def parameters(self, topic_arn: str) -> dict[str, Any]:
        params: dict[str, Any] = {
            "AlarmName": self.name,
            "AlarmDescription": self.why,
            "ActionsEnabled": True,
            "AlarmActions": [topic_arn],
            "OKActions": [topic_arn],
            "Namespace": self.namespace,
            "MetricName": self.metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in sorted(self.dimensions.items())],
            "Period": self.period,
            "EvaluationPeriods": self.evaluation_periods,
            "DatapointsToAlarm": self.evaluation_periods,
            "Threshold": self.threshold,
            "ComparisonOperator": self.comparison,
            "TreatMissingData": self.missing_data,
        }
        if self.statistic.startswith("p"):
            params["ExtendedStatistic"] = self.statistic
        else:
            params["Statistic"] = self.statistic
        if self.unit:
            params["Unit"] = self.unit
        return params


def alarm_specs(stage: Stage, function_names: Iterable[str]) -> list[AlarmSpec]:
    """Every alarm of the stage, for its Lambda functions."""
    prefix, own = stage.prefix, {"Stage": stage.stage}
    specs = [
        AlarmSpec(
            name=f"{prefix}-{api}-api-5xx-rate",
            why=(
                f"More than 2 % of {api}'s API requests answered 5xx in each of three 5-minute "
                "periods: the apps answer bad input with 4xx, so 5xx is an outage or a bug. "
                "Three periods keep one unlucky request at low traffic from paging."
            ),
            namespace="AWS/ApiGateway",
            metric="5XXError",
            dimensions={"ApiName": api, "Stage": "v1"},
            statistic="Average",
            comparison="GreaterThanThreshold",
            threshold=API_5XX_RATE_LIMIT,
            evaluation_periods=3,
        )
        for api in ("smartre", "repairapp")
    ]
    specs.append(
        AlarmSpec(
            name=f"{prefix}-workflow-timedout",
            why=(
                "An analysis workflow execution timed out (25 s): someone got no triage at all. "
                "Every one matters. (AWS's ExecutionsFailed also counts photos the workflow "
                "rightly rejects, so failures are counted by SmartRe itself: workflow-no-answer.)"
            ),
            namespace="AWS/States",
            metric="ExecutionsTimedOut",
            dimensions={"StateMachineArn": stage.state_machine_arn},
            threshold=1,
        )
    )
    specs.append(
        AlarmSpec(
            name=f"{prefix}-workflow-no-answer",
            why=(
                "An analysis workflow execution failed or timed out for a reason other than a "
                "rejected photo, as SmartRe saw it from StartSyncExecution. A failed branch "
                "already yields a flagged partial answer, so this means someone got no triage "
                "at all: every one matters."
            ),
            namespace=metrics.NAMESPACE,
            metric=metrics.WORKFLOW_FAILURES,
            dimensions=own,
            threshold=1,
        )
    )
    for function in sorted(function_names):
        specs += [
            AlarmSpec(
                name=f"{function}-errors",
                why=(
                    "Three or more invocations of this function failed within 5 minutes: the "
                    "apps catch what they expect, so an error is a crash, a timeout or out of "
                    "memory; one alone can be a cold container's bad luck."
                ),
                namespace="AWS/Lambda",
                metric="Errors",
                dimensions={"FunctionName": function},
                threshold=3,
            ),
            AlarmSpec(
                name=f"{function}-throttles",
                why=(
                    "Lambda refused to run this function (concurrency limit): the requests "
                    "were lost or delayed. The account limit is shared, so any throttle is news."
                ),
                namespace="AWS/Lambda",
                metric="Throttles",
                dimensions={"FunctionName": function},
                threshold=1,
            ),
        ]
    specs += [
        AlarmSpec(
            name=f"{prefix}-triage-latency-p95",
            why=(
                "The slowest 5 % of triages took over 3 s in three 5-minute periods in a row. "
                "A person waits for the answer on the page; warm triages take well under 1 s "
                "(docs/reliability.md), so 3 s means cold starts or a slow dependency."
            ),
            namespace=metrics.NAMESPACE,
            metric=metrics.TRIAGE_LATENCY,
            dimensions=own,
            statistic="p95",
            comparison="GreaterThanThreshold",
            threshold=TRIAGE_P95_LIMIT_MS,
            evaluation_periods=3,
            unit="Milliseconds",
        ),
        AlarmSpec(
            name=f"{prefix}-photos-not-recognised-share",
            why=(
                "Over a day, more than 35 % of photos were not recognised; held-out photos give "
                "~16 % and photos of never-seen products ~44 % (docs/model-card.md). The photos "
                "drifted from the training data, or the model broke: look before people notice."
            ),
            namespace=metrics.NAMESPACE,
            metric=metrics.PHOTO_NOT_RECOGNISED,
            dimensions=own,
            statistic="Average",
            comparison="GreaterThanThreshold",
            threshold=NOT_RECOGNISED_SHARE_LIMIT,
            period=86400,
        ),
    ]
    return [AlarmSpec(**{**spec.__dict__, "tags": stage.tags}) for spec in specs]


def _comparable(alarm: Mapping[str, Any]) -> dict[str, Any]:
    """The fields ``put_metric_alarm`` sets, as ``describe_alarms`` returns them."""
    keys = (
        "AlarmDescription", "ActionsEnabled", "AlarmActions", "OKActions", "Namespace",
        "MetricName", "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold",
        "ComparisonOperator", "TreatMissingData", "Statistic", "ExtendedStatistic", "Unit",
    )  # fmt: skip
    found = {k: alarm[k] for k in keys if alarm.get(k) not in (None, [])}
    found["Threshold"] = float(found.get("Threshold", 0))
    found["Dimensions"] = sorted((d["Name"], d["Value"]) for d in alarm.get("Dimensions", []))
    return found


def ensure_alarms(
    cloudwatch: Any, stage: Stage, topic_arn: str, function_names: Iterable[str], report: Report
) -> list[str]:
    """Create or update every alarm; remove the stage's alarms the definition no longer has."""
    specs = alarm_specs(stage, function_names)
    current = {a["AlarmName"]: a for a in _stage_alarms(cloudwatch, stage)}
    for spec in specs:
        params = spec.parameters(topic_arn)
        existing = current.get(spec.name)
        if existing is not None and _comparable(existing) == _comparable(params):
            report.add(f"cloudwatch:alarm/{spec.name}", "unchanged")
            continue
        cloudwatch.put_metric_alarm(**params, Tags=_tag_list(spec.tags))
        report.add(f"cloudwatch:alarm/{spec.name}", "updated" if existing else "created")
    stale = sorted(set(current) - {spec.name for spec in specs})
    if stale:
        cloudwatch.delete_alarms(AlarmNames=stale)
        for name in stale:
            report.add(f"cloudwatch:alarm/{name}", "deleted")
    return [spec.name for spec in specs]


def _stage_alarms(cloudwatch: Any, stage: Stage) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for prefix in _alarm_prefixes(stage):
        pages = cloudwatch.get_paginator("describe_alarms").paginate(AlarmNamePrefix=prefix)
        found += [a for page in pages for a in page.get("MetricAlarms", [])]
    return list({a["AlarmName"]: a for a in found}.values())


def _alarm_prefixes(stage: Stage) -> tuple[str, ...]:
    # RepairApp's own names start with the stage prefix; SmartRe's functions with smartre-<stage>.
    return (f"{stage.prefix}-", f"smartre-{stage.stage}-")


def delete_alarms(cloudwatch: Any, stage: Stage, report: Report) -> None:
    names = sorted(a["AlarmName"] for a in _stage_alarms(cloudwatch, stage))
    for start in range(0, len(names), 100):  # DeleteAlarms takes at most 100 names
        cloudwatch.delete_alarms(AlarmNames=names[start : start + 100])
    for name in names:
        report.add(f"cloudwatch:alarm/{name}", "deleted")
    if not names:
        report.add(f"cloudwatch:alarms {stage.prefix}-*", "absent")


# --- dashboard --------------------------------------------------------------------------------
def dashboard_name(stage: Stage) -> str:
    return stage.prefix


def dashboard_body(stage: Stage, alarm_arns: Sequence[str]) -> dict[str, Any]:
    """Alarms first, then the product's metrics, then the platform's and the daily cost."""
    region, own = stage.region, {"Stage": stage.stage}

    def metric(namespace: str, name: str, dims: Mapping[str, str], **options: Any) -> list[Any]:
        row: list[Any] = [namespace, name]
        for key, value in dims.items():
            row += [key, value]
        return row + ([options] if options else [])

    def graph(title: str, rows: list[list[Any]], *, stat: str = "Sum", period: int = 300,
              region_name: str = region) -> dict[str, Any]:  # fmt: skip
        return {
            "type": "metric",
            "width": 12,
            "height": 6,
            "properties": {
                "title": title,
                "region": region_name,
                "view": "timeSeries",
                "stat": stat,
                "period": period,
                "metrics": rows,
            },
        }

    outcomes = ("Fixed", "Repairable", "End of life")
    widgets: list[dict[str, Any]] = [
        {
            "type": "alarm",
            "width": 24,
            "height": 4,
            "properties": {"title": "Alarms", "alarms": sorted(alarm_arns)},
        },
        graph(
            "Triages by predicted outcome",
            [metric(metrics.NAMESPACE, metrics.ANALYSES, {**own, "Outcome": o}) for o in outcomes],
        ),
        graph(
            "Share of photos not recognised (daily)",
            [metric(metrics.NAMESPACE, metrics.PHOTO_NOT_RECOGNISED, own)],
            stat="Average",
            period=86400,
        ),
        graph(
            "Branch latency p95 (ms)",
            [
                metric(metrics.NAMESPACE, metrics.BRANCH_LATENCY, {**own, "Branch": branch})
                for branch in ("classify_image", "assess_repair")
            ],
            stat="p95",
        ),
        graph(
            "Triage latency p50 / p95 (ms)",
            [
                metric(metrics.NAMESPACE, metrics.TRIAGE_LATENCY, own, stat="p50"),
                metric(metrics.NAMESPACE, metrics.TRIAGE_LATENCY, own, stat="p95"),
            ],
        ),
        graph(
            "Workflow: partial answers, no answer, failed, timed out",
            [
                metric(metrics.NAMESPACE, metrics.PARTIAL_ANSWERS, own),
                metric(metrics.NAMESPACE, metrics.WORKFLOW_FAILURES, own),
                metric(
                    "AWS/States", "ExecutionsFailed", {"StateMachineArn": stage.state_machine_arn}
                ),
                metric(
                    "AWS/States", "ExecutionsTimedOut", {"StateMachineArn": stage.state_machine_arn}
                ),
            ],
        ),
        graph(
            "Feedback labels received (real outcomes)",
            [
                metric(metrics.NAMESPACE, metrics.FEEDBACK_LABELS, {**own, "Label": o})
                for o in outcomes
            ],
            period=3600,
        ),
        graph(
            "API 5xx rate",
            [
                metric("AWS/ApiGateway", "5XXError", {"ApiName": a, "Stage": "v1"})
                for a in ("smartre", "repairapp")
            ],
            stat="Average",
        ),
        graph(
            "Daily cost, account (USD; AWS/Billing lives in us-east-1)",
            [metric("AWS/Billing", "EstimatedCharges", {"Currency": "USD"})],
            stat="Maximum",
            period=86400,
            region_name="us-east-1",
        ),
    ]
    return {"widgets": widgets}


def ensure_dashboard(
    cloudwatch: Any, stage: Stage, alarm_names: Sequence[str], report: Report
) -> None:
    arns = [f"arn:aws:cloudwatch:{stage.region}:{stage.account}:alarm:{n}" for n in alarm_names]
    wanted = dashboard_body(stage, arns)
    name = dashboard_name(stage)
    try:
        current = json.loads(cloudwatch.get_dashboard(DashboardName=name)["DashboardBody"])
        action = "unchanged" if current == wanted else "updated"
    except ClientError as exc:
        if _code(exc) not in {"ResourceNotFound", "ResourceNotFoundException"}:
            raise
        action = "created"
    if action != "unchanged":
        cloudwatch.put_dashboard(DashboardName=name, DashboardBody=json.dumps(wanted))
    report.add(f"cloudwatch:dashboard/{name}", action)


def delete_dashboard(cloudwatch: Any, stage: Stage, report: Report) -> None:
    name = dashboard_name(stage)
    listed = cloudwatch.list_dashboards(DashboardNamePrefix=name).get("DashboardEntries", [])
    if not any(entry["DashboardName"] == name for entry in listed):
        report.add(f"cloudwatch:dashboard/{name}", "absent")
        return
    cloudwatch.delete_dashboards(DashboardNames=[name])
    report.add(f"cloudwatch:dashboard/{name}", "deleted")


# --- log retention ----------------------------------------------------------------------------
def ensure_log_retention(
    logs: Any, group_names: Iterable[str], tags: Mapping[str, str], report: Report
) -> None:
    """Each group exists (Lambda would create it on first use, keeping logs forever) and keeps
    its events ``LOG_RETENTION_DAYS`` days."""
    for name in sorted(set(group_names)):
        found = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
        group = next((g for g in found if g["logGroupName"] == name), None)
        if group is None:
            logs.create_log_group(logGroupName=name, tags=dict(tags))
            action = "created"
        elif group.get("retentionInDays") == LOG_RETENTION_DAYS:
            report.add(f"logs:{name} ({LOG_RETENTION_DAYS} days)", "unchanged")
            continue
        else:
            action = "updated"
        logs.put_retention_policy(logGroupName=name, retentionInDays=LOG_RETENTION_DAYS)
        report.add(f"logs:{name} ({LOG_RETENTION_DAYS} days)", action)
