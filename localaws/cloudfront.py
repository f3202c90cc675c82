"""A local CloudFront distribution: the site bucket for pages, the API origin for `/api/*`.

Production serves the SPA and the API from one origin through CloudFront (DESIGN.md, decision 5):
the default behaviour reads the private site bucket after a viewer-request function rewrites SPA
deep links to `/index.html`; the `/api/*` behaviour forwards to API Gateway unchanged, with a
secret custom origin header the API checks, and no error rewriting. `make run` needs the same
shape so the browser, the router and the API client behave as they will in AWS:

- `/api/*` and `/api` (two behaviours in production: `/api/*` does not match `/api`): proxied
  to the API origin as is (method, path, query, headers, body, streamed both ways), hop-by-hop
  headers dropped, `X-Origin-Verify: <secret>` set (overwriting any viewer
  copy, as CloudFront does with custom origin headers). Origin status codes and bodies pass
  through untouched; an unreachable origin is a 502 `{"Code": "BadGateway", ...}`, a slow one
  a 504.
- everything else: `localaws.spa_rewrite.rewrite_uri`, then GetObject from the site bucket in
  the emulator's S3 (Content-Type, Cache-Control, ETag from the object; conditional requests
  answered with 304). A missing asset is a 404; only GET and HEAD are allowed, as on the
  default behaviour.

`python -m localaws.cloudfront --port 8000 --site-bucket B --api-origin URL
--origin-secret-parameter /repairapp/local/origin-verify-secret` runs it (S3 and SSM endpoint from
`AWS_ENDPOINT_URL`): the secret is read from SSM at start, never passed on the command line,
where `ps` shows it to every user. `serve_in_thread` does the same for tests. Requests with
malformed body framing (Content-Length, chunked encoding) are answered 400 at once.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import io
import json
import logging
import os
import signal
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any

from localaws.credentials import StackCredentials
from localaws.defaults import REGION
from localaws.spa_rewrite import is_api_path, rewrite_uri

LOG = logging.getLogger(__name__)
ORIGIN_VERIFY_HEADER = "X-Origin-Verify"
CHUNK_BYTES = 64 * 1024
# API Gateway's payload limit: CloudFront would pass more, the origin would refuse it anyway.
MAX_BODY_BYTES = 10 * 1024 * 1024
# A viewer that stops sending half-way is dropped after this long (CloudFront's keep-alive idle
# timeout is 5 s; a slow upload gets more).
VIEWER_TIMEOUT_S = 60.0
ORIGIN_TIMEOUT_S = 30.0  # CloudFront's default origin response timeout
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
OBJECT_HEADERS = {
    "ContentType": "Content-Type",
    "CacheControl": "Cache-Control",
    "ContentEncoding": "Content-Encoding",
    "ContentLength": "Content-Length",
    "ETag": "ETag",
}


@dataclass(frozen=True)
class Distribution:
    site_bucket: str
    api_origin: str
    origin_secret: str
    s3: Any
    origin_timeout_s: float = ORIGIN_TIMEOUT_S


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default listen backlog is 5: a burst of concurrent viewers would be reset.
    request_queue_size = 128
    distribution: Distribution


class BadFraming(ValueError):
    """The request's body framing (Content-Length, chunked encoding) cannot be trusted."""


class CloudFrontHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = VIEWER_TIMEOUT_S
    server: _Server

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route()

    def do_POST(self) -> None:
        self._route()

    def do_PUT(self) -> None:
        self._route()

    def do_PATCH(self) -> None:
        self._route()

    def do_DELETE(self) -> None:
        self._route()

    def do_OPTIONS(self) -> None:
        self._route()

    def log_message(self, format: str, *args: Any) -> None:
        LOG.debug("%s %s", self.address_string(), format % args)

    # --- routing ------------------------------------------------------------------------------
    def _route(self) -> None:
        # Malformed framing is answered at once, as CloudFront does: 400, and the connection
        # closed, since where this request's body ends (and the next begins) is unknown.
        try:
            body = self._request_body()
        except BadFraming as exc:
            self.close_connection = True
            self._send_json(400, "BadRequest", str(exc))
            return
        path = urllib.parse.urlsplit(self.path).path
        if is_api_path(path):
            self._proxy_to_api(body)
        else:
            self._serve_from_bucket(path)

    # --- /api/* -------------------------------------------------------------------------------
    def _proxy_to_api(self, body: bytes | None) -> None:
        distribution = self.server.distribution
        origin = urllib.parse.urlsplit(distribution.api_origin)
        headers = self._origin_headers(origin.netloc)
        target = origin.path.rstrip("/") + self.path
        connection = http.client.HTTPConnection(
            origin.hostname or "127.0.0.1", origin.port, timeout=distribution.origin_timeout_s
        )
        try:
            connection.request(self.command, target, body=body, headers=headers)
            upstream = connection.getresponse()
        except TimeoutError:
            self._send_json(504, "GatewayTimeout", "The API origin did not answer in time.")
            return
        except OSError as exc:
            LOG.warning("API origin %s unreachable: %s", distribution.api_origin, exc)
            self._send_json(502, "BadGateway", "The API origin is unreachable.")
            return
        try:
            self._relay(upstream)
        finally:
            connection.close()

    def _origin_headers(self, origin_host: str) -> dict[str, str]:
        dropped = HOP_BY_HOP | _connection_tokens(self.headers.get("Connection", ""))
        dropped |= {"host", "content-length", ORIGIN_VERIFY_HEADER.lower()}
        headers = {k: v for k, v in self.headers.items() if k.lower() not in dropped}
        forwarded = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers["X-Forwarded-For"] = f"{forwarded}, {client}" if forwarded else client
        headers["Host"] = origin_host
        headers[ORIGIN_VERIFY_HEADER] = self.server.distribution.origin_secret
        return headers

    def _request_body(self) -> bytes | None:
        lengths = self.headers.get_all("Content-Length") or []
        encodings = self.headers.get_all("Transfer-Encoding") or []
        if encodings:
            if lengths:
                raise BadFraming("Content-Length and Transfer-Encoding must not be combined")
            if [e.strip().lower() for e in ",".join(encodings).split(",")] != ["chunked"]:
                raise BadFraming("the only transfer coding accepted is chunked")
            return _read_chunked(self.rfile)
        if not lengths:
            return None
        if len(set(lengths)) != 1 or not lengths[0].strip().isascii():
            raise BadFraming("Content-Length must be one decimal number")
        text = lengths[0].strip()
        if not text.isdigit() or len(text) > 12:
            raise BadFraming("Content-Length must be a decimal number of bytes")
        length = int(text)
        if length > MAX_BODY_BYTES:
            raise BadFraming(f"the body may be at most {MAX_BODY_BYTES} bytes")
        return self.rfile.read(length) if length else None

    def _relay(self, upstream: http.client.HTTPResponse) -> None:
        self.send_response(upstream.status, upstream.reason)
        dropped = HOP_BY_HOP | _connection_tokens(upstream.getheader("Connection", "") or "")
        for name, value in upstream.getheaders():
            if name.lower() not in dropped:
                self.send_header(name, value)
        length = upstream.getheader("Content-Length")
        has_body = self.command != "HEAD" and upstream.status not in (204, 304)
        chunked = has_body and length is None
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if not has_body:
            return
        while chunk := upstream.read1(CHUNK_BYTES):
            self.wfile.write(b"%x\r\n%b\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    # --- everything else: the site bucket -------------------------------------------------
    def _serve_from_bucket(self, path: str) -> None:
        if self.command not in ("GET", "HEAD"):
            self._send_json(403, "MethodNotAllowed", "This distribution only allows GET and HEAD.")
            return
        from botocore.exceptions import BotoCoreError, ClientError

        distribution = self.server.distribution
        key = urllib.parse.unquote(rewrite_uri(path)).lstrip("/")
        conditions = {
            parameter: self.headers[header]
            for parameter, header in (
                ("IfNoneMatch", "If-None-Match"),
                ("IfModifiedSince", "If-Modified-Since"),
            )
            if self.headers.get(header)
        }
        fetch = (
            distribution.s3.head_object if self.command == "HEAD" else distribution.s3.get_object
        )
        try:
            found = fetch(Bucket=distribution.site_bucket, Key=key, **conditions)
        except ClientError as exc:
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 502))
            if status == 304:
                self._send_empty(304, exc.response.get("ResponseMetadata", {}).get("HTTPHeaders"))
            elif status in (403, 404):
                self._send_not_found(key)
            else:
                self._send_json(502, "BadGateway", "The site bucket did not answer.")
            return
        except BotoCoreError as exc:
            LOG.warning("site bucket %s unreachable: %s", distribution.site_bucket, exc)
            self._send_json(502, "BadGateway", "The site bucket is unreachable.")
            return
        self._send_object(found)

    def _send_object(self, found: dict[str, Any]) -> None:
        self.send_response(200)
        for field, header in OBJECT_HEADERS.items():
            if found.get(field) is not None:
                self.send_header(header, str(found[field]))
        if found.get("LastModified") is not None:
            self.send_header(
                "Last-Modified", self.date_time_string(found["LastModified"].timestamp())
            )
        self.end_headers()
        body = found.get("Body")
        if body is None:
            return
        with contextlib.closing(body):
            for chunk in body.iter_chunks(CHUNK_BYTES):
                self.wfile.write(chunk)

    def _send_not_found(self, key: str) -> None:
        # What S3 behind CloudFront answers for a missing key.
        payload = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
            f"<Message>The specified key does not exist.</Message><Key>{_xml(key)}</Key></Error>"
        ).encode()
        self._send(404, "application/xml", payload)

    def _send_empty(self, status: int, origin_headers: dict[str, str] | None) -> None:
        self.send_response(status)
        for name in ("ETag", "Cache-Control", "Last-Modified"):
            value = (origin_headers or {}).get(name.lower())
            if value:
                self.send_header(name, value)
        self.end_headers()

    def _send_json(self, status: int, code: str, message: str) -> None:
        self._send(
            status, "application/json", json.dumps({"Code": code, "Message": message}).encode()
        )

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)


def _connection_tokens(value: str) -> frozenset[str]:
    """Headers named in `Connection:` are hop-by-hop too (RFC 9110, section 7.6.1)."""
    return frozenset(token.strip().lower() for token in value.split(",") if token.strip())


def _read_chunked(stream: io.BufferedIOBase) -> bytes:
    body = bytearray()
    while True:
        line = stream.readline(1024)
        size_text = line.split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 8 or not all(c in HEX_DIGITS for c in size_text):
            raise BadFraming("a chunk size must be a hexadecimal number")
        size = int(size_text, 16)
        if len(body) + size > MAX_BODY_BYTES:
            raise BadFraming(f"the body may be at most {MAX_BODY_BYTES} bytes")
        if size == 0:
            while stream.readline() not in (b"\r\n", b"\n", b""):
                pass  # trailers
            return bytes(body)
        body += stream.read(size)
        stream.readline()


HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def s3_client(endpoint_url: str | None = None, credentials: StackCredentials | None = None) -> Any:
    """An S3 client for the emulator (path-style: bucket names stay out of the host name), with
    its credentials (by default the environment's, as the stack gives them)."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_REGION", REGION),
        **(credentials or StackCredentials.from_environment()).client_kwargs(),
        config=Config(s3={"addressing_style": "path"}, retries={"mode": "standard"}),
    )


def make_server(
    port: int,
    site_bucket: str,
    api_origin: str,
    origin_secret: str,
    s3_endpoint_url: str | None = None,
    host: str = "127.0.0.1",
    credentials: StackCredentials | None = None,
) -> _Server:
    server = _Server((host, port), CloudFrontHandler)
    server.distribution = Distribution(
        site_bucket, api_origin, origin_secret, s3_client(s3_endpoint_url, credentials)
    )
    return server


class CloudFrontServer:
    """A distribution served on a background thread (tests); `stop()` or use as a context."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def __enter__(self) -> CloudFrontServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def serve_in_thread(
    site_bucket: str,
    api_origin: str,
    origin_secret: str,
    *,
    port: int = 0,
    s3_endpoint_url: str | None = None,
    host: str = "127.0.0.1",
    credentials: StackCredentials | None = None,
) -> CloudFrontServer:
    """Start a distribution on a background thread; `port=0` picks a free port."""
    return CloudFrontServer(
        make_server(
            port, site_bucket, api_origin, origin_secret, s3_endpoint_url, host, credentials
        )
    )


def origin_secret_from(parameter: str, endpoint_url: str | None = None) -> str:
    """The origin secret, read from SSM Parameter Store in the emulator."""
    import boto3

    ssm = boto3.client(
        "ssm",
        endpoint_url=endpoint_url or os.environ.get("AWS_ENDPOINT_URL"),
        region_name=os.environ.get("AWS_REGION", REGION),
    )
    value = ssm.get_parameter(Name=parameter, WithDecryption=True)["Parameter"]["Value"]
    return str(value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws.cloudfront", description=__doc__)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--site-bucket", required=True)
    parser.add_argument("--api-origin", required=True, help="e.g. http://127.0.0.1:8001")
    parser.add_argument(
        "--origin-secret-parameter",
        required=True,
        help="SSM parameter (SecureString) holding the origin secret",
    )
    parser.add_argument("--s3-endpoint-url", help="default: AWS_ENDPOINT_URL")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = make_server(
        args.port,
        args.site_bucket,
        args.api_origin,
        origin_secret_from(args.origin_secret_parameter, args.s3_endpoint_url),
        args.s3_endpoint_url,
        args.host,
    )

    def stop(signum: int, frame: FrameType | None) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    print(f"CloudFront emulator ready: http://{args.host}:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
