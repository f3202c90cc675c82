"""The request log records every change asked of AWS, and never a secret or a payload."""

from __future__ import annotations

from pathlib import Path

import boto3
from moto import mock_aws

from infra import request_log


def test_changes_are_logged_reads_are_not_and_secrets_are_fingerprinted(tmp_path: Path) -> None:
    log = request_log.RequestLog(tmp_path / "requests.jsonl")
    with mock_aws():
        session = boto3.session.Session(region_name="eu-west-1")
        log.attach(session.events)
        ssm, s3 = session.client("ssm"), session.client("s3")
        ssm.put_parameter(Name="/x/secret", Value="hunter2", Type="SecureString")
        ssm.get_parameter(Name="/x/secret", WithDecryption=True)
        s3.create_bucket(
            Bucket="b-1", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        s3.put_object(Bucket="b-1", Key="k", Body=b"photo bytes")

    entries = request_log.read(log.path)

    assert [e["operation"] for e in entries] == ["PutParameter", "CreateBucket", "PutObject"]
    assert entries[0]["params"]["Value"] == request_log.fingerprint("hunter2")
    assert entries[2]["params"]["Body"] == {"bytes": 11}
    assert "hunter2" not in log.path.read_text()
    assert log.path.stat().st_mode & 0o077 == 0


def test_origin_header_values_are_fingerprinted() -> None:
    header = {"HeaderName": "X-Origin-Verify", "HeaderValue": "s3cr3t"}
    params = {"Origins": {"Items": [{"CustomHeaders": {"Items": [header]}}]}}

    redacted = request_log.redact("CreateDistribution", params)

    header = redacted["Origins"]["Items"][0]["CustomHeaders"]["Items"][0]
    assert header == {
        "HeaderName": "X-Origin-Verify",
        "HeaderValue": request_log.fingerprint("s3cr3t"),
    }
