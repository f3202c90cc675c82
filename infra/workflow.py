"""The SmartRe analysis state machine: its role, log group and Express state machine.

Created after the Lambdas exist (their ARNs are rendered into the definition). Logging is on
at ERROR level without execution data, so problem descriptions never reach the logs. X-Ray
tracing is on (no SDK in the tasks): each state, e.g. ``ClassifyImage`` and ``AssessRepair``, is
its own named segment of the execution's trace, linked to its Lambda's; a machine found without
tracing is updated.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import Stage
from infra.provision import Report, _code, _tag_list

_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "states.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def role_policy(stage: Stage, lambda_arns: Sequence[str]) -> dict[str, Any]:
    table_arn = f"arn:aws:dynamodb:{stage.region}:{stage.account}:table/{stage.analyses_table.name}"
    statements: list[dict[str, Any]] = [
        {
            "Sid": "PersistAnalyses",
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem"],
            "Resource": table_arn,
        },
        {
            # Express workflows deliver logs through CloudWatch Logs' vended-log API.
            "Sid": "DeliverLogs",
            "Effect": "Allow",
            "Action": [
                "logs:CreateLogDelivery",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
            ],
            "Resource": "*",
        },
        {
            "Sid": "Trace",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            "Resource": "*",
        },
    ]
    if lambda_arns:
        statements.insert(
            0,
            {
                "Sid": "InvokeTasks",
                "Effect": "Allow",
                "Action": ["lambda:InvokeFunction"],
                "Resource": sorted(lambda_arns),
            },
        )
    return {"Version": "2012-10-17", "Statement": statements}


def ensure_role(iam: Any, stage: Stage, lambda_arns: Sequence[str], report: Report) -> str:
    name = stage.state_machine_role_name
    try:
        arn = iam.get_role(RoleName=name)["Role"]["Arn"]
        action = "unchanged"
    except ClientError as exc:
        if _code(exc) != "NoSuchEntity":
            raise
        arn = iam.create_role(
            RoleName=name,
            AssumeRolePolicyDocument=json.dumps(_TRUST),
            Description="Runs the SmartRe analysis workflow",
            Tags=_tag_list(stage.tags),
        )["Role"]["Arn"]
        action = "created"
    wanted = role_policy(stage, lambda_arns)
    try:
        current = iam.get_role_policy(RoleName=name, PolicyName="workflow")["PolicyDocument"]
        if isinstance(current, str):
            current = json.loads(current)
    except ClientError:
        current = None
    if current != wanted:
        iam.put_role_policy(RoleName=name, PolicyName="workflow", PolicyDocument=json.dumps(wanted))
        if action == "unchanged":
            action = "updated"
    report.add(f"iam:role/{name}", action)
    return str(arn)


def ensure_log_group(logs: Any, stage: Stage, report: Report) -> str:
    name = stage.state_machine_log_group
    found = logs.describe_log_groups(logGroupNamePrefix=name).get("logGroups", [])
    existing = next((g for g in found if g["logGroupName"] == name), None)
    if existing is None:
        logs.create_log_group(logGroupName=name, tags=dict(stage.tags))
        logs.put_retention_policy(logGroupName=name, retentionInDays=30)
        report.add(f"logs:{name}", "created")
    else:
        report.add(f"logs:{name}", "unchanged")
    return f"arn:aws:logs:{stage.region}:{stage.account}:log-group:{name}:*"


def ensure_state_machine(
    sfn: Any, iam: Any, logs: Any, stage: Stage, definition: str, report: Report
) -> str:
    """Create or update the Express state machine; return its ARN."""
    from stepfunctions.render import task_lambda_arns

    role_arn = ensure_role(iam, stage, task_lambda_arns(definition), report)
    log_group_arn = ensure_log_group(logs, stage, report)
    logging_config = {
        "level": "ERROR",
        "includeExecutionData": False,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": log_group_arn}}],
    }
    arn = stage.state_machine_arn
    try:
        current = sfn.describe_state_machine(stateMachineArn=arn)
    except ClientError as exc:
        if _code(exc) != "StateMachineDoesNotExist":
            raise
        _create_with_retry(
            sfn,
            name=stage.state_machine_name,
            definition=definition,
            roleArn=role_arn,
            type="EXPRESS",
            loggingConfiguration=logging_config,
            tracingConfiguration={"enabled": True},
            tags=[{"key": k, "value": v} for k, v in sorted(stage.tags.items())],
        )
        report.add(f"states:{stage.state_machine_name}", "created")
        return arn
    if (
        _same_definition(current.get("definition", ""), definition)
        and current.get("roleArn") == role_arn
        and current.get("tracingConfiguration", {}).get("enabled") is True  # X-Ray: each state
    ):
        report.add(f"states:{stage.state_machine_name}", "unchanged")
        return arn
    sfn.update_state_machine(
        stateMachineArn=arn,
        definition=definition,
        roleArn=role_arn,
        loggingConfiguration=logging_config,
        tracingConfiguration={"enabled": True},
    )
    report.add(f"states:{stage.state_machine_name}", "updated")
    return arn


def _same_definition(a: str, b: str) -> bool:
    try:
        return bool(json.loads(a) == json.loads(b))
    except ValueError:
        return False


def _create_with_retry(sfn: Any, **params: Any) -> None:
    # A new IAM role takes a few seconds to become assumable by Step Functions on AWS.
    for attempt in range(8):
        try:
            sfn.create_state_machine(**params)
            return
        except ClientError as exc:
            if _code(exc) != "AccessDeniedException" or attempt == 7:
                raise
            time.sleep(2 + attempt * 2)


def delete_state_machine(sfn: Any, iam: Any, logs: Any, stage: Stage, report: Report) -> None:
    try:
        sfn.delete_state_machine(stateMachineArn=stage.state_machine_arn)
        report.add(f"states:{stage.state_machine_name}", "deleted")
    except ClientError as exc:
        if _code(exc) != "StateMachineDoesNotExist":
            raise
        report.add(f"states:{stage.state_machine_name}", "absent")
    name = stage.state_machine_role_name
    try:
        for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
            iam.delete_role_policy(RoleName=name, PolicyName=policy)
        iam.delete_role(RoleName=name)
        report.add(f"iam:role/{name}", "deleted")
    except ClientError as exc:
        if _code(exc) != "NoSuchEntity":
            raise
        report.add(f"iam:role/{name}", "absent")
    try:
        logs.delete_log_group(logGroupName=stage.state_machine_log_group)
        report.add(f"logs:{stage.state_machine_log_group}", "deleted")
    except ClientError as exc:
        if _code(exc) != "ResourceNotFoundException":
            raise
        report.add(f"logs:{stage.state_machine_log_group}", "absent")
