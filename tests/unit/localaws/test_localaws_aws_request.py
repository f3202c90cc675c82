"""Requests are recognised as AWS routes them: signing name, then the protocol's operation."""

from __future__ import annotations

import io
from typing import Any

import pytest

from localaws import aws_request


def environ(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "QUERY_STRING": "",
        "wsgi.input": io.BytesIO(b""),
    }
    return {**base, **overrides}


def signed(service: str) -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=testing/20260101/eu-west-1/{service}/aws4_request, "
        "SignedHeaders=host, Signature=0"
    )


def test_signing_name_and_region_come_from_the_credential_scope() -> None:
    described = aws_request.describe(environ(HTTP_AUTHORIZATION=signed("states")))
    assert (described.signing_name, described.region) == ("states", "eu-west-1")


def test_presigned_urls_are_recognised_by_their_query_credential() -> None:
    query = "X-Amz-Credential=testing%2F20260101%2Feu-west-1%2Fs3%2Faws4_request&X-Amz-Signature=0"
    described = aws_request.describe(environ(QUERY_STRING=query, PATH_INFO="/b/k"))
    assert described.signing_name == "s3"
    assert aws_request.operation_of(described, "s3") == "GetObject"


def test_query_protocol_action_is_read_from_the_body_and_the_body_stays_readable() -> None:
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    env = environ(
        REQUEST_METHOD="POST",
        CONTENT_TYPE="application/x-www-form-urlencoded; charset=utf-8",
        CONTENT_LENGTH=str(len(body)),
        HTTP_AUTHORIZATION=signed("sts"),
        **{"wsgi.input": io.BytesIO(body)},
    )
    described = aws_request.describe(env)
    assert aws_request.operation_of(described, "sts") == "GetCallerIdentity"
    assert env["wsgi.input"].read() == body


@pytest.mark.parametrize(
    ("method", "path", "query", "headers", "operation"),
    [
        ("PUT", "/b/k", {}, set(), "PutObject"),
        ("PUT", "/b/k", {}, {"x-amz-copy-source"}, "CopyObject"),
        ("GET", "/b/photos/2026/a.jpg", {}, set(), "GetObject"),
        ("HEAD", "/b/k", {}, set(), "HeadObject"),
        ("GET", "/b", {"list-type": ["2"]}, set(), "ListObjectsV2"),
        ("POST", "/b", {"delete": [""]}, set(), "DeleteObjects"),
        ("PUT", "/b", {}, set(), "CreateBucket"),
        ("PUT", "/b", {"cors": [""]}, set(), "PutBucketCors"),
    ],
)
def test_s3_operations_are_resolved_from_method_path_query_and_headers(
    method: str, path: str, query: dict[str, list[str]], headers: set[str], operation: str
) -> None:
    request = aws_request.AwsRequest(
        "s3", "eu-west-1", method, path, query, None, None, frozenset(headers)
    )
    assert aws_request.operation_of(request, "s3") == operation


def test_lambda_invoke_is_resolved_from_its_path() -> None:
    request = aws_request.AwsRequest(
        "lambda", "eu-west-1", "POST", "/2015-03-31/functions/fn/invocations", {}, None, None
    )
    assert aws_request.operation_of(request, "lambda") == "Invoke"
