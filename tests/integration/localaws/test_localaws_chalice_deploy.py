"""`chalice deploy` of a real Chalice app against the embedded AWS succeeds, and what it deployed
runs there: the emulator-side API Gateway and S3 notification patches at work."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from localaws.server import Emulator

STAGE = "chalicetest"
UPLOADS_BUCKET = "workflow-fixture-uploads"
CHALICE = str(Path(sys.executable).with_name("chalice"))
FIXTURE_APP = Path(__file__).parent / "fixtures" / "workflow_app"


def chalice_deploy(project: Path, emulator: Emulator) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CHALICE, "deploy", "--stage", STAGE],
        cwd=project,
        env={**os.environ, **emulator.environment()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def deployed_project(emulator: Emulator, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("chalice") / "workflow_app"
    shutil.copytree(FIXTURE_APP, project)
    emulator.client("s3").create_bucket(
        Bucket=UPLOADS_BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    result = chalice_deploy(project, emulator)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def deployed_resources(project: Path) -> dict[str, dict[str, Any]]:
    document = json.loads((project / ".chalice" / "deployed" / f"{STAGE}.json").read_text())
    return {resource["name"]: resource for resource in document["resources"]}


def test_chalice_deploy_creates_the_api_and_every_function(deployed_project: Path) -> None:
    resources = deployed_resources(deployed_project)
    assert resources["rest_api"]["resource_type"] == "rest_api"
    assert {"api_handler", "classify", "assess", "merge", "on_upload"} <= set(resources)


def test_chalice_deployed_lambda_function_runs_in_the_emulator(
    emulator: Emulator, deployed_project: Path
) -> None:
    arn = deployed_resources(deployed_project)["describe_runtime"]["lambda_arn"]
    response = emulator.client("lambda").invoke(FunctionName=arn, Payload=b'{"probe": 1}')
    described = json.loads(response["Payload"].read())
    assert "FunctionError" not in response
    assert described["function_name"] == f"workflow-fixture-{STAGE}-describe_runtime"
    assert described["env"]["STAGE"] == STAGE
    assert described["event"] == {"probe": 1}


def test_chalice_deployed_api_handler_routes_a_request(
    emulator: Emulator, deployed_project: Path
) -> None:
    # moto does not serve execute-api; the handler itself still runs Chalice's routing.
    arn = deployed_resources(deployed_project)["api_handler"]["lambda_arn"]
    event = {
        "resource": "/hello",
        "path": "/hello",
        "httpMethod": "GET",
        "headers": {"Accept": "application/json"},
        "multiValueHeaders": {"Accept": ["application/json"]},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/hello",
            "httpMethod": "GET",
            "path": "/api/hello",
            "stage": "api",
            "requestId": "test",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }
    response = emulator.client("lambda").invoke(FunctionName=arn, Payload=json.dumps(event))
    answer = json.loads(response["Payload"].read())
    assert answer["statusCode"] == 200, answer
    assert json.loads(answer["body"]) == {"hello": "world"}


def test_s3_trigger_fires_only_inside_its_prefix(
    emulator: Emulator, deployed_project: Path
) -> None:
    s3 = emulator.client("s3")
    # When an object lands under the trigger's "incoming/" prefix (moto invokes synchronously)
    s3.put_object(Bucket=UPLOADS_BUCKET, Key="incoming/photo.jpg", Body=b"x")
    # Then the handler ran, and its own write outside the prefix did not trigger it again
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=UPLOADS_BUCKET)["Contents"]}
    assert keys == {"incoming/photo.jpg", "processed/incoming/photo.jpg"}


def test_chalice_redeploy_updates_the_stage_in_place(
    emulator: Emulator, deployed_project: Path
) -> None:
    api_before = deployed_resources(deployed_project)["rest_api"]["rest_api_id"]
    result = chalice_deploy(deployed_project, emulator)
    assert result.returncode == 0, result.stdout + result.stderr
    assert deployed_resources(deployed_project)["rest_api"]["rest_api_id"] == api_before
