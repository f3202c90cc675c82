"""chalice local's server accepts bursts of concurrent connections, as API Gateway does.

chalice behaviour covered: `chalice.local.ThreadedHTTPServer` inherits socketserver's listen
backlog of 5, so more than a handful of simultaneous connections (a load test, 50 concurrent
clients, RepairApp's pool calling SmartRe) overflow the accept queue and the kernel resets some
of them: the client sees "Connection reset by peer" from the emulator, never from the app.
"""

from __future__ import annotations

import chalice.local

from localaws.patches._patching import replace_attribute

BACKLOG = 128


def apply() -> None:
    replace_attribute(chalice.local.ThreadedHTTPServer, "request_queue_size", BACKLOG)
