"""Data a fresh stage starts with: the product catalogue (every stage) and demo staff (local).

Both are idempotent: existing catalogue entries are never overwritten (coordinators may have
edited them), and demo accounts are created only when missing.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from infra.definition import STAFF_ROLES, Stage
from infra.provision import find_user_pool

CATALOGUE = Path(__file__).resolve().parent.parent / "smartre" / "catalogue" / "products.json"


def seed_products(ddb: Any, table: str, catalogue: Path = CATALOGUE) -> int:
    """Add missing catalogue entries; return how many were added."""
    if not catalogue.is_file():
        return 0
    from boto3.dynamodb.types import TypeSerializer

    serializer = TypeSerializer()
    added = 0
    for product in json.loads(catalogue.read_text(encoding="utf-8")):
        item = {k: serializer.serialize(v) for k, v in {**product, "version": 1}.items()}
        try:
            ddb.put_item(
                TableName=table,
                Item=item,
                ConditionExpression="attribute_not_exists(productId)",
            )
            added += 1
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
    return added


def _demo_password() -> str:
    # Meets the pool's policy (12+ characters, upper, lower, digit).
    return "Rc-" + secrets.token_urlsafe(12) + "a1A"


def ensure_demo_staff(cognito: Any, stage: Stage, state_file: Path) -> dict[str, dict[str, str]]:
    """One demo account per staff role, with passwords kept on this machine across restarts."""
    pool_id = find_user_pool(cognito, stage.user_pool_name)
    if pool_id is None:
        raise RuntimeError("the staff user pool does not exist yet")
    known: dict[str, dict[str, str]] = {}
    if state_file.is_file():
        known = json.loads(state_file.read_text())
    for role in STAFF_ROLES:
        creds = known.get(role) or {
            "username": f"{role}@repairapp.local",
            "password": _demo_password(),
        }
        known[role] = creds
        try:
            cognito.admin_get_user(UserPoolId=pool_id, Username=creds["username"])
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "UserNotFoundException":
                raise
            cognito.admin_create_user(
                UserPoolId=pool_id,
                Username=creds["username"],
                UserAttributes=[
                    {"Name": "email", "Value": creds["username"]},
                    {"Name": "email_verified", "Value": "true"},
                ],
                MessageAction="SUPPRESS",
            )
        cognito.admin_set_user_password(
            UserPoolId=pool_id,
            Username=creds["username"],
            Password=creds["password"],
            Permanent=True,
        )
        cognito.admin_add_user_to_group(
            UserPoolId=pool_id, Username=creds["username"], GroupName=role
        )
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(known, indent=2) + "\n")
    state_file.chmod(0o600)
    return known
