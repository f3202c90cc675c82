"""Alarms, the dashboard and log retention: created once, unchanged on a rerun, then removed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import alerts, budget, monitoring
from infra.definition import stage
from infra.provision import Report

DEV = stage("dev", "123456789012")
FUNCTIONS = ["smartre-dev", "smartre-dev-classify_image", "repairapp-dev"]
TOPIC = alerts.topic_arn(DEV)


@pytest.fixture
def cloudwatch() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("cloudwatch", region_name="eu-west-1")


def test_every_alarm_notifies_the_alerts_topic_and_a_rerun_changes_nothing(
    cloudwatch: Any,
) -> None:
    first, second = Report(), Report()
    names = monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS, first)
    monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS, second)

    alarms = cloudwatch.describe_alarms()["MetricAlarms"]

    assert {a for _, a in first.actions} == {"created"}
    assert {a for _, a in second.actions} == {"unchanged"}
    assert sorted(a["AlarmName"] for a in alarms) == sorted(names)
    assert all(a["AlarmActions"] == [TOPIC] for a in alarms)
    assert all(a["AlarmDescription"] for a in alarms)  # every alarm says why


def test_the_alarms_cover_the_issue_list(cloudwatch: Any) -> None:
    specs = {s.name: s for s in monitoring.alarm_specs(DEV, FUNCTIONS)}

    assert specs["repairapp-dev-smartre-api-5xx-rate"].metric == "5XXError"
    assert specs["repairapp-dev-workflow-timedout"].dimensions == {
        "StateMachineArn": DEV.state_machine_arn
    }
    assert specs["repairapp-dev-workflow-no-answer"].metric == "WorkflowFailures"
    assert specs["repairapp-dev-triage-latency-p95"].statistic == "p95"
    assert specs["repairapp-dev-photos-not-recognised-share"].threshold == 0.35
    assert {f"{f}-errors" for f in FUNCTIONS} | {f"{f}-throttles" for f in FUNCTIONS} <= set(specs)


def test_a_changed_threshold_updates_and_a_dropped_function_loses_its_alarms(
    cloudwatch: Any,
) -> None:
    monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS, Report())
    cloudwatch.put_metric_alarm(
        **{
            **monitoring.alarm_specs(DEV, FUNCTIONS)[0].parameters(TOPIC),
            "Threshold": 0.5,
        }
    )
    report = Report()

    monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS[:1], report)

    actions = dict((r, a) for r, a in report.actions)
    assert actions["cloudwatch:alarm/repairapp-dev-smartre-api-5xx-rate"] == "updated"
    assert actions["cloudwatch:alarm/repairapp-dev-errors"] == "deleted"


def test_the_dashboard_shows_the_alarms_and_is_written_once(cloudwatch: Any) -> None:
    names = monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS, Report())
    first, second = Report(), Report()
    monitoring.ensure_dashboard(cloudwatch, DEV, names, first)
    monitoring.ensure_dashboard(cloudwatch, DEV, names, second)

    body = json.loads(cloudwatch.get_dashboard(DashboardName="repairapp-dev")["DashboardBody"])

    assert [a for _, a in first.actions + second.actions] == ["created", "unchanged"]
    assert len(body["widgets"][0]["properties"]["alarms"]) == len(names)
    assert any("cost" in w["properties"].get("title", "").lower() for w in body["widgets"])


def test_delete_removes_alarms_and_dashboard(cloudwatch: Any) -> None:
    names = monitoring.ensure_alarms(cloudwatch, DEV, TOPIC, FUNCTIONS, Report())
    monitoring.ensure_dashboard(cloudwatch, DEV, names, Report())
    cloudwatch.put_metric_alarm(
        **{**monitoring.alarm_specs(DEV, [])[0].parameters(TOPIC), "AlarmName": "someone-else"}
    )

    monitoring.delete_dashboard(cloudwatch, DEV, Report())
    monitoring.delete_alarms(cloudwatch, DEV, Report())

    assert [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]] == [
        "someone-else"
    ]
    assert cloudwatch.list_dashboards()["DashboardEntries"] == []


def test_log_groups_keep_30_days_whether_new_or_left_by_lambda() -> None:
    with mock_aws():
        logs = boto3.client("logs", region_name="eu-west-1")
        logs.create_log_group(logGroupName="/aws/lambda/repairapp-dev")  # Lambda's: forever
        groups = ["/aws/lambda/repairapp-dev", "/aws/lambda/smartre-dev"]
        first, second = Report(), Report()

        monitoring.ensure_log_retention(logs, groups, DEV.tags, first)
        monitoring.ensure_log_retention(logs, groups, DEV.tags, second)

        found = logs.describe_log_groups(logGroupNamePrefix="/aws/lambda/")["logGroups"]
    assert [a for _, a in first.actions] == ["updated", "created"]
    assert {a for _, a in second.actions} == {"unchanged"}
    assert {g["retentionInDays"] for g in found} == {30}


def test_each_stage_budget_counts_only_its_tagged_resources() -> None:
    settings = budget.BudgetSettings.parse(None, None)

    assert budget.budget_definition(DEV, settings)["CostFilters"] == {
        "TagKeyValue": ["user:stage$dev"]
    }
    assert budget.budget_definition(stage("prod", "123456789012"), settings)["CostFilters"] == {
        "TagKeyValue": ["user:stage$prod"]
    }
