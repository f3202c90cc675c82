"""A front filter that checks browser uploads (S3 POST Object) the way S3 does.

moto behaviour covered: moto's S3 stores whatever a multipart ``POST /<bucket>`` form carries.
It checks no signature, no expiry and no condition of the POST policy (another key, another
content type, 10 MiB + 20 bytes all answer 204), and it accepts a form without any policy, so
the same fields could write an HTML page into the *site* bucket, which the CloudFront emulator
then serves. With this filter in front, a form upload is stored only if, as on S3:

- it carries a ``policy`` signed with SigV4 (``x-amz-signature`` over the base64 policy, with the
  secret of the access key in ``x-amz-credential``; ``credentials`` maps the keys the emulator
  knows, its stack's own, to their secrets);
- the policy has not expired;
- the policy names this bucket, and every condition holds: exact matches (``{"key": ...}``,
  ``["eq", "$field", ...]``), ``starts-with`` and ``content-length-range`` against the file's
  real size;
- every form field (except ``policy``, ``x-amz-signature``, ``file`` and ``x-ignore-*``) is
  named by a condition.

Refusals are S3's XML errors: 403 ``AccessDenied`` (policy), 403 ``SignatureDoesNotMatch``,
400 ``EntityTooLarge``/``EntityTooSmall``, 400 ``InvalidArgument`` (malformed form). Other
requests pass through untouched.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

from werkzeug.formparser import parse_form_data

# S3 refuses POST bodies over 5 GB; the emulator buffers the body, so it stops far earlier.
MAX_BODY_BYTES = 64 * 1024 * 1024
_UNSIGNED_FIELDS = {"policy", "x-amz-signature", "file"}

Refusal = tuple[int, list[tuple[str, str]], bytes]


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def is_form_upload(environ: Mapping[str, Any]) -> bool:
    """``POST /<bucket>`` (or ``POST /`` to ``<bucket>.<host>``) with a multipart form body and
    no sub-resource: S3's POST Object."""
    if environ.get("REQUEST_METHOD", "").upper() != "POST" or environ.get("QUERY_STRING"):
        return False
    if not str(environ.get("CONTENT_TYPE", "")).lower().startswith("multipart/form-data"):
        return False
    segments = [s for s in str(environ.get("PATH_INFO", "")).split("/") if s]
    return len(segments) <= 1


def _bucket(environ: Mapping[str, Any]) -> str:
    segments = [s for s in str(environ.get("PATH_INFO", "")).split("/") if s]
    if segments:
        return segments[0]
    # Virtual-host style: the bucket is the host's first label (never an IP address's).
    host = str(environ.get("HTTP_HOST", "")).rsplit(":", 1)[0]
    label, _, rest = host.partition(".")
    if not rest or host.replace(".", "").isdigit():
        raise _Refused(400, "InvalidRequest", "an upload must name its bucket")
    return label


def check(
    environ: dict[str, Any],
    *,
    credentials: Mapping[str, str],
    now: datetime | None = None,
) -> Refusal | None:
    """``None`` to let the request through (its body left re-readable), or S3's refusal."""
    if not is_form_upload(environ):
        return None
    try:
        bucket = _bucket(environ)
        body = _buffer(environ)
        fields, size = _form(environ, body)
        _verify(fields, size, bucket, credentials, now or datetime.now(UTC))
    except _Refused as refused:
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error>'
            f"<Code>{refused.code}</Code><Message>{escape(refused.message)}</Message>"
            "</Error>"
        ).encode()
        return refused.status, [("Content-Type", "application/xml")], xml
    return None


def _buffer(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise _Refused(400, "InvalidArgument", "Content-Length is not a number") from exc
    if length <= 0:
        raise _Refused(411, "MissingContentLength", "You must provide the Content-Length")
    if length > MAX_BODY_BYTES:
        raise _Refused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum size")
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    return bytes(body)


def _form(environ: Mapping[str, Any], body: bytes) -> tuple[dict[str, str], int]:
    copy = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
    _, form, files = parse_form_data(copy, max_form_memory_size=1024 * 1024)
    fields: dict[str, str] = {}
    for name in form:
        if name.lower() in fields:
            raise _Refused(400, "InvalidArgument", f"form field {name} appears twice")
        fields[name.lower()] = form[name]
    upload = files.get("file")
    if upload is None:
        raise _Refused(400, "InvalidArgument", "POST requires exactly one file upload per request")
    size = len(upload.stream.read())
    return fields, size


def _verify(
    fields: Mapping[str, str],
    size: int,
    bucket: str,
    credentials: Mapping[str, str],
    now: datetime,
) -> None:
    encoded = fields.get("policy")
    if not encoded:
        raise _Refused(403, "AccessDenied", "Access Denied: an upload needs a signed policy")
    _check_signature(encoded, fields, credentials)
    policy = _decode(encoded)
    _check_expiry(policy, now)
    _check_conditions(policy.get("conditions"), fields, size, bucket)


def _check_signature(encoded: str, fields: Mapping[str, str], known: Mapping[str, str]) -> None:
    if fields.get("x-amz-algorithm") != "AWS4-HMAC-SHA256":
        raise _Refused(400, "InvalidArgument", "only AWS4-HMAC-SHA256 POST policies are accepted")
    access_key, _, scope = fields.get("x-amz-credential", "").partition("/")
    parts = scope.split("/")
    if len(parts) != 4 or parts[2] != "s3" or parts[3] != "aws4_request":
        raise _Refused(400, "InvalidArgument", "x-amz-credential is malformed")
    secret = known.get(access_key)
    if secret is None:
        raise _Refused(403, "InvalidAccessKeyId", "The AWS Access Key Id does not exist")
    key = ("AWS4" + secret).encode()
    for part in [*parts[:3], "aws4_request"]:
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    expected = hmac.new(key, encoded.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, fields.get("x-amz-signature", "")):
        raise _Refused(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided",
        )


def _decode(encoded: str) -> dict[str, Any]:
    try:
        policy = json.loads(base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise _Refused(400, "InvalidPolicyDocument", "the policy is not base64 JSON") from exc
    if not isinstance(policy, dict) or not isinstance(policy.get("conditions"), list):
        raise _Refused(400, "InvalidPolicyDocument", "the policy has no conditions")
    return policy


def _check_expiry(policy: Mapping[str, Any], now: datetime) -> None:
    raw = policy.get("expiration")
    try:
        expires = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError as exc:
        raise _Refused(400, "InvalidPolicyDocument", "the policy has no valid expiration") from exc
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if now >= expires:
        raise _Refused(403, "AccessDenied", "Invalid according to Policy: Policy expired.")


def _check_conditions(conditions: Any, fields: Mapping[str, str], size: int, bucket: str) -> None:
    values = {**fields, "bucket": bucket}
    named: set[str] = set()
    for condition in conditions:
        if isinstance(condition, dict) and len(condition) == 1:
            [(name, expected)] = condition.items()
            _require(values, name.lower(), "eq", str(expected))
            named.add(name.lower())
        elif isinstance(condition, list) and condition and condition[0] == "content-length-range":
            _check_size(condition, size)
        elif isinstance(condition, list) and len(condition) == 3:
            op, field, expected = condition
            if op not in ("eq", "starts-with") or not str(field).startswith("$"):
                raise _Refused(400, "InvalidPolicyDocument", f"unknown condition {condition!r}")
            name = str(field)[1:].lower()
            _require(values, name, op, str(expected))
            named.add(name)
        else:
            raise _Refused(400, "InvalidPolicyDocument", f"unknown condition {condition!r}")
    if "bucket" not in named:
        raise _Refused(403, "AccessDenied", "Invalid according to Policy: no bucket is named")
    for name in fields:
        if name in _UNSIGNED_FIELDS or name.startswith("x-ignore-") or name in named:
            continue
        raise _Refused(
            403,
            "AccessDenied",
            f"Invalid according to Policy: Extra input fields: {name}",
        )


def _require(values: Mapping[str, str], name: str, op: str, expected: str) -> None:
    actual = values.get(name)
    ok = actual is not None and (actual == expected if op == "eq" else actual.startswith(expected))
    if not ok:
        raise _Refused(
            403,
            "AccessDenied",
            f'Invalid according to Policy: Policy Condition failed: ["{op}", "${name}", '
            f'"{expected}"]',
        )


def _check_size(condition: list[Any], size: int) -> None:
    try:
        _, low, high = condition
        low, high = int(low), int(high)
    except (TypeError, ValueError) as exc:
        raise _Refused(400, "InvalidPolicyDocument", "content-length-range is malformed") from exc
    if size > high:
        raise _Refused(400, "EntityTooLarge", "Your proposed upload exceeds the maximum size")
    if size < low:
        raise _Refused(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum")
