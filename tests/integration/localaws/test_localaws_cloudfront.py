"""The CloudFront emulator: SPA from the site bucket with deep links, /api/* proxied untouched."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from localaws.cloudfront import CloudFrontServer, serve_in_thread
from localaws.server import Emulator

SECRET = "s3cr3t-origin-value"
INDEX = b"<!doctype html><title>RepairApp</title>"


class FakeApi(BaseHTTPRequestHandler):
    """Echoes what it received; a few paths answer with errors or a chunked stream."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/api/missing"):
            self._send(404, {"Code": "NotFound", "Message": "no such repair"})
        elif self.path.startswith("/api/broken"):
            self._send(500, {"Code": "InternalServerError", "Message": "boom"})
        elif self.path.startswith("/api/stream"):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first,", b"second,", b"third"):
                self.wfile.write(b"%x\r\n%b\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self._send(
                201,
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode(),
                },
            )

    def _send(self, status: int, document: dict[str, Any]) -> None:
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-Api-Header", "kept")
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def api_origin() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site_bucket(emulator: Emulator) -> str:
    bucket = f"site-{uuid.uuid4().hex[:8]}"
    s3 = emulator.client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(
        Bucket=bucket, Key="index.html", Body=INDEX, ContentType="text/html",
        CacheControl="no-cache",
    )  # fmt: skip
    s3.put_object(
        Bucket=bucket, Key="assets/app-3f9a.js", Body=b"console.log(1)",
        ContentType="text/javascript", CacheControl="public, max-age=31536000, immutable",
    )  # fmt: skip
    return bucket


@pytest.fixture(scope="module")
def cdn(emulator: Emulator, site_bucket: str, api_origin: str) -> Iterator[CloudFrontServer]:
    with serve_in_thread(
        site_bucket,
        api_origin,
        SECRET,
        s3_endpoint_url=emulator.endpoint_url,
        credentials=emulator.credentials,
    ) as server:
        yield server


def fetch(
    server: CloudFrontServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", ["/", "/triage/abc", "/repairs/x?tab=photos"])
def test_spa_routes_are_served_index_html(cdn: CloudFrontServer, path: str) -> None:
    status, headers, body = fetch(cdn, "GET", path)
    assert status == 200
    assert body == INDEX
    assert headers["content-type"] == "text/html"
    assert headers["cache-control"] == "no-cache"


def test_assets_keep_their_type_and_cache_policy(cdn: CloudFrontServer) -> None:
    status, headers, body = fetch(cdn, "GET", "/assets/app-3f9a.js")
    assert (status, body) == (200, b"console.log(1)")
    assert headers["content-type"] == "text/javascript"
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


def test_missing_asset_is_a_404_not_the_spa(cdn: CloudFrontServer) -> None:
    status, _, body = fetch(cdn, "GET", "/assets/gone.js")
    assert status == 404
    assert b"NoSuchKey" in body


def test_unchanged_asset_is_answered_304(cdn: CloudFrontServer) -> None:
    _, headers, _ = fetch(cdn, "GET", "/assets/app-3f9a.js")
    status, _, body = fetch(
        cdn, "GET", "/assets/app-3f9a.js", headers={"If-None-Match": headers["etag"]}
    )
    assert (status, body) == (304, b"")


def test_site_behaviour_refuses_writes(cdn: CloudFrontServer) -> None:
    status, _, _ = fetch(cdn, "POST", "/triage/abc", body=b"x")
    assert status == 403


def test_api_requests_reach_the_origin_unchanged_with_the_origin_secret(
    cdn: CloudFrontServer,
) -> None:
    status, headers, body = fetch(
        cdn,
        "POST",
        "/api/repairs?lang=nl&x=1",
        body=b'{"problem": "kapot"}',
        headers={
            "Content-Type": "application/json",
            "Authorization": "Bearer token",
            "X-Origin-Verify": "forged-by-viewer",
            "Connection": "keep-alive, X-Hop",
            "X-Hop": "must not pass",
        },
    )
    echoed = json.loads(body)
    assert status == 201
    assert headers["x-api-header"] == "kept"
    assert (echoed["method"], echoed["path"], echoed["body"]) == (
        "POST",
        "/api/repairs?lang=nl&x=1",
        '{"problem": "kapot"}',
    )
    assert echoed["headers"]["x-origin-verify"] == SECRET
    assert echoed["headers"]["authorization"] == "Bearer token"
    assert echoed["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert "x-hop" not in echoed["headers"]


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [("/api/missing/1", 404, "NotFound"), ("/api/broken", 500, "InternalServerError")],
)
def test_api_errors_pass_through_without_spa_fallback(
    cdn: CloudFrontServer, path: str, status: int, code: str
) -> None:
    answered, headers, body = fetch(cdn, "GET", path)
    assert answered == status
    assert headers["content-type"] == "application/json"
    assert json.loads(body)["Code"] == code


def test_streamed_api_response_arrives_whole(cdn: CloudFrontServer) -> None:
    status, headers, body = fetch(cdn, "GET", "/api/stream")
    assert (status, body) == (200, b"first,second,third")
    assert headers.get("transfer-encoding") == "chunked"


def test_unreachable_api_origin_is_a_502_in_the_api_error_shape(
    emulator: Emulator, site_bucket: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    with serve_in_thread(
        site_bucket,
        f"http://127.0.0.1:{dead_port}",
        SECRET,
        s3_endpoint_url=emulator.endpoint_url,
        credentials=emulator.credentials,
    ) as server:
        status, _, body = fetch(server, "GET", "/api/health")
    assert status == 502
    assert json.loads(body)["Code"] == "BadGateway"


def _raw(server: CloudFrontServer, request: bytes) -> bytes:
    """Send bytes as they are and read the answer; a hang fails the test after 5 s."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    return received


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: abc\r\n",
        b"Content-Length: -1\r\n",
        b"Content-Length: 1e3\r\n",
        b"Content-Length: 5\r\nContent-Length: 6\r\n",
        b"Content-Length: 99999999999999999\r\n",
        b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
        b"Transfer-Encoding: gzip\r\n",
    ],
    ids=["not-a-number", "negative", "exponent", "two-lengths", "huge", "both", "other-coding"],
)
@pytest.mark.parametrize("path", [b"/api/echo", b"/index.html"])
def test_malformed_framing_is_a_400_at_once(
    cdn: CloudFrontServer, framing: bytes, path: bytes
) -> None:
    answer = _raw(cdn, b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n" + framing + b"\r\nhello")

    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b'"Code": "BadRequest"' in answer


@pytest.mark.parametrize("chunk", [b"zz\r\nhello\r\n0\r\n\r\n", b"-5\r\nhello\r\n0\r\n\r\n"])
def test_a_non_hex_chunk_size_is_a_400_at_once(cdn: CloudFrontServer, chunk: bytes) -> None:
    answer = _raw(
        cdn, b"POST /api/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk
    )

    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]


def test_a_well_formed_chunked_body_still_reaches_the_origin(cdn: CloudFrontServer) -> None:
    answer = _raw(
        cdn,
        b"POST /api/echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    )

    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
    assert b'"body": "hello"' in answer
