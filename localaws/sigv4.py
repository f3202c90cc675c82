"""A front filter that authenticates every AWS request the way AWS does: SigV4 with a known key.

moto behaviour covered: moto's server checks no signature and no access key, so anyone who can
reach the emulator's port could ``Scan`` a table, ``GetObject`` a photo or
``AdminAddUserToGroup`` themselves into the coordinators. With this filter in front, a request
reaches moto only if it is

- signed with SigV4 by the stack's credentials (``localaws.credentials``): in the
  ``Authorization`` header, or as a presigned URL (``X-Amz-Signature`` in the query, unexpired);
  the signature is recomputed with botocore's own signers (``SigV4Auth``/``S3SigV4Auth`` and
  their query variants) over the request as it arrived, compared with ``hmac.compare_digest``;
  ``X-Amz-Date`` within 15 minutes of now; the session token the stack's; for S3 a hex
  ``x-amz-content-sha256`` must be the body's; or
- one AWS serves unsigned too: the Cognito user-pool operations botocore's model marks
  ``noAuth`` (``InitiateAuth``, ``RespondToAuthChallenge``, ``GetUser``, ``RevokeToken`` ...),
  a pool's ``/.well-known/jwks.json`` and ``openid-configuration``, a CORS preflight
  (``OPTIONS``), and a browser form upload (S3 POST Object), whose POST policy and its
  signature ``localaws.s3_post_policy`` checks right after this filter.

Refusals are in the wire format of the service asked: S3's ``<Error>`` XML, the query
protocols' ``<ErrorResponse>`` XML, JSON with ``__type`` (and ``x-amzn-ErrorType``) otherwise;
403 ``InvalidAccessKeyId``/``InvalidClientTokenId`` (unknown key or token),
``SignatureDoesNotMatch``/``InvalidSignatureException``, ``AccessDenied``/
``MissingAuthenticationToken`` (unsigned, expired), ``RequestTimeTooSkewed``.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from botocore.auth import S3SigV4Auth, S3SigV4QueryAuth, SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from localaws import s3_post_policy
from localaws.credentials import StackCredentials

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = timedelta(minutes=15)
MAX_PRESIGNED_EXPIRY = 7 * 24 * 3600  # seconds, as S3
# Services whose noAuth operations (as botocore's model marks them) stay open, as on AWS.
_UNSIGNED_SERVICES = ("cognito-idp",)
# /<pool id>/.well-known/...: a pool id has an underscore, which no S3 bucket name has.
_WELL_KNOWN = re.compile(
    r"^/[a-z]{2}(-[a-z]+)+-\d_[0-9A-Za-z]+/\.well-known/(jwks\.json|openid-configuration)$"
)
_AUTHORIZATION = re.compile(
    r"^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,"
    r"\s*Signature=([0-9a-f]{64})\s*$"
)
_HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_UNSIGNED_PAYLOADS = {"UNSIGNED-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"}

Refusal = tuple[int, list[tuple[str, str]], bytes]


class _Refused(Exception):
    def __init__(self, kind: str, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.kind, self.message, self.status = kind, message, status


@dataclass(frozen=True)
class _Signed:
    access_key_id: str
    date: str  # yyyymmdd of the credential scope
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    timestamp: str  # X-Amz-Date
    presigned_expires: int | None  # seconds, presigned URLs only


def check(
    environ: dict[str, Any],
    credentials: StackCredentials,
    now: datetime | None = None,
    *,
    plain_json: bool = False,
) -> Refusal | None:
    """``None`` to let the request through (its body left re-readable), or AWS's refusal
    (``plain_json``: as ``{"Code", "Message"}``, for localaws's own endpoints)."""
    try:
        signed = _signature_of(environ)
        if signed is None:
            if _open_on_aws(environ):
                return None
            raise _Refused("missing", "Request is missing Authentication Token")
        _verify(environ, signed, credentials, now or datetime.now(UTC))
    except _Refused as refused:
        if plain_json:
            code = _CODES[refused.kind][1]
            body = json.dumps({"Code": code, "Message": refused.message}).encode()
            return refused.status, [("Content-Type", "application/json")], body
        return _refusal(environ, refused)
    return None


def _signature_of(environ: Mapping[str, Any]) -> _Signed | None:
    authorization = str(environ.get("HTTP_AUTHORIZATION", ""))
    query = dict(parse_qsl(str(environ.get("QUERY_STRING", "")), keep_blank_values=True))
    if authorization.startswith("AWS ") or "AWSAccessKeyId" in query:
        raise _Refused(
            "malformed",
            "Signature Version 2 is not accepted: sign with SigV4 "
            "(botocore: Config(signature_version='s3v4'))",
        )
    if authorization:
        match = _AUTHORIZATION.match(authorization)
        if match is None:
            raise _Refused(
                "malformed",
                "Authorization must be AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…",
            )
        credential, headers, signature = match.groups()
        timestamp = str(environ.get("HTTP_X_AMZ_DATE", ""))
        expires = None
    elif "X-Amz-Signature" in query:
        if query.get("X-Amz-Algorithm") != ALGORITHM:
            raise _Refused("malformed", f"X-Amz-Algorithm must be {ALGORITHM}")
        credential = query.get("X-Amz-Credential", "")
        headers = query.get("X-Amz-SignedHeaders", "")
        signature = query["X-Amz-Signature"]
        timestamp = query.get("X-Amz-Date", "")
        try:
            expires = int(query.get("X-Amz-Expires", ""))
        except ValueError:
            raise _Refused("malformed", "X-Amz-Expires must be a number of seconds") from None
    else:
        return None
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not all(parts):
        raise _Refused("malformed", "the credential must be KEY/DATE/REGION/SERVICE/aws4_request")
    return _Signed(
        access_key_id=parts[0],
        date=parts[1],
        region=parts[2],
        service=parts[3],
        signed_headers=tuple(headers.split(";")),
        signature=signature,
        timestamp=timestamp,
        presigned_expires=expires,
    )


def _open_on_aws(environ: Mapping[str, Any]) -> bool:
    method = str(environ.get("REQUEST_METHOD", "GET")).upper()
    if method == "OPTIONS":
        return True  # a CORS preflight carries no credentials on AWS either
    if method == "GET" and _WELL_KNOWN.match(str(environ.get("PATH_INFO", ""))):
        return True
    if s3_post_policy.is_form_upload(environ):
        return True  # authenticated by its signed POST policy, checked next
    target = environ.get("HTTP_X_AMZ_TARGET")
    return method == "POST" and target in _unsigned_targets()


@functools.cache
def _unsigned_targets() -> frozenset[str]:
    from localaws.aws_request import service_model

    targets = set()
    for name in _UNSIGNED_SERVICES:
        model = service_model(name)
        prefix = model.metadata["targetPrefix"]
        for operation in model.operation_names:
            if model.operation_model(operation).auth_type == "none":
                targets.add(f"{prefix}.{operation}")
    return frozenset(targets)


def _verify(
    environ: dict[str, Any], signed: _Signed, credentials: StackCredentials, now: datetime
) -> None:
    s3 = signed.service == "s3"
    if not hmac.compare_digest(signed.access_key_id, credentials.access_key_id):
        raise _Refused("key", "The AWS Access Key Id you provided does not exist in our records.")
    moment = _timestamp(signed, now)
    if signed.presigned_expires is None:
        token = str(environ.get("HTTP_X_AMZ_SECURITY_TOKEN", ""))
    else:
        token = dict(parse_qsl(str(environ.get("QUERY_STRING", "")))).get(
            "X-Amz-Security-Token", ""
        )
    if credentials.session_token and not hmac.compare_digest(token, credentials.session_token):
        raise _Refused("token", "The security token included in the request is invalid.")
    if signed.presigned_expires is not None:
        if not 1 <= signed.presigned_expires <= MAX_PRESIGNED_EXPIRY:
            raise _Refused("malformed", "X-Amz-Expires must be between 1 and 604800 seconds")
        if now > moment + timedelta(seconds=signed.presigned_expires):
            raise _Refused("expired", "Request has expired")
    body = _body(environ)
    expected = _expected_signature(environ, signed, credentials, body)
    if not hmac.compare_digest(expected, signed.signature):
        raise _Refused(
            "signature",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        )
    content_sha256 = str(environ.get("HTTP_X_AMZ_CONTENT_SHA256", ""))
    if s3 and _HEX_SHA256.match(content_sha256):
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), content_sha256):
            raise _Refused(
                "content",
                "The provided 'x-amz-content-sha256' header does not match what was computed.",
                status=400,
            )
    elif s3 and signed.presigned_expires is None and content_sha256 not in _UNSIGNED_PAYLOADS:
        raise _Refused(
            "bad-request",
            "x-amz-content-sha256 must be the body's SHA-256, UNSIGNED-PAYLOAD or "
            "STREAMING-UNSIGNED-PAYLOAD-TRAILER (localaws verifies no chunk signatures)",
            status=400,
        )


def _timestamp(signed: _Signed, now: datetime) -> datetime:
    try:
        moment = datetime.strptime(signed.timestamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise _Refused(
            "malformed",
            "X-Amz-Date must be an ISO 8601 basic timestamp (yyyymmddThhmmssZ)",
        ) from None
    if signed.date != signed.timestamp[:8]:
        raise _Refused("signature", "the credential's date is not X-Amz-Date's day")
    future = moment - now > MAX_SKEW
    if future or (signed.presigned_expires is None and now - moment > MAX_SKEW):
        raise _Refused(
            "skew",
            "The difference between the request time and the current time is too large.",
        )
    return moment


def _body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise _Refused("bad-request", "Content-Length is not a number", status=400) from None
    if length > 0:
        body = bytes(environ["wsgi.input"].read(length))
    elif environ.get("wsgi.input_terminated"):
        body = bytes(environ["wsgi.input"].read())
    else:
        return b""
    environ["wsgi.input"] = io.BytesIO(body)
    if length <= 0:
        environ["CONTENT_LENGTH"] = str(len(body))
    return body


def _expected_signature(
    environ: Mapping[str, Any], signed: _Signed, credentials: StackCredentials, body: bytes
) -> str:
    raw = str(environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/"))
    path, _, raw_query = raw.partition("?")
    if not path.startswith("/"):  # an absolute request target (a proxy's form)
        path = "/" + path.split("://", 1)[-1].partition("/")[2]
    query = raw_query or str(environ.get("QUERY_STRING", ""))
    if signed.presigned_expires is not None:
        query = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Signature="))
    headers = {}
    for name in signed.signed_headers:
        value = _header(environ, name)
        if value is None:
            raise _Refused(
                "signature",
                f"the signed header {name} is not in the request",
            )
        headers[name] = value
    host = headers.get("host") or str(environ.get("HTTP_HOST", "localhost"))
    request = AWSRequest(
        method=str(environ.get("REQUEST_METHOD", "GET")).upper(),
        url=f"http://{host}{path}" + (f"?{query}" if query else ""),
        headers=headers,
        data=body,
    )
    request.context["timestamp"] = signed.timestamp
    key = Credentials(credentials.access_key_id, credentials.secret_access_key)
    auth: SigV4Auth
    if signed.presigned_expires is not None:
        query_auth = S3SigV4QueryAuth if signed.service == "s3" else SigV4QueryAuth
        auth = query_auth(key, signed.service, signed.region, expires=signed.presigned_expires)
    else:
        header_auth = S3SigV4Auth if signed.service == "s3" else SigV4Auth
        auth = header_auth(key, signed.service, signed.region)
    canonical = auth.canonical_request(request)
    return str(auth.signature(auth.string_to_sign(request, canonical), request))


def _header(environ: Mapping[str, Any], name: str) -> str | None:
    if name in ("content-type", "content-length"):
        value = environ.get(name.upper().replace("-", "_"))
    else:
        value = environ.get("HTTP_" + name.upper().replace("-", "_"))
    return None if value is None else str(value)


def _is_query(environ: Mapping[str, Any]) -> bool:
    content_type = str(environ.get("CONTENT_TYPE", ""))
    return "Action=" in str(environ.get("QUERY_STRING", "")) or content_type.startswith(
        "application/x-www-form-urlencoded"
    )


# What each refusal is called in each wire format: (S3, query protocols, JSON protocols).
_CODES: dict[str, tuple[str, str, str]] = {
    "missing": (
        "AccessDenied",
        "MissingAuthenticationToken",
        "MissingAuthenticationTokenException",
    ),
    "malformed": (
        "AuthorizationHeaderMalformed",
        "IncompleteSignature",
        "IncompleteSignatureException",
    ),
    "key": ("InvalidAccessKeyId", "InvalidClientTokenId", "UnrecognizedClientException"),
    "token": ("InvalidToken", "InvalidClientTokenId", "UnrecognizedClientException"),
    "signature": ("SignatureDoesNotMatch", "SignatureDoesNotMatch", "InvalidSignatureException"),
    "expired": ("AccessDenied", "AccessDenied", "AccessDeniedException"),
    "skew": ("RequestTimeTooSkewed", "RequestExpired", "InvalidSignatureException"),
    "content": ("XAmzContentSHA256Mismatch", "InvalidRequest", "InvalidRequestException"),
    "bad-request": ("InvalidRequest", "InvalidRequest", "InvalidRequestException"),
}
# REST-XML services other than S3 answer errors as the query protocols do.
_ERROR_RESPONSE_SERVICES = frozenset({"cloudfront", "route53"})
_SCOPE = re.compile(r"Credential=[^/\s,&]+(?:/|%2F)\d{8}(?:/|%2F)[^/\s,&%]+(?:/|%2F)([^/\s,&%]+)")


def _refusal(environ: Mapping[str, Any], refused: _Refused) -> Refusal:
    service = _service(environ)
    s3_codes, query_codes, json_codes = _CODES[refused.kind]
    message = escape(refused.message)
    if environ.get("HTTP_X_AMZ_TARGET") or (
        service not in (None, "s3") and not _is_query(environ)
        and service not in _ERROR_RESPONSE_SERVICES
    ):  # fmt: skip
        code = json_codes
        body = json.dumps({"__type": code, "message": refused.message}).encode()
        content_type = "application/x-amz-json-1.1"
    elif _is_query(environ) or service in _ERROR_RESPONSE_SERVICES:
        code = query_codes
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type>'
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            "<RequestId>localaws</RequestId></ErrorResponse>"
        ).encode()
        content_type = "text/xml"
    else:  # S3, and what names no service (an unsigned GET reads like S3)
        code = s3_codes
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
        ).encode()
        content_type = "application/xml"
    headers = [
        ("Content-Type", content_type),
        ("x-amzn-ErrorType", code),
        ("Content-Length", str(len(body))),
    ]
    return refused.status, headers, body


def _service(environ: Mapping[str, Any]) -> str | None:
    """The signing name the request's credential names, read without touching its body."""
    found = _SCOPE.search(
        f"{environ.get('HTTP_AUTHORIZATION', '')} {environ.get('QUERY_STRING', '')}".replace(
            "X-Amz-Credential=", "Credential="
        )
    )
    return found.group(1) if found else None


def signed_headers(
    method: str,
    url: str,
    credentials: StackCredentials,
    body: bytes = b"",
    *,
    service: str = "localaws",
    region: str = "eu-west-1",
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers that sign a request with the stack's credentials (for the `/_localaws/`
    endpoints, and any HTTP client that is not an AWS SDK)."""
    request = AWSRequest(method=method, url=url, data=body, headers=dict(headers or {}))
    key = Credentials(
        credentials.access_key_id, credentials.secret_access_key, credentials.session_token
    )
    SigV4Auth(key, service, region).add_auth(request)
    return {name: str(value) for name, value in request.headers.items()}
