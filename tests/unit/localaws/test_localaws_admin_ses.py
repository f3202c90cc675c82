"""GET /_localaws/ses/messages: the mail moto's SES recorded, for tests to read."""

from __future__ import annotations

import io
import json
from typing import Any

import boto3
from moto import mock_aws

from localaws.admin_api import AdminApi


def _get(path: str, query: str = "") -> tuple[str, Any]:
    admin = AdminApi(faults=None, runtime=None, facts={})  # type: ignore[arg-type]
    answer: dict[str, str] = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"] = status

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
               "wsgi.input": io.BytesIO(b"")}  # fmt: skip
    body = b"".join(admin(environ, start_response))
    return answer["status"], json.loads(body)


def test_the_mail_ses_accepted_is_listed_by_recipient() -> None:
    with mock_aws():
        ses = boto3.client("ses", region_name="eu-west-1")
        ses.verify_email_identity(EmailAddress="noreply@repairapp.local")
        for to in ("a@example.be", "b@example.be"):
            ses.send_email(
                Source="noreply@repairapp.local",
                Destination={"ToAddresses": [to]},
                Message={"Subject": {"Data": f"to {to}"}, "Body": {"Text": {"Data": "hello"}}},
            )

        status, everything = _get("/_localaws/ses/messages")
        _, one = _get("/_localaws/ses/messages", "to=b%40example.be")

    assert status.startswith("200")
    assert [m["subject"] for m in everything["messages"]] == ["to a@example.be", "to b@example.be"]
    assert one["messages"] == [
        {
            "id": one["messages"][0]["id"],
            "source": "noreply@repairapp.local",
            "to": ["b@example.be"],
            "subject": "to b@example.be",
            "body": "hello",
        }
    ]
