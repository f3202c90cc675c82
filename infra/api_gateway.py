"""What ``chalice deploy`` leaves out of the two REST APIs: throttling and gateway responses.

Throttling: stage-wide rate and burst limits (``*/*`` method settings), so a flood stops at API
Gateway instead of scaling Lambda and DynamoDB on our bill. Gateway responses: the answers API
Gateway gives before our code runs (authorizer refusals, throttling, unknown routes) use the apps'
``{"Code", "Message"}`` shape from ``infra.gateway_responses``. A changed gateway response only
takes effect with a new deployment of the stage, so one is created when (and only when) a
response changed. Also verified here: X-Ray tracing on the stage and on every function, and each
function's memory, against the Chalice config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from infra.gateway_responses import GATEWAY_RESPONSES, GatewayResponse
from infra.provision import Report

API_STAGE = "v1"
JSON = "application/json"


@dataclass(frozen=True)
class Throttle:
    rate_per_second: float
    burst: int


# RepairApp serves the public site; SmartRe only RepairApp (one analysis per repair request).
DEFAULT_THROTTLES: Mapping[str, Throttle] = {
    "repairapp": Throttle(rate_per_second=50.0, burst=100),
    "smartre": Throttle(rate_per_second=20.0, burst=40),
}


def throttle_operations(throttle: Throttle) -> list[dict[str, str]]:
    return [
        {
            "op": "replace",
            "path": "/*/*/throttling/rateLimit",
            "value": str(throttle.rate_per_second),
        },
        {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(throttle.burst)},
    ]


def ensure_throttling(
    apigateway: Any, rest_api_id: str, app: str, throttle: Throttle, report: Report
) -> None:
    stage = apigateway.get_stage(restApiId=rest_api_id, stageName=API_STAGE)
    current = stage.get("methodSettings", {}).get("*/*", {})
    resource = f"apigateway:{app}/{API_STAGE}/throttling"
    if (
        float(current.get("throttlingRateLimit", -1)) == throttle.rate_per_second
        and int(current.get("throttlingBurstLimit", -1)) == throttle.burst
    ):
        report.add(resource, "unchanged")
        return
    apigateway.update_stage(
        restApiId=rest_api_id,
        stageName=API_STAGE,
        patchOperations=throttle_operations(throttle),
    )
    report.add(resource, "updated")


def gateway_response_request(
    rest_api_id: str, response_type: str, response: GatewayResponse
) -> dict[str, Any]:
    """The PutGatewayResponse parameters for one response type."""
    params: dict[str, Any] = {
        "restApiId": rest_api_id,
        "responseType": response_type,
        "responseParameters": {"gatewayresponse.header.Content-Type": f"'{JSON}'"},
        "responseTemplates": {JSON: response.body()},
    }
    # DEFAULT_4XX/5XX cover many statuses (413, 415, 504, ...): overriding theirs would turn a
    # timeout into a generic code, so only the specific types pin their status.
    if not response_type.startswith("DEFAULT_"):
        params["statusCode"] = str(response.status)
    return params


def ensure_gateway_responses(apigateway: Any, rest_api_id: str, app: str, report: Report) -> None:
    changed = False
    for response_type, response in GATEWAY_RESPONSES.items():
        wanted = gateway_response_request(rest_api_id, response_type, response)
        try:
            current = apigateway.get_gateway_response(
                restApiId=rest_api_id, responseType=response_type
            )
        except apigateway.exceptions.NotFoundException:
            current = {}
        same = (
            current.get("responseTemplates") == wanted["responseTemplates"]
            and current.get("responseParameters") == wanted["responseParameters"]
            and current.get("statusCode", wanted.get("statusCode")) == wanted.get("statusCode")
            and current.get("defaultResponse") is not True
        )
        if not same:
            apigateway.put_gateway_response(**wanted)
            changed = True
    if changed:
        apigateway.create_deployment(
            restApiId=rest_api_id,
            stageName=API_STAGE,
            description="gateway responses in the apps' error shape",
        )
    report.add(
        f"apigateway:{app}/gateway-responses ({len(GATEWAY_RESPONSES)})",
        "updated" if changed else "unchanged",
    )


def ensure_stage_tracing(apigateway: Any, rest_api_id: str, app: str, report: Report) -> None:
    stage = apigateway.get_stage(restApiId=rest_api_id, stageName=API_STAGE)
    resource = f"apigateway:{app}/{API_STAGE}/tracing"
    if stage.get("tracingEnabled"):
        report.add(resource, "unchanged")
        return
    apigateway.update_stage(
        restApiId=rest_api_id,
        stageName=API_STAGE,
        patchOperations=[{"op": "replace", "path": "/tracingEnabled", "value": "true"}],
    )
    report.add(resource, "updated")


def verify_functions(
    lambda_client: Any, app: str, functions: Mapping[str, tuple[str, int]], report: Report
) -> list[str]:
    """Compare deployed functions ({name: (function name, memory MB)}) with the config:
    X-Ray active and the configured memory. Returns the mismatches (empty when all match)."""
    problems = []
    for name, (function_name, memory_mb) in sorted(functions.items()):
        config = lambda_client.get_function_configuration(FunctionName=function_name)
        tracing = config.get("TracingConfig", {}).get("Mode")
        if tracing != "Active":
            problems.append(f"{app} {name}: X-Ray tracing is {tracing}, expected Active")
        if config.get("MemorySize") != memory_mb:
            problems.append(f"{app} {name}: {config.get('MemorySize')} MB, config says {memory_mb}")
        # Chalice created them; this step only looked.
        report.add(f"lambda:{function_name} ({memory_mb} MB, tracing {tracing})", "unchanged")
    return problems
