"""Throttling, gateway responses and tracing on a deployed REST API; verified functions."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra import api_gateway
from infra.gateway_responses import GATEWAY_RESPONSES
from infra.provision import Report
from localaws.patches import apigateway_redeploy_stage, restore_all


@pytest.fixture
def api() -> Iterator[tuple[Any, str]]:
    # As on AWS, a deployment must keep the stage's settings (moto replaces the stage).
    apigateway_redeploy_stage.apply()
    try:
        with mock_aws():
            client = boto3.client("apigateway", region_name="eu-west-1")
            api_id = client.create_rest_api(name="repairapp")["id"]
            root = client.get_resources(restApiId=api_id)["items"][0]["id"]
            client.put_method(
                restApiId=api_id, resourceId=root, httpMethod="GET", authorizationType="NONE"
            )
            client.put_integration(restApiId=api_id, resourceId=root, httpMethod="GET", type="MOCK")
            client.create_deployment(restApiId=api_id, stageName="v1")
            yield client, api_id
    finally:
        restore_all()


def tune(client: Any, api_id: str) -> list[str]:
    report = Report()
    throttle = api_gateway.DEFAULT_THROTTLES["repairapp"]
    api_gateway.ensure_stage_tracing(client, api_id, "repairapp", report)
    api_gateway.ensure_throttling(client, api_id, "repairapp", throttle, report)
    api_gateway.ensure_gateway_responses(client, api_id, "repairapp", report)
    return [action for _, action in report.actions]


def test_a_second_run_changes_nothing(api: tuple[Any, str]) -> None:
    client, api_id = api

    assert tune(client, api_id) == ["updated", "updated", "updated"]
    assert tune(client, api_id) == ["unchanged", "unchanged", "unchanged"]
    stage = client.get_stage(restApiId=api_id, stageName="v1")
    assert stage["tracingEnabled"] is True
    assert stage["methodSettings"]["*/*"]["throttlingBurstLimit"] == 100


def test_gateway_responses_answer_in_the_apps_error_shape(api: tuple[Any, str]) -> None:
    client, api_id = api
    tune(client, api_id)

    responses = {
        r["responseType"]: r for r in client.get_gateway_responses(restApiId=api_id)["items"]
    }

    assert set(responses) == set(GATEWAY_RESPONSES)
    denied = responses["ACCESS_DENIED"]
    assert denied["statusCode"] == "403"
    assert json.loads(denied["responseTemplates"]["application/json"])["Code"] == "Forbidden"
    # The catch-alls keep the status API Gateway chose (a 504 stays a 504).
    assert "statusCode" not in responses["DEFAULT_5XX"]


class FakeLambda:
    def __init__(self, configs: dict[str, dict[str, Any]]) -> None:
        self.configs = configs

    def get_function_configuration(self, FunctionName: str) -> dict[str, Any]:  # noqa: N803
        return self.configs[FunctionName]


def test_functions_without_tracing_or_with_other_memory_are_reported() -> None:
    client = FakeLambda(
        {
            "smartre-dev-classify_image": {"MemorySize": 1024, "TracingConfig": {"Mode": "Active"}},
            "smartre-dev": {"MemorySize": 128, "TracingConfig": {"Mode": "PassThrough"}},
        }
    )
    functions = {
        "classify_image": ("smartre-dev-classify_image", 1024),
        "api_handler": ("smartre-dev", 512),
    }

    problems = api_gateway.verify_functions(client, "smartre", functions, Report())

    assert problems == [
        "smartre api_handler: X-Ray tracing is PassThrough, expected Active",
        "smartre api_handler: 128 MB, config says 512",
    ]
