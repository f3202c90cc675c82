"""Which AWS service and operation an incoming HTTP request is, read the way AWS itself reads it.

Fault injection needs "dynamodb PutItem" or "s3 PutObject" from raw WSGI requests. The service is
the SigV4 signing name in the credential scope (header or presigned query); the operation comes
from the protocol: `X-Amz-Target` for JSON protocols, `Action` for query protocols, and for REST
protocols the method and path matched against the botocore model's `requestUri` templates.
"""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import botocore.session
from botocore.model import ServiceModel

_SCOPE = re.compile(r"Credential=[^/\s,]+/\d{8}/([^/\s,]+)/([^/\s,]+)/aws4_request")
_QUERY_SCOPE = re.compile(r"^[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request$")


@dataclass(frozen=True)
class AwsRequest:
    signing_name: str | None
    region: str | None
    method: str
    path: str
    query: dict[str, list[str]]
    target: str | None  # X-Amz-Target, JSON protocols
    action: str | None  # Action parameter, query protocols
    headers: frozenset[str] = frozenset()  # lower-case names


def describe(environ: dict[str, Any]) -> AwsRequest:
    """Read service, region and operation hints from a WSGI environ (body left re-readable)."""
    query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    signing_name, region = _credential_scope(environ.get("HTTP_AUTHORIZATION", ""), query)
    action = _first(query, "Action")
    content_type = environ.get("CONTENT_TYPE", "")
    if action is None and content_type.startswith("application/x-www-form-urlencoded"):
        action = _first(parse_qs(_peek_body(environ)), "Action")
    return AwsRequest(
        signing_name=signing_name,
        region=region,
        method=environ.get("REQUEST_METHOD", "GET").upper(),
        path=environ.get("PATH_INFO", "/") or "/",
        query=query,
        target=environ.get("HTTP_X_AMZ_TARGET"),
        action=action,
        headers=frozenset(
            key[5:].replace("_", "-").lower() for key in environ if key.startswith("HTTP_")
        ),
    )


def _first(values: dict[str, list[str]], name: str) -> str | None:
    found = values.get(name)
    return found[0] if found else None


def _credential_scope(
    authorization: str, query: dict[str, list[str]]
) -> tuple[str | None, str | None]:
    match = _SCOPE.search(authorization)
    if match:
        return match.group(2), match.group(1)
    match = _QUERY_SCOPE.match(_first(query, "X-Amz-Credential") or "")
    if match:
        return match.group(2), match.group(1)
    return None, None


def _peek_body(environ: dict[str, Any]) -> str:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return ""
    body: bytes = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body.decode("utf-8", "replace")


@functools.cache
def service_model(service_name: str) -> ServiceModel:
    """botocore's model for a service name as boto3.client() takes it (KeyError if unknown)."""
    session = botocore.session.get_session()
    if service_name not in session.get_available_services():
        raise KeyError(service_name)
    return session.get_service_model(service_name)


@dataclass(frozen=True)
class _Route:
    operation: str
    method: str
    path: re.Pattern[str]
    query: tuple[tuple[str, str | None], ...]
    headers: tuple[str, ...]
    score: int


@functools.cache
def _routes(service_name: str) -> tuple[_Route, ...]:
    model = service_model(service_name)
    routes = []
    for name in model.operation_names:
        operation = model.operation_model(name)
        http = operation.http
        path_part, _, query_part = http.get("requestUri", "/").partition("?")
        requirements = tuple(
            (key, value or None)
            for key, _, value in (item.partition("=") for item in query_part.split("&") if item)
        )
        # Operations sharing a URI differ by a required header (CopyObject: x-amz-copy-source).
        headers = _required_headers(operation.input_shape)
        literal = re.sub(r"\{[^}]+\}", "", path_part)
        routes.append(
            _Route(
                operation=name,
                method=http.get("method", "POST").upper(),
                path=re.compile(_template_regex(path_part)),
                query=requirements,
                headers=headers,
                score=len(literal) + 1000 * (len(requirements) + len(headers)),
            )
        )
    return tuple(routes)


def _required_headers(shape: Any) -> tuple[str, ...]:
    if shape is None:
        return ()
    required = set(shape.metadata.get("required", ()))
    return tuple(
        member.serialization["name"].lower()
        for name, member in shape.members.items()
        if name in required and member.serialization.get("location") == "header"
    )


def _template_regex(template: str) -> str:
    # "/{Bucket}/{Key+}" -> ^/[^/]+/.+/?$ : {Name} is one path segment, {Name+} the rest.
    parts = []
    for token in re.split(r"(\{\w+\+?\})", template.rstrip("/") or "/"):
        if token.startswith("{"):
            parts.append(".+" if token.endswith("+}") else "[^/]+")
        elif token:
            parts.append(re.escape(token))
    return "^" + "".join(parts) + "/?$"


def operation_of(request: AwsRequest, service_name: str) -> str | None:
    """The botocore operation name this request invokes on `service_name`, if recognisable."""
    model = service_model(service_name)
    if request.target:
        prefix, _, operation = request.target.rpartition(".")
        expected = model.metadata.get("targetPrefix")
        return operation if expected in (None, prefix) else None
    if request.action:
        return request.action
    best: _Route | None = None
    for route in _routes(service_name):
        if route.method != request.method or not route.path.match(request.path):
            continue
        if not all(header in request.headers for header in route.headers):
            continue
        if not all(
            key in request.query and (value is None or value in request.query[key])
            for key, value in route.query
        ):
            continue
        if best is None or route.score > best.score:
            best = route
    return best.operation if best else None
