"""chalice local's threaded server takes a burst of simultaneous connections without resets."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler

import chalice.local
import pytest

from localaws.patches import chalice_local_backlog

CLIENTS = 80


class SlowHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        time.sleep(0.05)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(unpatch_after: None) -> Iterator[chalice.local.ThreadedHTTPServer]:
    chalice_local_backlog.apply()
    running = chalice.local.ThreadedHTTPServer(("127.0.0.1", 0), SlowHandler)
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


def test_a_burst_of_simultaneous_clients_is_served_without_resets(
    server: chalice.local.ThreadedHTTPServer,
) -> None:
    barrier = threading.Barrier(CLIENTS)
    port = server.server_address[1]

    def fetch(_: int) -> int | str:
        barrier.wait()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/")
            return connection.getresponse().status
        except OSError as exc:
            return type(exc).__name__
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(fetch, range(CLIENTS)))

    assert answers == [200] * CLIENTS
    assert server.request_queue_size == chalice_local_backlog.BACKLOG
