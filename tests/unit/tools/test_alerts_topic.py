"""The alerts topic: created once, Budgets may publish to it, e-mail subscribed once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import alerts
from infra.definition import stage
from infra.provision import Report

DEV = stage("dev", "123456789012")


@pytest.fixture
def sns() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("sns", region_name="eu-west-1")


def test_topic_lets_budgets_publish_and_mails_the_address_once(sns: Any) -> None:
    first, second = Report(), Report()
    arn = alerts.ensure_alerts_topic(sns, DEV, "ops@example.org", first)
    alerts.ensure_alerts_topic(sns, DEV, "ops@example.org", second)

    policy = json.loads(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])
    subscriptions = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]

    assert [a for _, a in first.actions] == ["created", "created"]
    assert [a for _, a in second.actions] == ["unchanged", "unchanged"]
    assert policy == alerts.topic_policy(DEV)
    assert [(s["Protocol"], s["Endpoint"]) for s in subscriptions] == [("email", "ops@example.org")]


def test_delete_removes_the_topic(sns: Any) -> None:
    alerts.ensure_alerts_topic(sns, DEV, None, Report())
    report = Report()

    alerts.delete_alerts_topic(sns, DEV, report)
    alerts.delete_alerts_topic(sns, DEV, report)

    assert [a for _, a in report.actions] == ["deleted", "absent"]
    assert sns.list_topics()["Topics"] == []
