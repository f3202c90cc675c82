"""The two moto fixes `chalice deploy` needs, against moto in-process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localaws.patches import apigateway_import, s3_notification_filter

# The shape Chalice generates: Swagger 2.0, no info.description, a CORS preflight whose mock
# integration has neither uri nor httpMethod.
CHALICE_SWAGGER = {
    "swagger": "2.0",
    "info": {"version": "1.0", "title": "demo"},
    "schemes": ["https"],
    "paths": {
        "/hello": {
            "get": {
                "responses": {"200": {"description": "200 response"}},
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "httpMethod": "POST",
                    "uri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                    "arn:aws:lambda:eu-west-1:123456789012:function:demo/invocations",
                    "passthroughBehavior": "when_no_match",
                },
            },
            "options": {
                "responses": {"200": {"description": "200 response"}},
                "x-amazon-apigateway-integration": {
                    "type": "mock",
                    "requestTemplates": {"application/json": '{"statusCode": 200}'},
                    "responses": {"default": {"statusCode": "200"}},
                },
            },
        }
    },
}


@pytest.fixture
def aws(unpatch_after: None) -> Iterator[None]:
    apigateway_import.apply()
    s3_notification_filter.apply()
    with mock_aws():
        yield


def test_chalice_swagger_document_imports(aws: None) -> None:
    client = boto3.client("apigateway", region_name="eu-west-1")

    api_id = client.import_rest_api(body=json.dumps(CHALICE_SWAGGER))["id"]

    paths = {r["path"]: r for r in client.get_resources(restApiId=api_id)["items"]}
    assert set(paths["/hello"]["resourceMethods"]) == {"GET", "OPTIONS"}


def test_chalice_swagger_document_overwrites_an_existing_api(aws: None) -> None:
    client = boto3.client("apigateway", region_name="eu-west-1")
    api_id = client.import_rest_api(body=json.dumps(CHALICE_SWAGGER))["id"]

    client.put_rest_api(restApiId=api_id, mode="overwrite", body=json.dumps(CHALICE_SWAGGER))

    assert {r["path"] for r in client.get_resources(restApiId=api_id)["items"]} == {"/", "/hello"}


def test_normalise_leaves_the_callers_document_untouched() -> None:
    before = json.dumps(CHALICE_SWAGGER, sort_keys=True)
    normalised = apigateway_import.normalise(CHALICE_SWAGGER)
    assert normalised["openapi"].startswith("3")
    assert "swagger" not in normalised
    assert json.dumps(CHALICE_SWAGGER, sort_keys=True) == before


def put_prefix_notification(s3: Any, name: str) -> None:
    s3.put_bucket_notification_configuration(
        Bucket="uploads",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {
                    "LambdaFunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:f",
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": name, "Value": "incoming/"}]}},
                }
            ]
        },
    )


@pytest.mark.parametrize("name", ["Prefix", "prefix", "PREFIX"])
def test_notification_filter_rule_names_are_case_insensitive(aws: None, name: str) -> None:
    s3 = boto3.client("s3", region_name="eu-west-1")
    s3.create_bucket(
        Bucket="uploads", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )

    put_prefix_notification(s3, name)

    config = s3.get_bucket_notification_configuration(Bucket="uploads")
    [rule] = config["LambdaFunctionConfigurations"][0]["Filter"]["Key"]["FilterRules"]
    assert (rule["Name"].lower(), rule["Value"]) == ("prefix", "incoming/")


def test_lower_case_rule_names_only_touches_filter_rule_names() -> None:
    body = b"<FilterRule><Name>Suffix</Name><Value>Prefix</Value></FilterRule>"
    assert s3_notification_filter.lower_case_rule_names(body) == (
        b"<FilterRule><Name>suffix</Name><Value>Prefix</Value></FilterRule>"
    )
    assert s3_notification_filter.lower_case_rule_names("<Name>Prefix</Name>") == (
        "<Name>prefix</Name>"
    )
