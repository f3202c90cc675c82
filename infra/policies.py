"""Least-privilege IAM policies for the Lambda roles of each app, derived from what it is given.

Both apps deploy with ``autogen_policy: false`` and ``iam_policy_file: policy-<stage>.json``:
Chalice's generated policy is guessed from the SDK calls in the code and grants them on every
resource of the account. Instead each permission follows from the app's stage environment
(``infra.app_config``): a ``*_TABLE_NAME`` grants item access to that table and its indexes, a
``*_BUCKET_NAME`` object access to that bucket, ``ANALYSIS_STATE_MACHINE_ARN`` the synchronous start
of that machine, ``CONFIG_PARAMETER_PATH`` reading that path. So a new table an engineer adds to
an app's environment is covered, and nothing else is. Only X-Ray, which has no resource-level
permissions, gets ``Resource: "*"``; no statement uses a wildcard action.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from infra import app_config
from infra.definition import Stage

VERSION = "2012-10-17"

TABLE_ACTIONS = (
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
)
# Presigned POSTs are signed with the function's role: the upload needs s3:PutObject here.
OBJECT_ACTIONS = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
# HeadBucket (health) and a 404 instead of 403 for a missing key both need ListBucket.
BUCKET_ACTIONS = ("s3:ListBucket",)
TRACE_ACTIONS = ("xray:PutTelemetryRecords", "xray:PutTraceSegments")
LOG_ACTIONS = ("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents")
# Actions that exist only without resource-level permissions, so Resource must be "*".
RESOURCE_LESS_ACTIONS = frozenset(TRACE_ACTIONS)


def _statement(sid: str, actions: tuple[str, ...], resources: list[str]) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": sorted(actions),
        "Resource": resources if len(resources) > 1 else resources[0],
    }


def policy_for(app: str, stage: Stage) -> dict[str, Any]:
    """The policy document for ``app``'s Lambda roles in ``stage``."""
    env = app_config.environment(app, stage)
    region, account = stage.region, stage.account
    statements = [
        _statement(
            "WriteOwnLogs",
            LOG_ACTIONS,
            [
                f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{app}-{stage.stage}:*",
                f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{app}-{stage.stage}-*:*",
            ],
        ),
        _statement("Trace", TRACE_ACTIONS, ["*"]),
    ]

    tables = sorted(v for k, v in env.items() if k.endswith("_TABLE_NAME"))
    if tables:
        arns = [f"arn:aws:dynamodb:{region}:{account}:table/{t}" for t in tables]
        statements.append(
            _statement("UseTables", TABLE_ACTIONS, arns + [f"{arn}/index/*" for arn in arns])
        )

    buckets = sorted(v for k, v in env.items() if k.endswith("_BUCKET_NAME"))
    if buckets:
        statements.append(
            _statement("ListBuckets", BUCKET_ACTIONS, [f"arn:aws:s3:::{b}" for b in buckets])
        )
        statements.append(
            _statement("UseObjects", OBJECT_ACTIONS, [f"arn:aws:s3:::{b}/*" for b in buckets])
        )

    machine = env.get("ANALYSIS_STATE_MACHINE_ARN")
    if machine:
        statements.append(
            _statement(
                "RunAnalysisWorkflow",
                ("states:DescribeStateMachine", "states:StartSyncExecution"),
                [machine],
            )
        )

    path = env["CONFIG_PARAMETER_PATH"].strip("/")
    statements.append(
        _statement(
            "ReadConfiguration",
            ("ssm:GetParametersByPath",),
            [
                f"arn:aws:ssm:{region}:{account}:parameter/{path}",
                f"arn:aws:ssm:{region}:{account}:parameter/{path}/*",
            ],
        )
    )
    # SecureString parameters use the account's default key for SSM (alias/aws/ssm); decrypting
    # is allowed only through SSM and only with that key.
    statements.append(
        {
            "Sid": "DecryptConfiguration",
            "Effect": "Allow",
            "Action": "kms:Decrypt",
            "Resource": f"arn:aws:kms:{region}:{account}:key/*",
            "Condition": {
                "StringEquals": {"kms:ViaService": f"ssm.{region}.amazonaws.com"},
                "ForAnyValue:StringEquals": {"kms:ResourceAliases": "alias/aws/ssm"},
            },
        }
    )

    if app == "repairapp":
        # Staff sign-in. InitiateAuth is a public Cognito operation that IAM does not evaluate;
        # the statement documents the dependency and is scoped to this account and region.
        statements.append(
            _statement(
                "SignInStaff",
                ("cognito-idp:InitiateAuth",),
                [f"arn:aws:cognito-idp:{region}:{account}:userpool/*"],
            )
        )
        # Staff access ends with the account: every staff request looks at the account and its
        # groups (cached briefly).
        statements.append(
            _statement(
                "CheckStaffAccounts",
                ("cognito-idp:AdminGetUser", "cognito-idp:AdminListGroupsForUser"),
                [f"arn:aws:cognito-idp:{region}:{account}:userpool/*"],
            )
        )
        sender = env.get("MAIL_FROM")
        if sender:
            # Mail to visitors: only from the sender identity (the address, or its domain when
            # the domain is the verified identity), and only with that From address.
            domain = sender.rsplit("@", 1)[-1]
            statement = _statement(
                "SendVisitorMail",
                ("ses:SendEmail",),
                [
                    f"arn:aws:ses:{region}:{account}:identity/{sender}",
                    f"arn:aws:ses:{region}:{account}:identity/{domain}",
                ],
            )
            statement["Condition"] = {"StringEquals": {"ses:FromAddress": sender}}
            statements.append(statement)
    return {"Version": VERSION, "Statement": statements}


def policy_path(app: str, stage_name: str, root: Path = app_config.REPO_ROOT) -> Path:
    return root / app / ".chalice" / f"policy-{stage_name}.json"


def write_policy(app: str, stage: Stage, root: Path = app_config.REPO_ROOT) -> bool:
    """Write the app's policy file for the stage; True when its content changed."""
    path = policy_path(app, stage.stage, root)
    text = json.dumps(policy_for(app, stage), indent=2) + "\n"
    if path.exists() and path.read_text() == text:
        return False
    path.write_text(text)
    return True


def wildcard_problems(policy: dict[str, Any]) -> list[str]:
    """Statements that grant more than they name: wildcard actions, or "*" resources for
    actions that do have resource-level permissions."""
    problems = []
    for statement in policy["Statement"]:
        actions = statement["Action"]
        actions = [actions] if isinstance(actions, str) else actions
        resources = statement["Resource"]
        resources = [resources] if isinstance(resources, str) else resources
        for action in actions:
            if "*" in action:
                problems.append(f"{statement.get('Sid')}: wildcard action {action}")
            if "*" in resources and action not in RESOURCE_LESS_ACTIONS:
                problems.append(f"{statement.get('Sid')}: {action} on every resource")
    return problems
