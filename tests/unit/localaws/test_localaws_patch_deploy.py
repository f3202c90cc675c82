"""The moto fixes deploy.sh needs (CloudFront, budgets, API Gateway redeploys), in-process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localaws.patches import (
    apigateway_redeploy_stage,
    budgets_update,
    cloudfront_config_fields,
    cloudfront_function_publish,
)

ACCOUNT = "123456789012"
CODE = b"function handler(event) { return event.request; }"
CONFIG = {"Comment": "spa", "Runtime": "cloudfront-js-2.0"}


@pytest.fixture
def aws(unpatch_after: None) -> Iterator[None]:
    cloudfront_config_fields.apply()
    cloudfront_function_publish.apply()
    budgets_update.apply()
    with mock_aws():
        yield


def distribution_config(oac_id: str, function_arn: str) -> dict[str, Any]:
    return {
        "CallerReference": "ref",
        "Comment": "site",
        "Enabled": True,
        "Origins": {
            "Quantity": 1,
            "Items": [
                {
                    "Id": "site",
                    "DomainName": "site.s3.eu-west-1.amazonaws.com",
                    "S3OriginConfig": {"OriginAccessIdentity": ""},
                    "OriginAccessControlId": oac_id,
                }
            ],
        },
        "DefaultCacheBehavior": {
            "TargetOriginId": "site",
            "ViewerProtocolPolicy": "redirect-to-https",
            "FunctionAssociations": {
                "Quantity": 1,
                "Items": [{"FunctionARN": function_arn, "EventType": "viewer-request"}],
            },
            "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            "MinTTL": 0,
        },
    }


def test_distribution_config_keeps_origin_access_control_and_function(aws: None) -> None:
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    config = distribution_config("E2OAC", "arn:aws:cloudfront::123456789012:function/spa")

    created = cloudfront.create_distribution(DistributionConfig=config)["Distribution"]
    stored = cloudfront.get_distribution_config(Id=created["Id"])["DistributionConfig"]

    origin = stored["Origins"]["Items"][0]
    assert origin["OriginAccessControlId"] == "E2OAC"
    assert origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert stored["DefaultCacheBehavior"]["FunctionAssociations"] == {
        "Quantity": 1,
        "Items": [
            {
                "FunctionARN": "arn:aws:cloudfront::123456789012:function/spa",
                "EventType": "viewer-request",
            }
        ],
    }


def test_a_function_is_live_only_after_publishing(aws: None) -> None:
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    etag = cloudfront.create_function(Name="spa", FunctionConfig=CONFIG, FunctionCode=CODE)["ETag"]

    with pytest.raises(ClientError) as before:
        cloudfront.describe_function(Name="spa", Stage="LIVE")
    published = cloudfront.publish_function(Name="spa", IfMatch=etag)["FunctionSummary"]
    live = cloudfront.get_function(Name="spa", Stage="LIVE")["FunctionCode"].read()

    assert before.value.response["Error"]["Code"] == "NoSuchFunctionExists"
    assert published["FunctionMetadata"]["Stage"] == "LIVE"
    assert live == CODE


def test_an_update_changes_development_until_published(aws: None) -> None:
    cloudfront = boto3.client("cloudfront", region_name="us-east-1")
    etag = cloudfront.create_function(Name="spa", FunctionConfig=CONFIG, FunctionCode=CODE)["ETag"]
    cloudfront.publish_function(Name="spa", IfMatch=etag)

    etag = cloudfront.update_function(
        Name="spa", IfMatch=etag, FunctionConfig=CONFIG, FunctionCode=b"// v2"
    )["ETag"]
    live_before = cloudfront.get_function(Name="spa", Stage="LIVE")["FunctionCode"].read()
    cloudfront.publish_function(Name="spa", IfMatch=etag)
    live_after = cloudfront.get_function(Name="spa", Stage="LIVE")["FunctionCode"].read()

    assert cloudfront.get_function(Name="spa")["FunctionCode"].read() == b"// v2"
    assert (live_before, live_after) == (CODE, b"// v2")


def test_update_budget_changes_the_limit_and_keeps_notifications(aws: None) -> None:
    budgets = boto3.client("budgets", region_name="us-east-1")
    budget = {
        "BudgetName": "monthly",
        "BudgetLimit": {"Amount": "50", "Unit": "EUR"},
        "TimeUnit": "MONTHLY",
        "BudgetType": "COST",
    }
    notification = {
        "NotificationType": "ACTUAL",
        "ComparisonOperator": "GREATER_THAN",
        "Threshold": 80.0,
        "ThresholdType": "PERCENTAGE",
    }
    budgets.create_budget(
        AccountId=ACCOUNT,
        Budget=budget,
        NotificationsWithSubscribers=[
            {
                "Notification": notification,
                "Subscribers": [{"SubscriptionType": "EMAIL", "Address": "a@example.org"}],
            }
        ],
    )

    budgets.update_budget(
        AccountId=ACCOUNT, NewBudget={**budget, "BudgetLimit": {"Amount": "60", "Unit": "EUR"}}
    )

    stored = budgets.describe_budget(AccountId=ACCOUNT, BudgetName="monthly")["Budget"]
    kept = budgets.describe_notifications_for_budget(AccountId=ACCOUNT, BudgetName="monthly")
    assert stored["BudgetLimit"] == {"Amount": "60", "Unit": "EUR"}
    assert len(kept["Notifications"]) == 1


def test_a_redeploy_keeps_the_stage_throttling_and_tracing(unpatch_after: None) -> None:
    apigateway_redeploy_stage.apply()
    with mock_aws():
        client = boto3.client("apigateway", region_name="eu-west-1")
        api_id = client.create_rest_api(name="demo")["id"]
        root = client.get_resources(restApiId=api_id)["items"][0]["id"]
        client.put_method(
            restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE"
        )
        client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
        client.create_deployment(restApiId=api_id, stageName="v1", tracingEnabled=True)
        client.update_stage(
            restApiId=api_id,
            stageName="v1",
            patchOperations=[{"op": "replace", "path": "/*/*/throttling/rateLimit", "value": "50"}],
        )

        client.create_deployment(restApiId=api_id, stageName="v1", tracingEnabled=True)

        stage = client.get_stage(restApiId=api_id, stageName="v1")
        assert stage["tracingEnabled"] is True
        assert stage["methodSettings"]["*/*"]["throttlingRateLimit"] == 50.0
