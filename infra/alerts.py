"""The stage's alerts topic: where the budget (and any later alarm) sends its warnings.

One SNS topic is the one list of recipients: the budget notifies the topic, people subscribe to
it by e-mail (AWS sends a confirmation mail that must be clicked before alerts arrive). The topic
policy lets AWS Budgets publish, and only on behalf of this account.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import Stage
from infra.provision import Report, _code, _tag_list


def topic_arn(stage: Stage) -> str:
    return f"arn:aws:sns:{stage.region}:{stage.account}:{stage.alerts_topic_name}"


def topic_policy(stage: Stage) -> dict[str, Any]:
    arn = topic_arn(stage)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnerManages",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{stage.account}:root"},
                "Action": [
                    "sns:GetTopicAttributes",
                    "sns:SetTopicAttributes",
                    "sns:Subscribe",
                    "sns:ListSubscriptionsByTopic",
                    "sns:Publish",
                    "sns:DeleteTopic",
                ],
                "Resource": arn,
            },
            {
                "Sid": "BudgetsPublish",
                "Effect": "Allow",
                "Principal": {"Service": "budgets.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": arn,
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": stage.account},
                    "ArnLike": {"aws:SourceArn": f"arn:aws:budgets::{stage.account}:*"},
                },
            },
        ],
    }


def ensure_alerts_topic(sns: Any, stage: Stage, email: str | None, report: Report) -> str:
    """Create or update the topic, its policy and the e-mail subscription; return its ARN."""
    arn = topic_arn(stage)
    try:
        attributes = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        action = "unchanged"
    except ClientError as exc:
        if _code(exc) != "NotFound":
            raise
        arn = sns.create_topic(Name=stage.alerts_topic_name, Tags=_tag_list(stage.tags))["TopicArn"]
        attributes = {}
        action = "created"
    wanted = topic_policy(stage)
    current = json.loads(attributes["Policy"]) if "Policy" in attributes else None
    if current != wanted:
        sns.set_topic_attributes(
            TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps(wanted)
        )
        action = "updated" if action == "unchanged" else action
    report.add(f"sns:{stage.alerts_topic_name}", action)
    if email:
        _ensure_email_subscription(sns, arn, email, report)
    return str(arn)


def _ensure_email_subscription(sns: Any, arn: str, email: str, report: Report) -> None:
    pages = sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn)
    subscribed = {
        s["Endpoint"].lower()
        for page in pages
        for s in page["Subscriptions"]
        if s["Protocol"] == "email"
    }
    resource = f"sns:{arn.rsplit(':', 1)[-1]}/email:{email}"
    if email.lower() in subscribed:
        report.add(resource, "unchanged")
        return
    # Pending until the recipient clicks the link in the confirmation mail AWS sends.
    sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=email)
    report.add(resource, "created")


def delete_alerts_topic(sns: Any, stage: Stage, report: Report) -> None:
    arn = topic_arn(stage)
    try:
        sns.get_topic_attributes(TopicArn=arn)
    except ClientError as exc:
        if _code(exc) != "NotFound":
            raise
        report.add(f"sns:{stage.alerts_topic_name}", "absent")
        return
    # Deleting a topic removes its subscriptions too.
    sns.delete_topic(TopicArn=arn)
    report.add(f"sns:{stage.alerts_topic_name}", "deleted")
