"""The current HTTP request, per thread: what views read instead of ``app.current_request``.

Chalice keeps ``current_request`` on the app object, which every thread of ``chalice local``
(threaded) shares: under concurrent requests a view could read another request's headers, e.g.
its ``If-Match`` or its token. Middleware receives the request its own invocation built, so it
binds that one to a context variable here. On Lambda (one request per container) both agree.
The request's correlation id (``repaircore.correlation``) is bound alongside.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from chalice.app import Request, Response

from repaircore import correlation

_current: ContextVar[Request | None] = ContextVar("current_request", default=None)


def bind_request(event: Request, get_response: Callable[[Request], Response]) -> Response:
    """HTTP middleware: make ``event`` the current request while its view runs."""
    token = _current.set(event)
    correlation_token = correlation.bind(correlation.correlation_id_for(event))
    try:
        return get_response(event)
    finally:
        correlation.unbind(correlation_token)
        _current.reset(token)


def current_request() -> Any:
    request = _current.get()
    if request is None:
        raise RuntimeError("no request is bound: is the bind_request middleware registered?")
    return request
