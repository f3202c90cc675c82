"""The deploy's templates, validated without AWS: this project's cfn-lint.

There are no CloudFormation templates: the infra is idempotent boto3 calls. So every payload the
deploy sends is built here from the same functions the deploy uses and validated against
botocore's service models (the shapes AWS accepts: required members, types, enums, lengths);
identity policies also pass moto's IAM grammar check and the least-privilege rule; the CloudFront
Function passes ``node --check``; ``deploy.sh`` passes shellcheck when it is installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator
from moto.iam.policy_validation import IAMPolicyDocumentValidator

from infra import alerts, api_gateway, budget, cloudfront, policies, workflow
from infra.app_config import APPS, REPO_ROOT
from infra.cost.explorer import daily_cost_request
from infra.definition import stage
from infra.gateway_responses import GATEWAY_RESPONSES
from stepfunctions.render import placeholders, render_analysis, task_lambda_arns

DEV = stage("dev", "123456789012", photos_bucket_suffix="0123456789abcdef")
TOPIC = alerts.topic_arn(DEV)
FUNCTION_ARN = "arn:aws:cloudfront::123456789012:function/repairapp-dev-spa-rewrite"
DISTRIBUTION_ARN = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
CERTIFICATE = cloudfront.Certificate(
    domain="repair.example.be",
    acm_certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e",
)
_SESSION = botocore.session.get_session()


def enum_errors(value: Any, shape: Any, path: str = "") -> list[str]:
    """Values outside a string shape's enum (botocore's validator leaves enums to AWS)."""
    if shape.type_name == "structure" and isinstance(value, dict):
        return [
            error
            for name, member in value.items()
            if name in shape.members
            for error in enum_errors(member, shape.members[name], f"{path}.{name}")
        ]
    if shape.type_name == "list" and isinstance(value, list):
        return [
            e for i, v in enumerate(value) for e in enum_errors(v, shape.member, f"{path}[{i}]")
        ]
    if shape.type_name == "map" and isinstance(value, dict):
        return [e for k, v in value.items() for e in enum_errors(v, shape.value, f"{path}.{k}")]
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        return [f"{path}: {value!r} is not one of {enum}"]
    return []


def validate(service: str, operation: str, params: dict[str, Any]) -> None:
    model = _SESSION.get_service_model(service).operation_model(operation)
    report = ParamValidator().validate(params, model.input_shape)
    assert not report.has_errors(), report.generate_report()
    assert enum_errors(params, model.input_shape) == []


def test_the_validator_catches_a_wrong_enum_and_a_missing_member() -> None:
    config = distribution()
    config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] = "http-please"
    model = _SESSION.get_service_model("cloudfront").operation_model("UpdateDistribution")

    errors = enum_errors({"DistributionConfig": config}, model.input_shape)
    del config["Origins"]
    report = ParamValidator().validate({"DistributionConfig": config}, model.input_shape)

    assert errors == [
        ".DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy: 'http-please' is not one "
        "of ['allow-all', 'https-only', 'redirect-to-https']"
    ]
    assert report.has_errors()


def distribution(certificate: cloudfront.Certificate | None = None) -> dict[str, Any]:
    return cloudfront.distribution_config(
        DEV,
        access_control_id="E1OAC",
        function_arn=FUNCTION_ARN,
        api_domain="abc123.execute-api.eu-west-1.amazonaws.com",
        origin_secret="s3cr3t",
        certificate=certificate,
    )


@pytest.mark.parametrize("certificate", [None, CERTIFICATE], ids=["cloudfront.net", "domain"])
def test_distribution_config_is_valid(certificate: cloudfront.Certificate | None) -> None:
    config = distribution(certificate)

    validate(
        "cloudfront",
        "CreateDistributionWithTags",
        {"DistributionConfigWithTags": {"DistributionConfig": config, "Tags": {"Items": []}}},
    )
    validate(
        "cloudfront",
        "UpdateDistribution",
        {"Id": "E2", "IfMatch": "E3", **{"DistributionConfig": config}},
    )


def test_quantities_match_their_items() -> None:
    # CloudFront rejects a Quantity that differs from len(Items); botocore does not check it.
    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "Quantity" in node:
                assert node["Quantity"] == len(node.get("Items", [])), node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(distribution())
    walk(distribution(CERTIFICATE))


def test_cloudfront_function_and_access_control_requests_are_valid() -> None:
    code = cloudfront.SPA_FUNCTION_FILE.read_bytes()

    validate(
        "cloudfront",
        "CreateOriginAccessControl",
        {"OriginAccessControlConfig": cloudfront.access_control_config(DEV)},
    )
    validate(
        "cloudfront",
        "CreateFunction",
        {
            "Name": "repairapp-dev-spa-rewrite",
            "FunctionConfig": cloudfront.function_config(),
            "FunctionCode": code,
        },
    )
    validate(
        "cloudfront",
        "UpdateFunction",
        {
            "Name": "f",
            "IfMatch": "E",
            "FunctionConfig": cloudfront.function_config(),
            "FunctionCode": code,
        },
    )
    validate(
        "cloudfront",
        "CreateInvalidation",
        {
            "DistributionId": "E2",
            "InvalidationBatch": {
                "Paths": {"Quantity": 1, "Items": ["/*"]},
                "CallerReference": "deploy-1",
            },
        },
    )
    assert len(code) <= 10 * 1024  # CloudFront Functions' code size limit


def test_cloudfront_function_is_valid_javascript() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "--check", str(cloudfront.SPA_FUNCTION_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_site_bucket_policy_is_valid_and_grants_only_the_distribution() -> None:
    policy = cloudfront.site_bucket_policy(DEV, DISTRIBUTION_ARN)

    validate(
        "s3", "PutBucketPolicy", {"Bucket": DEV.site_bucket.name, "Policy": json.dumps(policy)}
    )
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Condition"] == {"StringEquals": {"AWS:SourceArn": DISTRIBUTION_ARN}}
        assert statement["Action"] in {"s3:GetObject", "s3:ListBucket"}


@pytest.mark.parametrize("app", APPS)
def test_lambda_policies_are_valid_iam_with_least_privilege(app: str) -> None:
    policy = policies.policy_for(app, DEV)
    document = json.dumps(policy)

    IAMPolicyDocumentValidator(document).validate()
    validate(
        "iam",
        "PutRolePolicy",
        {"RoleName": f"{app}-dev", "PolicyName": "p", "PolicyDocument": document},
    )
    assert policies.wildcard_problems(policy) == []
    assert len(document) <= 10240  # inline role policy size limit


def test_workflow_role_policy_is_valid_iam() -> None:
    policy = workflow.role_policy(DEV, ["arn:aws:lambda:eu-west-1:123456789012:function:x"])

    IAMPolicyDocumentValidator(json.dumps(policy)).validate()
    # Log delivery and X-Ray have no resource-level permissions: the only "*" resources.
    for statement in policy["Statement"]:
        if statement["Resource"] == "*":
            assert all(a.startswith(("logs:", "xray:")) for a in statement["Action"])
        assert all("*" not in action for action in statement["Action"])


def test_state_machine_definition_renders_and_is_a_valid_request(tmp_path: Path) -> None:
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:smartre-dev-{}"
    names = ("classify_image", "assess_repair", "merge_analysis")
    deployed = tmp_path / "dev.json"
    deployed.write_text(
        json.dumps(
            {
                "resources": [
                    {"name": n, "resource_type": "lambda_function", "lambda_arn": arn.format(n)}
                    for n in names
                ]
            }
        )
    )
    definition = render_analysis(deployed, DEV.analyses_table.name)
    document = json.loads(definition)

    assert placeholders(definition) == set()
    assert document["StartAt"] in document["States"]
    assert task_lambda_arns(definition) == sorted(arn.format(n) for n in names)
    validate(
        "stepfunctions",
        "CreateStateMachine",
        {
            "name": DEV.state_machine_name,
            "definition": definition,
            "type": "EXPRESS",
            "roleArn": "arn:aws:iam::123456789012:role/r",
            "tracingConfiguration": {"enabled": True},
            "loggingConfiguration": {"level": "ERROR", "includeExecutionData": False},
        },
    )


def test_budget_requests_are_valid() -> None:
    settings = budget.BudgetSettings.parse("50", "EUR")
    definition = budget.budget_definition(DEV, settings)
    alerts_ = budget.alert_notifications(TOPIC)

    validate(
        "budgets",
        "CreateBudget",
        {"AccountId": DEV.account, "Budget": definition, "NotificationsWithSubscribers": alerts_},
    )
    validate("budgets", "UpdateBudget", {"AccountId": DEV.account, "NewBudget": definition})
    for alert in alerts_:
        validate(
            "budgets",
            "CreateNotification",
            {"AccountId": DEV.account, "BudgetName": DEV.budget_name, **alert},
        )


def test_alerts_topic_requests_are_valid() -> None:
    policy = alerts.topic_policy(DEV)

    validate(
        "sns", "CreateTopic", {"Name": DEV.alerts_topic_name, "Tags": [{"Key": "k", "Value": "v"}]}
    )
    validate(
        "sns",
        "SetTopicAttributes",
        {"TopicArn": TOPIC, "AttributeName": "Policy", "AttributeValue": json.dumps(policy)},
    )
    budgets_statement = policy["Statement"][1]
    assert budgets_statement["Principal"] == {"Service": "budgets.amazonaws.com"}
    assert budgets_statement["Action"] == "sns:Publish"
    assert budgets_statement["Condition"]["StringEquals"] == {"aws:SourceAccount": DEV.account}


@pytest.mark.parametrize("response_type", sorted(GATEWAY_RESPONSES))
def test_gateway_responses_are_valid_and_in_the_apps_error_shape(response_type: str) -> None:
    params = api_gateway.gateway_response_request(
        "abc123", response_type, GATEWAY_RESPONSES[response_type]
    )

    validate("apigateway", "PutGatewayResponse", params)
    body = json.loads(params["responseTemplates"]["application/json"])
    assert set(body) == {"Code", "Message"}
    assert "$" not in params["responseTemplates"]["application/json"]  # no stray VTL


def test_throttling_patch_is_valid() -> None:
    validate(
        "apigateway",
        "UpdateStage",
        {
            "restApiId": "abc123",
            "stageName": "v1",
            "patchOperations": api_gateway.throttle_operations(
                api_gateway.DEFAULT_THROTTLES["repairapp"]
            ),
        },
    )


def test_cost_explorer_request_is_valid() -> None:
    validate("ce", "GetCostAndUsage", daily_cost_request(days=14))
    validate("ce", "GetCostAndUsage", daily_cost_request(days=14, stage="dev"))


def test_deploy_script_passes_shellcheck() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(
        [shellcheck, str(REPO_ROOT / "deploy.sh")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_every_alarm_request_is_valid() -> None:
    from infra import monitoring

    for spec in monitoring.alarm_specs(DEV, ["smartre-dev", "repairapp-dev"]):
        params = spec.parameters(TOPIC)
        params["Tags"] = [{"Key": k, "Value": v} for k, v in spec.tags.items()]
        validate("cloudwatch", "PutMetricAlarm", params)


def test_the_retention_is_one_cloudwatch_accepts() -> None:
    from infra import monitoring

    validate(
        "logs",
        "PutRetentionPolicy",
        {"logGroupName": "/aws/lambda/x", "retentionInDays": monitoring.LOG_RETENTION_DAYS},
    )
