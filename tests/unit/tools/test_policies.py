"""Each app's Lambda policy grants what its stage environment names, and nothing more."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from infra import policies
from infra.definition import stage

DEV = stage("dev", "123456789012", photos_bucket_suffix="0123456789abcdef")


def statement(policy: dict[str, Any], sid: str) -> dict[str, Any]:
    return next(s for s in policy["Statement"] if s["Sid"] == sid)


def as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def test_smartre_uses_its_own_tables_photos_and_workflow_only() -> None:
    policy = policies.policy_for("smartre", DEV)

    tables = as_list(statement(policy, "UseTables")["Resource"])
    objects = as_list(statement(policy, "UseObjects")["Resource"])
    workflow = statement(policy, "RunAnalysisWorkflow")

    assert {t.split("/")[1] for t in tables} == {
        DEV.analyses_table.name,
        DEV.products_table.name,
        DEV.labels_table.name,
        DEV.smartre_idempotency_table.name,
    }
    assert any(t.endswith("/index/*") for t in tables)
    assert objects == [f"arn:aws:s3:::{DEV.photos_bucket.name}/*"]
    assert workflow["Resource"] == DEV.state_machine_arn
    assert "states:StartSyncExecution" in workflow["Action"]


def test_repairapp_has_no_photo_or_workflow_access() -> None:
    policy = policies.policy_for("repairapp", DEV)
    sids = {s["Sid"] for s in policy["Statement"]}
    tables = as_list(statement(policy, "UseTables")["Resource"])

    assert "UseObjects" not in sids
    assert "RunAnalysisWorkflow" not in sids
    assert f"arn:aws:dynamodb:eu-west-1:123456789012:table/{DEV.repairs_table.name}" in tables
    assert statement(policy, "SignInStaff")["Action"] == ["cognito-idp:InitiateAuth"]


def test_configuration_is_read_by_path_and_decrypted_only_through_ssm() -> None:
    policy = policies.policy_for("smartre", DEV)
    read = statement(policy, "ReadConfiguration")
    decrypt = statement(policy, "DecryptConfiguration")

    assert read["Resource"] == [
        "arn:aws:ssm:eu-west-1:123456789012:parameter/repairapp/dev",
        "arn:aws:ssm:eu-west-1:123456789012:parameter/repairapp/dev/*",
    ]
    assert decrypt["Condition"]["StringEquals"] == {"kms:ViaService": "ssm.eu-west-1.amazonaws.com"}


def test_only_xray_gets_every_resource() -> None:
    for app in ("smartre", "repairapp"):
        policy = policies.policy_for(app, DEV)
        everywhere = [s for s in policy["Statement"] if s["Resource"] == "*"]

        assert [s["Sid"] for s in everywhere] == ["Trace"]
        assert policies.wildcard_problems(policy) == []


def test_the_sanity_check_catches_wildcards() -> None:
    policy = {
        "Statement": [
            {"Sid": "Broad", "Action": "dynamodb:*", "Resource": "arn:aws:dynamodb:::table/x"},
            {"Sid": "Everywhere", "Action": ["s3:GetObject"], "Resource": "*"},
        ]
    }

    assert policies.wildcard_problems(policy) == [
        "Broad: wildcard action dynamodb:*",
        "Everywhere: s3:GetObject on every resource",
    ]


def test_policy_files_are_written_once(tmp_path: Path) -> None:
    for app in ("smartre", "repairapp"):
        (tmp_path / app / ".chalice").mkdir(parents=True)

    first = policies.write_policy("smartre", DEV, tmp_path)
    second = policies.write_policy("smartre", DEV, tmp_path)

    assert (first, second) == (True, False)
    assert policies.policy_path("smartre", "dev", tmp_path).exists()


def test_repairapp_sends_mail_only_from_its_sender_identity() -> None:
    with_mail = stage(
        "dev",
        "123456789012",
        mail_from="hi@repair.example",
        photos_bucket_suffix="0123456789abcdef",
    )

    policy = policies.policy_for("repairapp", with_mail)

    mail = statement(policy, "SendVisitorMail")
    assert mail["Action"] == ["ses:SendEmail"]
    assert as_list(mail["Resource"]) == [
        "arn:aws:ses:eu-west-1:123456789012:identity/hi@repair.example",
        "arn:aws:ses:eu-west-1:123456789012:identity/repair.example",
    ]
    assert mail["Condition"] == {"StringEquals": {"ses:FromAddress": "hi@repair.example"}}
    assert policies.wildcard_problems(policy) == []
    sids = {s["Sid"] for s in policies.policy_for("repairapp", DEV)["Statement"]}
    assert "SendVisitorMail" not in sids
    assert "SendVisitorMail" not in {
        s["Sid"] for s in policies.policy_for("smartre", with_mail)["Statement"]
    }
