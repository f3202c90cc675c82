"""The emulator's S3 checks a browser upload's POST policy as S3 does: each refusal, one test.

The policies are real ones: botocore's ``generate_presigned_post`` with the conditions SmartRe
uses (one key, one content type, a size range, five minutes), signed with the emulator's
credentials. The form bodies are built as a browser builds them.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from urllib3 import encode_multipart_formdata

from localaws import s3_post_policy
from localaws.credentials import StackCredentials

PHOTOS = "repairapp-local-photos"
SITE = "repairapp-local-site"
KEY = "uploads/img_1/photo"
MAX_BYTES = 10 * 1024 * 1024
# The emulator knows one key: its stack's (the committed fake ones are refused like any other).
STACK = StackCredentials.generate()
KNOWN = {STACK.access_key_id: STACK.secret_access_key}


def _presigned(**overrides: Any) -> dict[str, Any]:
    s3 = boto3.client(
        "s3",
        region_name="eu-west-1",
        endpoint_url="http://127.0.0.1:4566",
        aws_access_key_id=overrides.pop("access_key", STACK.access_key_id),
        aws_secret_access_key=overrides.pop("secret", STACK.secret_access_key),
        config=Config(signature_version="s3v4"),
    )
    signed: dict[str, Any] = s3.generate_presigned_post(
        Bucket=PHOTOS,
        Key=KEY,
        Fields={"Content-Type": "image/jpeg"},
        Conditions=[{"Content-Type": "image/jpeg"}, ["content-length-range", 1, MAX_BYTES]],
        ExpiresIn=300,
    )
    return signed


def _environ(
    fields: dict[str, str],
    data: bytes,
    bucket: str = PHOTOS,
    file_type: str = "image/jpeg",
    virtual_host: bool = False,
) -> dict[str, Any]:
    parts: list[Any] = [*fields.items(), ("file", ("photo.jpg", data, file_type))]
    body, content_type = encode_multipart_formdata(parts)
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/" if virtual_host else f"/{bucket}",
        "HTTP_HOST": f"{bucket}.s3.localhost.localstack.cloud:4566" if virtual_host else "x",
        "QUERY_STRING": "",
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }


def _refusal(environ: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
    refused = s3_post_policy.check(environ, credentials=KNOWN, **kwargs)
    assert refused is not None, "the upload was let through"
    status, _, body = refused
    return status, body.decode().split("<Code>")[1].split("</Code>")[0]


def test_an_upload_within_the_policy_passes_and_the_body_stays_readable() -> None:
    signed = _presigned()
    environ = _environ(signed["fields"], b"\xff\xd8 a photo")
    length = int(environ["CONTENT_LENGTH"])

    assert s3_post_policy.check(environ, credentials=KNOWN) is None
    assert len(environ["wsgi.input"].read(length)) == length


def test_another_key_is_refused() -> None:
    fields = {**_presigned()["fields"], "key": "uploads/img_2/photo"}

    assert _refusal(_environ(fields, b"photo")) == (403, "AccessDenied")


def test_another_content_type_is_refused() -> None:
    fields = {**_presigned()["fields"], "Content-Type": "text/html"}

    assert _refusal(_environ(fields, b"<script>", file_type="text/html")) == (403, "AccessDenied")


def test_a_file_over_the_size_range_is_refused() -> None:
    signed = _presigned()

    status, code = _refusal(_environ(signed["fields"], b"x" * (MAX_BYTES + 20)))

    assert (status, code) == (400, "EntityTooLarge")


def test_an_empty_file_is_refused() -> None:
    assert _refusal(_environ(_presigned()["fields"], b"")) == (400, "EntityTooSmall")


def test_an_expired_policy_is_refused() -> None:
    signed = _presigned()
    later = datetime.now(UTC) + timedelta(minutes=6)

    assert _refusal(_environ(signed["fields"], b"photo"), now=later) == (403, "AccessDenied")


def test_a_policy_signed_with_another_secret_is_refused() -> None:
    signed = _presigned(secret="not-the-emulators-secret")

    status, code = _refusal(_environ(signed["fields"], b"photo"))

    assert (status, code) == (403, "SignatureDoesNotMatch")


def test_an_edited_policy_is_refused() -> None:
    fields = dict(_presigned()["fields"])
    fields["policy"] = fields["policy"][:-8] + "AAAAAAA="

    assert _refusal(_environ(fields, b"photo"))[0] in (400, 403)


def test_the_same_fields_cannot_write_into_another_bucket() -> None:
    # The site bucket: CloudFront would serve what lands there as a page
    signed = _presigned()

    assert _refusal(_environ(signed["fields"], b"<h1>hi</h1>", bucket=SITE)) == (
        403,
        "AccessDenied",
    )


def test_virtual_host_style_uploads_are_checked_too() -> None:
    signed = _presigned()

    assert (
        s3_post_policy.check(
            _environ(signed["fields"], b"photo", virtual_host=True), credentials=KNOWN
        )
        is None
    )
    assert _refusal(_environ(signed["fields"], b"<h1>", bucket=SITE, virtual_host=True)) == (
        403,
        "AccessDenied",
    )


def test_a_form_without_a_policy_is_refused() -> None:
    fields = {"key": "index.html", "Content-Type": "text/html"}

    assert _refusal(_environ(fields, b"<h1>hi</h1>", bucket=SITE)) == (403, "AccessDenied")


def test_a_field_no_condition_names_is_refused_but_x_ignore_fields_pass() -> None:
    signed = _presigned()

    extra = {**signed["fields"], "Cache-Control": "public"}
    ignored = {**signed["fields"], "x-ignore-note": "anything"}

    assert _refusal(_environ(extra, b"photo")) == (403, "AccessDenied")
    assert s3_post_policy.check(_environ(ignored, b"photo"), credentials=KNOWN) is None


@pytest.mark.parametrize(
    "environ",
    [
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/bucket", "QUERY_STRING": "delete"},
        {"REQUEST_METHOD": "PUT", "PATH_INFO": "/bucket", "CONTENT_TYPE": "multipart/form-data"},
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "CONTENT_TYPE": "application/json"},
        {"REQUEST_METHOD": "POST", "PATH_INFO": "/b/k", "CONTENT_TYPE": "multipart/form-data"},
    ],
    ids=["sub-resource", "put", "json-api", "object-path"],
)
def test_other_requests_pass_untouched(environ: dict[str, Any]) -> None:
    assert s3_post_policy.check(environ, credentials=KNOWN) is None
