"""localaws.sigv4: only requests signed with the stack's credentials reach moto.

The requests are real ones: boto3 clients build and sign them, and a ``before-send`` hook
captures each on its way to the network and turns it into the WSGI environ the emulator's
server would see. The filter then recomputes the signature with botocore's signers.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest
from botocore import UNSIGNED
from botocore.awsrequest import AWSPreparedRequest
from botocore.config import Config

from localaws import sigv4
from localaws.credentials import StackCredentials
from localaws.defaults import FAKE_CREDENTIALS

STACK = StackCredentials.generate()
ENDPOINT = "http://127.0.0.1:4566"
POOL = "eu-west-1_AbCdEf123"


class _Captured(Exception):
    def __init__(self, request: AWSPreparedRequest) -> None:
        super().__init__("captured")
        self.request = request


def _client(service: str, credentials: dict[str, Any] | None = None, **config: Any) -> Any:
    keys = STACK.client_kwargs() if credentials is None else credentials
    client = boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name="eu-west-1",
        config=Config(retries={"max_attempts": 1}, **config),
        **keys,
    )

    def capture(request: AWSPreparedRequest, **_: Any) -> None:
        raise _Captured(request)

    client.meta.events.register("before-send", capture)
    return client


def _environ(request: AWSPreparedRequest) -> dict[str, Any]:
    url = urlsplit(request.url)
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = body.read()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": url.path,  # (undecoded: these tests do not depend on the decoding)
        "QUERY_STRING": url.query,
        "RAW_URI": url.path + (f"?{url.query}" if url.query else ""),
        "HTTP_HOST": url.netloc,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
    }
    for name, value in request.headers.items():
        value = value.decode() if isinstance(value, bytes) else str(value)
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ["HTTP_" + key] = value
    return environ


def _signed(service: str, call: Any, credentials: dict[str, Any] | None = None, **config: Any):
    with pytest.raises(_Captured) as captured:
        call(_client(service, credentials, **config))
    return _environ(captured.value.request)


def _refusal(environ: dict[str, Any], **kwargs: Any) -> tuple[int, str]:
    refused = sigv4.check(environ, STACK, **kwargs)
    assert refused is not None, "the request was let through"
    status, _, body = refused
    text = body.decode()
    if text.startswith("{"):
        return status, json.loads(text)["__type"]
    return status, text.split("<Code>")[1].split("</Code>")[0]


def _scan(client: Any) -> None:
    client.scan(TableName="repairapp-local-repairs")


def _get_object(client: Any) -> None:
    client.get_object(Bucket="repairapp-local-photos", Key="uploads/img_1/photo")


def _caller(client: Any) -> None:
    client.get_caller_identity()


def _add_to_group(client: Any) -> None:
    client.admin_add_user_to_group(UserPoolId=POOL, Username="mallory", GroupName="coordinators")


TESTING = {
    "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
    "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    "aws_session_token": FAKE_CREDENTIALS["AWS_SESSION_TOKEN"],
}
WRONG_SECRET = {**STACK.client_kwargs(), "aws_secret_access_key": "not-the-stacks-secret"}


@pytest.mark.parametrize(
    ("service", "call"),
    [("dynamodb", _scan), ("s3", _get_object), ("sts", _caller), ("cognito-idp", _add_to_group),
     ("lambda", lambda c: c.list_functions()), ("ssm", lambda c: c.get_parameter(Name="/x"))],
)  # fmt: skip
def test_a_request_signed_with_the_stacks_credentials_passes(service: str, call: Any) -> None:
    environ = _signed(service, call)
    length = int(environ["CONTENT_LENGTH"])

    assert sigv4.check(environ, STACK) is None
    assert len(environ["wsgi.input"].read(length)) == length  # the body is still there for moto


def test_an_s3_key_with_spaces_and_accents_and_a_query_passes() -> None:
    def put(client: Any) -> None:
        client.put_object(Bucket="site", Key="a b/é+ü?.txt", Body=b"hello", Tagging="k=v w")

    assert sigv4.check(_signed("s3", put), STACK) is None


@pytest.mark.parametrize(
    ("service", "call", "expected"),
    [
        ("dynamodb", _scan, (403, "UnrecognizedClientException")),
        ("s3", _get_object, (403, "InvalidAccessKeyId")),
        ("sts", _caller, (403, "InvalidClientTokenId")),
        ("cognito-idp", _add_to_group, (403, "UnrecognizedClientException")),
    ],
)
def test_the_committed_testing_credentials_are_refused(
    service: str, call: Any, expected: tuple[int, str]
) -> None:
    assert _refusal(_signed(service, call, TESTING)) == expected


@pytest.mark.parametrize(
    ("service", "call", "expected"),
    [
        ("dynamodb", _scan, (403, "InvalidSignatureException")),
        ("s3", _get_object, (403, "SignatureDoesNotMatch")),
        ("sts", _caller, (403, "SignatureDoesNotMatch")),
        ("cognito-idp", _add_to_group, (403, "InvalidSignatureException")),
    ],
)
def test_the_stacks_key_id_with_another_secret_is_refused(
    service: str, call: Any, expected: tuple[int, str]
) -> None:
    assert _refusal(_signed(service, call, WRONG_SECRET)) == expected


def test_another_session_token_is_refused() -> None:
    other = {**STACK.client_kwargs(), "aws_session_token": "testing"}
    assert _refusal(_signed("dynamodb", _scan, other)) == (403, "UnrecognizedClientException")


@pytest.mark.parametrize(
    ("service", "call", "expected"),
    [
        ("dynamodb", _scan, (403, "MissingAuthenticationTokenException")),
        ("s3", _get_object, (403, "AccessDenied")),
        ("sts", _caller, (403, "MissingAuthenticationToken")),
        ("cognito-idp", _add_to_group, (403, "MissingAuthenticationTokenException")),
    ],
)
def test_an_unsigned_request_is_refused(service: str, call: Any, expected: tuple[int, str]) -> None:
    environ = _signed(service, call, signature_version=UNSIGNED)
    assert "HTTP_AUTHORIZATION" not in environ
    assert _refusal(environ) == expected


def test_a_body_changed_after_signing_is_refused() -> None:
    environ = _signed("dynamodb", _scan)
    body = environ["wsgi.input"].read().replace(b"repairs", b"staff__")
    environ["wsgi.input"] = io.BytesIO(body)

    assert _refusal(environ) == (403, "InvalidSignatureException")


def test_an_s3_body_that_is_not_the_signed_sha256_is_refused() -> None:
    environ = _signed("s3", lambda c: c.put_object(Bucket="site", Key="index.html", Body=b"<p>"))
    environ["wsgi.input"] = io.BytesIO(b"<h1>")  # same length, other content

    assert _refusal(environ) == (400, "XAmzContentSHA256Mismatch")


def test_a_request_older_than_fifteen_minutes_is_refused() -> None:
    environ = _signed("dynamodb", _scan)
    later = datetime.now(UTC) + timedelta(minutes=16)

    assert sigv4.check(environ, STACK, now=datetime.now(UTC) + timedelta(minutes=14)) is None
    assert _refusal(environ, now=later) == (403, "InvalidSignatureException")
    assert _refusal(_signed("s3", _get_object), now=later) == (403, "RequestTimeTooSkewed")


def _presigned(credentials: dict[str, Any] | None = None, expires: int = 60) -> dict[str, Any]:
    s3 = boto3.client(
        "s3",
        endpoint_url=ENDPOINT,
        region_name="eu-west-1",
        config=Config(signature_version="s3v4"),
        **(STACK.client_kwargs() if credentials is None else credentials),
    )
    url = s3.generate_presigned_url(
        "get_object",
        Params={"Bucket": "repairapp-local-photos", "Key": "uploads/img 1/photo"},
        ExpiresIn=expires,
    )
    parts = urlsplit(url)
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "RAW_URI": f"{parts.path}?{parts.query}",
        "HTTP_HOST": parts.netloc,
        "wsgi.input": io.BytesIO(b""),
    }


def test_a_presigned_url_works_until_it_expires() -> None:
    environ = _presigned(expires=60)

    assert sigv4.check(environ, STACK) is None
    assert sigv4.check(environ, STACK, now=datetime.now(UTC) + timedelta(seconds=50)) is None
    assert _refusal(environ, now=datetime.now(UTC) + timedelta(seconds=70)) == (
        403,
        "AccessDenied",
    )


def test_a_presigned_url_with_another_key_or_secret_or_a_changed_path_is_refused() -> None:
    assert _refusal(_presigned(TESTING)) == (403, "InvalidAccessKeyId")
    assert _refusal(_presigned(WRONG_SECRET)) == (403, "SignatureDoesNotMatch")
    environ = _presigned()
    environ["RAW_URI"] = environ["RAW_URI"].replace("photo?", "other?")
    assert _refusal(environ) == (403, "SignatureDoesNotMatch")


def test_a_presigned_url_cannot_outlive_seven_days() -> None:
    environ = _presigned(expires=60)
    environ["QUERY_STRING"] = environ["QUERY_STRING"].replace(
        "X-Amz-Expires=60", "X-Amz-Expires=9999999"
    )
    environ["RAW_URI"] = environ["RAW_URI"].replace("X-Amz-Expires=60", "X-Amz-Expires=9999999")

    assert _refusal(environ)[0] == 403


def test_signature_version_2_is_refused_with_a_clear_message() -> None:
    environ = _signed("s3", _get_object, signature_version="s3")
    refused = sigv4.check(environ, STACK)

    assert refused is not None
    assert refused[0] == 403
    assert b"SigV4" in refused[2]


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.initiate_auth(
            ClientId="abc", AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": "a", "PASSWORD": "b"},
        ),
        lambda c: c.get_user(AccessToken="x"),
        lambda c: c.revoke_token(Token="x", ClientId="abc"),
    ],
)  # fmt: skip
def test_cognitos_unauthenticated_operations_stay_open_as_on_aws(call: Any) -> None:
    environ = _signed("cognito-idp", call)  # botocore sends these unsigned itself

    assert "HTTP_AUTHORIZATION" not in environ
    assert sigv4.check(environ, STACK) is None


def test_a_pools_key_set_stays_open_but_an_object_named_like_it_does_not() -> None:
    def get(path: str, method: str = "GET") -> dict[str, Any]:
        return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
                "HTTP_HOST": "127.0.0.1:4566", "wsgi.input": io.BytesIO(b"")}  # fmt: skip

    assert sigv4.check(get(f"/{POOL}/.well-known/jwks.json"), STACK) is None
    assert sigv4.check(get(f"/{POOL}/.well-known/openid-configuration"), STACK) is None
    assert _refusal(get("/repairapp-local-site/.well-known/jwks.json")) == (403, "AccessDenied")
    assert _refusal(get("/moto-api/data.json")) == (403, "AccessDenied")
    assert _refusal(get("/moto-api/reset", "POST")) == (403, "AccessDenied")
    assert sigv4.check(get("/repairapp-local-photos", "OPTIONS"), STACK) is None  # CORS preflight


def test_a_browser_form_upload_goes_on_to_its_post_policy_check() -> None:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/repairapp-local-photos",
               "QUERY_STRING": "", "CONTENT_TYPE": "multipart/form-data; boundary=x",
               "CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(b"")}  # fmt: skip

    assert sigv4.check(environ, STACK) is None


def test_signed_headers_sign_a_plain_http_request() -> None:
    url = "http://127.0.0.1:4566/_localaws/ses/messages?to=a%40example.be"
    headers = signed_headers_environ(url, sigv4.signed_headers("GET", url, STACK))

    assert sigv4.check(headers, STACK) is None
    other = "to=b%40example.be"  # the signature covers the query: another recipient's mail
    changed = headers | {"QUERY_STRING": other, "RAW_URI": f"/_localaws/ses/messages?{other}"}
    assert _refusal(changed)[0] == 403


def signed_headers_environ(url: str, headers: dict[str, str]) -> dict[str, Any]:
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "RAW_URI": f"{parts.path}?{parts.query}",
        "HTTP_HOST": parts.netloc,
        "wsgi.input": io.BytesIO(b""),
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def test_the_credentials_never_show_their_secret_in_a_repr() -> None:
    assert STACK.secret_access_key not in repr(STACK)
    assert STACK.session_token not in repr(STACK)
