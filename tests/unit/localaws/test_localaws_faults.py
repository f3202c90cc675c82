"""Fault rules: validation, seeded determinism, counters, and errors botocore parses as intended."""

from __future__ import annotations

import io
from typing import Any

import pytest
from botocore import parsers
from botocore.awsrequest import HeadersDict

from localaws import aws_request
from localaws.aws_request import AwsRequest
from localaws.faults import FaultInjector, FaultPlan, FaultRule, InvalidFaultRuleError, render_error


def request(service: str, **fields: Any) -> AwsRequest:
    defaults: dict[str, Any] = {
        "signing_name": aws_request.service_model(service).signing_name,
        "region": "eu-west-1",
        "method": "POST",
        "path": "/",
        "query": {},
        "target": None,
        "action": None,
    }
    return AwsRequest(**{**defaults, **fields})


PUT_ITEM = request("dynamodb", target="DynamoDB_20120810.PutItem")
GET_ITEM = request("dynamodb", target="DynamoDB_20120810.GetItem")


def parse_error(
    service: str, operation: str, response: tuple[int, list[tuple[str, str]], bytes]
) -> dict[str, Any]:
    """What botocore makes of the rendered response (the same code path as a real client)."""
    model = aws_request.service_model(service)
    status, headers, body = response
    parser = parsers.create_parser(model.metadata["protocol"])
    parsed: dict[str, Any] = parser.parse(
        {"status_code": status, "headers": HeadersDict(headers), "body": body},
        model.operation_model(operation).output_shape,
    )
    return parsed


@pytest.mark.parametrize(
    ("service", "operation", "aws", "error", "status"),
    [
        ("dynamodb", "PutItem", PUT_ITEM, "ProvisionedThroughputExceededException", 400),
        ("stepfunctions", "StartSyncExecution",
         request("stepfunctions", target="AWSStepFunctions.StartSyncExecution"),
         "ThrottlingException", 400),
        ("s3", "PutObject", request("s3", method="PUT", path="/bucket/key"), "SlowDown", 503),
        ("lambda", "Invoke",
         request("lambda", path="/2015-03-31/functions/f/invocations"),
         "TooManyRequestsException", 429),
        ("sts", "GetCallerIdentity", request("sts", action="GetCallerIdentity"), "Throttling", 400),
        ("ec2", "DescribeInstances", request("ec2", action="DescribeInstances"),
         "RequestLimitExceeded", 503),
    ],
)  # fmt: skip
def test_rendered_error_parses_into_the_intended_code(
    service: str, operation: str, aws: AwsRequest, error: str, status: int
) -> None:
    rule = FaultRule.parse({"service": service, "operation": operation, "error": error})
    assert rule.applies_to(aws)

    parsed = parse_error(service, operation, render_error(rule, aws))

    assert parsed["Error"]["Code"] == error
    assert parsed["ResponseMetadata"]["HTTPStatusCode"] == status == rule.status


def test_rule_matches_only_its_operation() -> None:
    rule = FaultRule.parse({"service": "dynamodb", "operation": "PutItem", "error": "X"})
    assert rule.applies_to(PUT_ITEM)
    assert not rule.applies_to(GET_ITEM)
    assert not rule.applies_to(request("s3", method="PUT", path="/b/k"))


def test_wildcard_rule_matches_every_operation_of_the_service() -> None:
    rule = FaultRule.parse({"service": "dynamodb", "error": "X"})
    assert rule.applies_to(PUT_ITEM)
    assert rule.applies_to(GET_ITEM)
    streams = request("dynamodb", target="DynamoDBStreams_20120810.GetRecords")
    assert not rule.applies_to(streams)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"service": "nosuch", "error": "X"}, "unknown service"),
        ({"service": "dynamodb", "operation": "PutThing", "error": "X"}, "no operation"),
        ({"service": "dynamodb"}, "needs an error"),
        ({"service": "dynamodb", "error": "X", "rate": 1.5}, "rate"),
        ({"service": "dynamodb", "error": "X", "colour": "red"}, "unknown rule fields"),
    ],
)
def test_invalid_rules_are_rejected(rule: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidFaultRuleError, match=message):
        FaultPlan.parse({"rules": [rule]})


def outcomes(seed: int, count: int = 200) -> list[bool]:
    plan = FaultPlan.parse(
        {"seed": seed, "rules": [{"service": "dynamodb", "error": "X", "rate": 0.3}]}
    )
    return [plan.choose(PUT_ITEM) is not None for _ in range(count)]


def test_same_seed_gives_the_same_faults() -> None:
    assert outcomes(7) == outcomes(7)
    assert outcomes(7) != outcomes(8)


def test_rate_is_respected_roughly() -> None:
    assert 40 <= sum(outcomes(1, 400)) <= 200


def test_limit_caps_the_number_of_injected_faults() -> None:
    plan = FaultPlan.parse({"rules": [{"service": "dynamodb", "error": "X", "limit": 2}]})
    fired = [plan.choose(PUT_ITEM) is not None for _ in range(5)]
    assert fired == [True, True, False, False, False]
    summary = plan.summary()
    assert (summary["rules"][0]["matched"], summary["rules"][0]["injected"]) == (5, 2)
    assert summary["injected"] == 2


def test_injector_answers_for_a_wsgi_request_and_counts_it() -> None:
    injector = FaultInjector()
    injector.install(
        FaultPlan.parse({"rules": [{"service": "dynamodb", "operation": "PutItem", "error": "X"}]})
    )
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "HTTP_AUTHORIZATION": "AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/dynamodb/"
        "aws4_request, SignedHeaders=host, Signature=abc",
        "HTTP_X_AMZ_TARGET": "DynamoDB_20120810.PutItem",
        "wsgi.input": io.BytesIO(b"{}"),
    }

    answer = injector.intercept(environ)

    assert answer is not None
    assert answer[0] == 400
    assert injector.summary()["injected"] == 1
    assert injector.clear()["injected"] == 1
    assert injector.intercept(environ) is None
