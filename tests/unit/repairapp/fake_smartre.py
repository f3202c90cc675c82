"""A small SmartRe double over real HTTP, for RepairApp's unit tests.

It speaks SmartRe's contract (docs/api.md): service-key bearer auth, presigned uploads, analyses
with idempotency keys, analysis lookup, feedback stored once per idempotency key. Tests can make
any operation fail with a status or hang for a while, and read back every request it received
(to prove, e.g., that no personal data ever reached it). The real SmartRe is exercised by the
integration tests on the local stack.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeSmartRe:
    service_key: str
    analyses: dict[str, dict[str, Any]] = field(default_factory=dict)
    analysis_keys: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    labels: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    products: dict[str, dict[str, Any]] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    failures: dict[str, tuple[int, dict[str, Any] | None]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    # Photos SmartRe has deleted (closed repair, or past the 7-day expiry).
    gone_images: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    server: ThreadingHTTPServer | None = None

    # --- test controls ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset(self) -> None:
        with self.lock:
            self.analyses.clear()
            self.analysis_keys.clear()
            self.labels.clear()
            self.products.clear()
            self.received.clear()
            self.failures.clear()
            self.delays.clear()
            self.gone_images.clear()

    def fail(self, operation: str, status: int, body: dict[str, Any] | None = None) -> None:
        self.failures[operation] = (status, body)

    def recover(self) -> None:
        self.failures.clear()
        self.delays.clear()

    def add_analysis(self, **overrides: Any) -> dict[str, Any]:
        analysis = _analysis("an_" + secrets.token_urlsafe(16), {}, overrides)
        with self.lock:
            self.analyses[analysis["analysisId"]] = analysis
        return analysis

    def add_product(self, product_id: str, **fields: Any) -> dict[str, Any]:
        product = {"productId": product_id, "version": 1, **fields}
        with self.lock:
            self.products[product_id] = product
        return product

    def calls(self, operation: str) -> list[Received]:
        return [r for r in self.received if _operation(r.method, r.path)[0] == operation]

    def everything_received(self) -> str:
        return "\n".join(
            f"{r.method} {r.path} {json.dumps(r.headers)} {r.body.decode(errors='replace')}"
            for r in self.received
        )

    # --- lifecycle ----------------------------------------------------------------------------
    def start(self) -> FakeSmartRe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_PUT(self) -> None:
                fake._handle(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    # --- the contract -------------------------------------------------------------------------
    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self.lock:
            self.received.append(Received(method, handler.path, headers, body))
        operation, analysis_id = _operation(method, handler.path)
        time.sleep(self.delays.get(operation, 0.0))
        if operation != "health" and headers.get("authorization") != f"Bearer {self.service_key}":
            return _send(handler, 401, {"message": "Unauthorized"})
        if operation in self.failures:
            status, error = self.failures[operation]
            return _send(handler, status, error or {"Code": "Boom", "Message": "failing"})
        if operation == "health":
            return _send(handler, 200, {"service": "smartre", "ok": True})
        if operation == "images":
            image_id = "img_" + secrets.token_urlsafe(16)
            return _send(
                handler,
                201,
                {
                    "imageId": image_id,
                    "url": "http://127.0.0.1:9/photos",
                    "fields": {"key": f"uploads/{image_id}/photo", "policy": "e30="},
                    "maxBytes": 10485760,
                    "expiresAt": "2026-11-27T16:05:00Z",
                },
            )
        if operation == "image-link":
            if analysis_id in self.gone_images:
                return _send(handler, 404, {"Code": "PhotoGone", "Message": "the photo is gone"})
            return _send(
                handler,
                200,
                {
                    "imageId": analysis_id,
                    "url": f"http://127.0.0.1:9/photos/uploads/{analysis_id}/photo?Signature=x",
                    "expiresAt": "2026-11-27T16:05:00Z",
                    "deletedAfter": "2026-12-04T16:00:00Z",
                },
            )
        if operation == "analyses":
            return self._create_analysis(handler, headers.get("idempotency-key"), body)
        if operation == "analysis":
            found = self.analyses.get(analysis_id or "")
            if found is None:
                return _send(handler, 404, {"Code": "NotFound", "Message": "no such analysis"})
            return _send(handler, 200, found)
        if operation == "feedback":
            return self._feedback(handler, analysis_id or "", headers.get("idempotency-key"), body)
        if operation == "products":
            items = sorted(self.products.values(), key=lambda p: p["productId"])
            return _send(handler, 200, {"items": items, "nextCursor": None})
        if operation == "product":
            return self._product(handler, method, analysis_id or "", headers.get("if-match"), body)
        return _send(handler, 404, {"Code": "NotFound", "Message": "no such route"})

    def _create_analysis(
        self, handler: BaseHTTPRequestHandler, key: str | None, body: bytes
    ) -> None:
        if not key:
            return _send(handler, 400, {"Code": "InvalidIdempotencyKey", "Message": "missing"})
        with self.lock:
            if key in self.analysis_keys:
                first_body, analysis_id = self.analysis_keys[key]
                if first_body != body:
                    return _send(
                        handler,
                        422,
                        {"Code": "IdempotencyKeyReused", "Message": "other body"},
                    )
                return _send(
                    handler, 201, self.analyses[analysis_id], {"Idempotent-Replayed": "true"}
                )
            analysis = _analysis("an_" + secrets.token_urlsafe(16), json.loads(body), {})
            self.analyses[analysis["analysisId"]] = analysis
            self.analysis_keys[key] = (body, analysis["analysisId"])
        return _send(handler, 201, analysis, {"Idempotent-Replayed": "false"})

    def _feedback(
        self, handler: BaseHTTPRequestHandler, analysis_id: str, key: str | None, body: bytes
    ) -> None:
        if not key:
            return _send(handler, 400, {"Code": "InvalidIdempotencyKey", "Message": "missing"})
        if analysis_id not in self.analyses:
            return _send(handler, 404, {"Code": "NotFound", "Message": "no such analysis"})
        with self.lock:
            self.labels.setdefault(key, (analysis_id, json.loads(body)))
        return _send(handler, 201, {"analysisId": analysis_id, "labelId": "lb_" + key[-8:]})

    def _product(
        self,
        handler: BaseHTTPRequestHandler,
        method: str,
        product_id: str,
        if_match: str | None,
        body: bytes,
    ) -> None:
        """SmartRe's catalogue: If-Match with the current version, 409 VersionConflict if stale."""
        with self.lock:
            product = self.products.get(product_id)
            if product is None:
                return _send(
                    handler, 404, {"Code": "ProductNotFound", "Message": "no such product"}
                )
            if method == "GET":
                return _send(handler, 200, product, {"ETag": f'"{product["version"]}"'})
            if if_match is None:
                return _send(handler, 428, {"Code": "PreconditionRequired", "Message": "If-Match"})
            if if_match.strip('"') != str(product["version"]):
                return _send(handler, 409, {"Code": "VersionConflict", "Message": "stale"})
            product = {**product, **json.loads(body), "version": product["version"] + 1}
            self.products[product_id] = product
        return _send(handler, 200, product, {"ETag": f'"{product["version"]}"'})


_PRODUCT_PATH = re.compile(r"/api/products/(?P<id>[^/?]+)")
_IMAGE_LINK_PATH = re.compile(r"/api/images/(?P<id>[^/?]+)/link")
_ANALYSIS_PATH = re.compile(r"/api/analyses/(?P<id>[^/?]+)(?P<feedback>/feedback)?")


def _operation(method: str, path: str) -> tuple[str, str | None]:
    path = path.split("?", 1)[0]
    if path == "/api/health":
        return "health", None
    if path == "/api/images" and method == "POST":
        return "images", None
    if path == "/api/analyses" and method == "POST":
        return "analyses", None
    if path == "/api/products" and method == "GET":
        return "products", None
    product = _PRODUCT_PATH.fullmatch(path)
    if product and method in ("GET", "PUT"):
        return "product", product["id"]
    image = _IMAGE_LINK_PATH.fullmatch(path)
    if image and method == "GET":
        return "image-link", image["id"]
    match = _ANALYSIS_PATH.fullmatch(path)
    if match and match["feedback"] and method == "POST":
        return "feedback", match["id"]
    if match and method == "GET":
        return "analysis", match["id"]
    return "unknown", None


def _analysis(
    analysis_id: str, request: dict[str, Any], overrides: dict[str, Any]
) -> dict[str, Any]:
    category = request.get("productCategory")
    analysis: dict[str, Any] = {
        "analysisId": analysis_id,
        "productCategory": {
            "label": "Laptop",
            "confidence": 0.91,
            "recognised": True,
            "top3": [{"label": "Laptop", "confidence": 0.91}],
        }
        if request.get("imageId")
        else None,
        "outcome": {"fixed": 0.52, "repairable": 0.21, "endOfLife": 0.27, "predicted": "Fixed"},
        "barrier": None,
        "safetyWarnings": [],
        "advice": None,
        "similarRepairs": None,
        "partial": False,
        "missing": [],
        "modelVersions": {"image": "test", "outcome": "test", "safety": "test"},
        "inputs": {
            "imageId": request.get("imageId"),
            "description": request.get("description"),
            "productCategory": category,
            "brand": request.get("brand"),
            "productAgeYears": request.get("productAgeYears"),
            "language": request.get("language", "en"),
        },
        "createdAt": "2026-11-27T16:00:00Z",
    }
    inputs = overrides.pop("inputs", None)
    if inputs:
        analysis["inputs"].update(inputs)
    analysis.update(overrides)
    return analysis


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    raw = json.dumps(body).encode()
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(raw)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test)
