"""``./deploy.sh dev`` twice against a fresh embedded AWS, then ``./deploy.sh --delete dev``.

What the emulator keeps is read back from it; what it does not (budget subscribers, the origin
header's value as sent) is checked in the request log the deploy writes. The last test deletes
the stage, so it must stay last in this module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from infra import bytecode, cloudfront, monitoring, photo_bucket, request_log, slimming
from infra.definition import Stage, stage
from infra.gateway_responses import GATEWAY_RESPONSES
from infra.provision import Report
from localaws.defaults import ACCOUNT_ID
from localaws.server import Emulator
from tests.integration.deploy.conftest import LEGACY_PHOTOS_BUCKET, STAGE, DeployRun, run_deploy

pytestmark = [pytest.mark.deploy, pytest.mark.slow]

DEV = stage(STAGE, ACCOUNT_ID)
FUNCTIONS = {
    "smartre-dev",
    "smartre-dev-service_key",
    "smartre-dev-classify_image",
    "smartre-dev-assess_repair",
    "smartre-dev-merge_analysis",
    "repairapp-dev",
    "repairapp-dev-send_pending_feedback",
    "repairapp-dev-triage_walk_ins",
    "repairapp-dev-send_event_mail",
}


def named(aws: Emulator) -> Stage:
    """DEV with its photos bucket's suffix, read from the emulator's SSM as the deploy reads it."""
    return photo_bucket.resolve(aws.client("ssm"), DEV, Report(), create=False)


def deployed(workspace: Path, app: str) -> dict[str, dict[str, Any]]:
    document = json.loads((workspace / app / ".chalice" / "deployed" / "dev.json").read_text())
    return {r["name"]: r for r in document["resources"]}


def distribution(aws: Emulator) -> tuple[cloudfront.Distribution, dict[str, Any]]:
    found = cloudfront.find_distribution(aws.client("cloudfront"), DEV)
    assert found is not None
    config = aws.client("cloudfront").get_distribution_config(Id=found.id)
    return found, config["DistributionConfig"]


def test_the_second_run_changes_nothing(deploys: tuple[DeployRun, DeployRun]) -> None:
    first, second = deploys

    assert ("created", "cloudfront:distribution/repairapp-dev") in [
        (action, resource.split(" (")[0]) for action, resource in first.report_lines()
    ]
    changed = [line for line in second.report_lines() if line[0] != "unchanged"]
    assert changed == []
    assert len(second.report_lines()) > 40
    assert second.requests == []  # not one change asked of AWS


def test_both_apps_are_deployed_with_tracing_and_their_memory(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    lambdas = aws.client("lambda")
    functions = {f["FunctionName"]: f for f in lambdas.list_functions()["Functions"]}

    assert set(functions) >= FUNCTIONS
    assert all(functions[name]["TracingConfig"]["Mode"] == "Active" for name in FUNCTIONS)
    assert functions["smartre-dev-classify_image"]["MemorySize"] == 1024
    assert functions["smartre-dev-assess_repair"]["MemorySize"] == 1024


def test_both_apis_are_throttled_traced_and_answer_in_the_apps_error_shape(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun]
) -> None:
    apigateway = aws.client("apigateway")
    for app, rate in (("smartre", 20.0), ("repairapp", 50.0)):
        api_id = deployed(workspace, app)["rest_api"]["rest_api_id"]
        stage_v1 = apigateway.get_stage(restApiId=api_id, stageName="v1")
        unauthorized = apigateway.get_gateway_response(
            restApiId=api_id, responseType="UNAUTHORIZED"
        )

        assert stage_v1["tracingEnabled"] is True
        assert stage_v1["methodSettings"]["*/*"]["throttlingRateLimit"] == rate
        assert json.loads(unauthorized["responseTemplates"]["application/json"]) == {
            "Code": "Unauthorized",
            "Message": GATEWAY_RESPONSES["UNAUTHORIZED"].message,
        }
    names = {api["name"] for api in apigateway.get_rest_apis()["items"]}
    assert names == {"smartre", "repairapp"}


def test_the_workflow_runs_the_deployed_lambdas(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun]
) -> None:
    machine = aws.client("stepfunctions").describe_state_machine(
        stateMachineArn=DEV.state_machine_arn
    )
    arns = {
        r["lambda_arn"]
        for r in deployed(workspace, "smartre").values()
        if r["resource_type"] == "lambda_function" and r["name"] != "api_handler"
    }
    tasks = {arn for arn in arns if not arn.endswith("service_key")}

    assert machine["type"] == "EXPRESS"
    assert machine["tracingConfiguration"] == {"enabled": True}  # X-Ray names each state
    assert "${" not in machine["definition"]
    assert all(arn in machine["definition"] for arn in tasks)


def test_buckets_are_private_and_the_photo_bucket_takes_uploads_from_the_site(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    s3 = aws.client("s3")
    found, _ = distribution(aws)
    dev = named(aws)
    photos = dev.photos_bucket.name

    for bucket in dev.buckets:
        block = s3.get_public_access_block(Bucket=bucket.name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), bucket.name
    cors = s3.get_bucket_cors(Bucket=photos)["CORSRules"]
    rules = {r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=photos)["Rules"]}
    assert cors[0]["AllowedOrigins"] == [f"https://{found.domain_name}"]
    assert rules["expire-raw-photos"]["Expiration"]["Days"] == 7


def test_the_photos_bucket_is_named_without_the_account_and_kept_by_the_second_run(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun]
) -> None:
    first, second = deploys
    dev = named(aws)
    photos = dev.photos_bucket.name
    parameter = f"ssm:{DEV.photos_bucket_suffix_parameter}"
    app_config = json.loads((workspace / "smartre" / ".chalice" / "config.json").read_text())
    policy = (workspace / "smartre" / ".chalice" / "policy-dev.json").read_text()
    s3 = aws.client("s3")

    assert ACCOUNT_ID not in photos
    assert app_config["stages"]["dev"]["environment_variables"]["PHOTOS_BUCKET_NAME"] == photos
    assert f"arn:aws:s3:::{photos}" in policy
    assert LEGACY_PHOTOS_BUCKET not in policy
    assert ("created", parameter) in first.report_lines()
    assert [line for line in second.report_lines() if line[1] == parameter] == []  # only read
    # The stage from before keeps its old bucket until the 7-day rule has emptied it.
    assert s3.list_objects_v2(Bucket=LEGACY_PHOTOS_BUCKET)["KeyCount"] == 1
    assert s3.list_objects_v2(Bucket=photos)["KeyCount"] == 0


def test_only_this_distribution_may_read_the_site_bucket(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    found, _ = distribution(aws)
    policy = json.loads(aws.client("s3").get_bucket_policy(Bucket=DEV.site_bucket.name)["Policy"])

    for statement in policy["Statement"]:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Condition"] == {"StringEquals": {"AWS:SourceArn": found.arn}}


def test_every_table_exists(aws: Emulator, deploys: tuple[DeployRun, DeployRun]) -> None:
    names = set(aws.client("dynamodb").list_tables()["TableNames"])

    assert {table.name for table in DEV.tables} <= names


def test_the_distribution_guards_the_site_and_the_api(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun]
) -> None:
    cf = aws.client("cloudfront")
    _, config = distribution(aws)
    site_origin, api_origin = config["Origins"]["Items"]
    default, api = config["DefaultCacheBehavior"], config["CacheBehaviors"]["Items"][0]
    access_controls = cf.list_origin_access_controls()["OriginAccessControlList"]["Items"]
    secret = aws.client("ssm").get_parameter(Name=DEV.origin_secret.name, WithDecryption=True)
    api_id = deployed(workspace, "repairapp")["rest_api"]["rest_api_id"]

    assert site_origin["OriginAccessControlId"] == access_controls[0]["Id"]
    assert site_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert config["Restrictions"]["GeoRestriction"]["RestrictionType"] == "whitelist"
    assert config["Restrictions"]["GeoRestriction"]["Items"] == ["BE"]
    assert default["DefaultTTL"] == 86400
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert [a["EventType"] for a in default["FunctionAssociations"]["Items"]] == ["viewer-request"]
    assert config["CustomErrorResponses"]["Quantity"] == 0
    assert api["PathPattern"] == "/api/*"
    assert config["CacheBehaviors"]["Items"][1] == {**api, "PathPattern": "/api"}
    assert api["FunctionAssociations"]["Quantity"] == 0
    assert api["CachePolicyId"] == cloudfront.CACHING_DISABLED_POLICY_ID
    assert api["OriginRequestPolicyId"] == cloudfront.ALL_VIEWER_EXCEPT_HOST_HEADER_POLICY_ID
    assert api_origin["DomainName"] == f"{api_id}.execute-api.eu-west-1.amazonaws.com"
    assert api_origin["OriginPath"] == "/v1"
    assert api_origin["CustomHeaders"]["Items"] == [
        {"HeaderName": "X-Origin-Verify", "HeaderValue": secret["Parameter"]["Value"]}
    ]


def test_the_deep_link_function_is_published_and_attached_to_the_site_only(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    first, _ = deploys
    cf = aws.client("cloudfront")
    name = cloudfront.names(DEV).function
    live = cf.get_function(Name=name, Stage="LIVE")["FunctionCode"].read()
    (sent,) = first.requested("CreateDistributionWithTags")
    config = sent["DistributionConfigWithTags"]["DistributionConfig"]
    secret = aws.client("ssm").get_parameter(Name=DEV.origin_secret.name, WithDecryption=True)

    assert live == cloudfront.SPA_FUNCTION_FILE.read_bytes()
    assert config["DefaultCacheBehavior"]["FunctionAssociations"]["Items"][0][
        "FunctionARN"
    ].endswith(f":function/{name}")
    assert config["CacheBehaviors"]["Items"][0]["FunctionAssociations"] == {"Quantity": 0}
    # The log holds a fingerprint of the secret, never the secret.
    header = config["Origins"]["Items"][1]["CustomHeaders"]["Items"][0]["HeaderValue"]
    assert header == request_log.fingerprint(secret["Parameter"]["Value"])


def test_the_budget_alerts_at_80_percent_actual_and_100_percent_forecast(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    first, _ = deploys
    budgets = aws.client("budgets")
    budget = budgets.describe_budget(AccountId=ACCOUNT_ID, BudgetName=DEV.budget_name)["Budget"]
    notifications = budgets.describe_notifications_for_budget(
        AccountId=ACCOUNT_ID, BudgetName=DEV.budget_name
    )["Notifications"]
    (sent,) = first.requested("CreateBudget")
    topic = f"arn:aws:sns:eu-west-1:{ACCOUNT_ID}:{DEV.alerts_topic_name}"

    assert budget["BudgetLimit"] == {"Amount": "50", "Unit": "EUR"}
    assert (budget["TimeUnit"], budget["BudgetType"]) == ("MONTHLY", "COST")
    assert sorted((n["NotificationType"], n["Threshold"]) for n in notifications) == [
        ("ACTUAL", 80.0),
        ("FORECASTED", 100.0),
    ]
    assert all(
        n["Subscribers"] == [{"SubscriptionType": "SNS", "Address": topic}]
        for n in sent["NotificationsWithSubscribers"]
    )
    policy = aws.client("sns").get_topic_attributes(TopicArn=topic)["Attributes"]["Policy"]
    assert "budgets.amazonaws.com" in policy


def test_every_alarm_the_dashboard_and_30_day_retention_exist(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    cloudwatch = aws.client("cloudwatch")
    alarms = {a["AlarmName"]: a for a in cloudwatch.describe_alarms()["MetricAlarms"]}
    topic = f"arn:aws:sns:eu-west-1:{ACCOUNT_ID}:{DEV.alerts_topic_name}"
    body = json.loads(cloudwatch.get_dashboard(DashboardName="repairapp-dev")["DashboardBody"])
    groups = {
        g["logGroupName"]: g.get("retentionInDays")
        for g in aws.client("logs").describe_log_groups()["logGroups"]
    }

    assert set(alarms) == {s.name for s in monitoring.alarm_specs(DEV, FUNCTIONS)}
    assert all(a["AlarmActions"] == [topic] for a in alarms.values())
    assert {f"{f}-errors" for f in FUNCTIONS} <= set(alarms)
    assert alarms["repairapp-dev-triage-latency-p95"]["ExtendedStatistic"] == "p95"
    assert alarms["repairapp-dev-workflow-timedout"]["Namespace"] == "AWS/States"
    assert len(body["widgets"][0]["properties"]["alarms"]) == len(alarms)
    expected_groups = {f"/aws/lambda/{f}" for f in FUNCTIONS} | {DEV.state_machine_log_group}
    assert {name: groups.get(name) for name in expected_groups} == dict.fromkeys(
        expected_groups, 30
    )


def test_the_budget_counts_only_resources_tagged_with_the_stage(
    aws: Emulator, deploys: tuple[DeployRun, DeployRun]
) -> None:
    budget = aws.client("budgets").describe_budget(
        AccountId=ACCOUNT_ID, BudgetName=DEV.budget_name
    )["Budget"]
    functions = aws.client("lambda").list_functions()["Functions"]
    tags = aws.client("lambda").list_tags(Resource=functions[0]["FunctionArn"])["Tags"]

    assert budget["CostFilters"] == {"TagKeyValue": ["user:stage$dev"]}
    assert tags["stage"] == "dev"


# Run from inside the unzipped package: every extension module of numpy and Pillow must still
# find its libraries, and a photo in each accepted format must go through the shipped model.
PACKAGE_SMOKE = """
import importlib, io, pathlib, sys
root = pathlib.Path(sys.argv[1])
import numpy, PIL
assert pathlib.Path(numpy.__file__).is_relative_to(root), numpy.__file__
assert pathlib.Path(PIL.__file__).is_relative_to(root), PIL.__file__
for library in ("numpy", "PIL"):
    for so in (root / library).rglob("*.so"):
        importlib.import_module(".".join(so.relative_to(root).with_suffix("").with_suffix("").parts))
from PIL import Image
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.photo import load_photo
model = ImageClassifier.load()
for fmt in ("JPEG", "PNG", "WEBP"):
    buffer = io.BytesIO()
    Image.radial_gradient("L").convert("RGB").resize((640, 480)).save(buffer, fmt)
    print(fmt, model.classify(load_photo(buffer.getvalue())).top3)
"""


def test_the_uploaded_smartre_package_is_slimmed_compiled_and_still_classifies(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun], tmp_path: Path
) -> None:
    code_size = aws.client("lambda").get_function(FunctionName="smartre-dev-classify_image")[
        "Configuration"
    ]["CodeSize"]
    cached = workspace / "smartre" / ".chalice" / "deployments"
    uploaded = [z for z in cached.glob("*.zip") if z.stat().st_size == code_size]
    assert len(uploaded) == 1, (code_size, sorted(z.stat().st_size for z in cached.glob("*.zip")))
    with zipfile.ZipFile(uploaded[0]) as package:
        names = package.namelist()
        assert not [name for name in names if slimming.unused("smartre", name)]
        for source in ("app.py", "chalicelib/ml/image_model.py", "numpy/__init__.py"):
            assert bytecode.bytecode_name(source) in names
        package.extractall(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", PACKAGE_SMOKE, str(tmp_path)],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert [line.split()[0] for line in result.stdout.splitlines()] == ["JPEG", "PNG", "WEBP"]


def test_delete_removes_everything(
    aws: Emulator, workspace: Path, deploys: tuple[DeployRun, DeployRun]
) -> None:
    removed = run_deploy(workspace, aws, "--delete", STAGE)
    assert removed.returncode == 0, removed.output[-6000:]

    def named(names: list[str]) -> list[str]:
        return [n for n in names if n.startswith(("smartre-dev", "repairapp-dev"))]

    functions = aws.client("lambda").list_functions()["Functions"]
    assert named([f["FunctionName"] for f in functions]) == []
    assert aws.client("apigateway").get_rest_apis()["items"] == []
    assert aws.client("stepfunctions").list_state_machines()["stateMachines"] == []
    assert named([b["Name"] for b in aws.client("s3").list_buckets()["Buckets"]]) == []
    assert named(aws.client("dynamodb").list_tables()["TableNames"]) == []
    assert named([r["RoleName"] for r in aws.client("iam").list_roles()["Roles"]]) == []
    assert aws.client("cloudfront").list_distributions()["DistributionList"]["Quantity"] == 0
    cf = aws.client("cloudfront")
    assert cf.list_origin_access_controls()["OriginAccessControlList"].get("Items", []) == []
    assert cf.list_functions()["FunctionList"].get("Items", []) == []
    assert aws.client("budgets").describe_budgets(AccountId=ACCOUNT_ID).get("Budgets", []) == []
    assert aws.client("sns").list_topics()["Topics"] == []
    parameters = aws.client("ssm").get_parameters_by_path(Path="/repairapp/dev/", Recursive=True)
    assert parameters["Parameters"] == []
    assert aws.client("cognito-idp").list_user_pools(MaxResults=60)["UserPools"] == []
    groups = aws.client("logs").describe_log_groups()["logGroups"]
    assert [g["logGroupName"] for g in groups if "-dev" in g["logGroupName"]] == []
    cloudwatch = aws.client("cloudwatch")
    assert cloudwatch.describe_alarms()["MetricAlarms"] == []
    assert cloudwatch.list_dashboards()["DashboardEntries"] == []
