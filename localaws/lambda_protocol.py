"""The wire between the emulator and a warm Lambda worker process: one JSON document per line.

Standard library only, because the worker imports it before the function's own code and must not
drag boto3 or moto into the function's interpreter. The worker reads requests from stdin and
writes replies to a private duplicate of its original stdout; the function's own `print` goes to
stderr, so user output can never corrupt a reply.

Messages (all carry `"type"`):
- worker → emulator, once: `{"type": "init", "ok": bool, "error": ErrorPayload | null,
  "duration_ms": float}`
- emulator → worker: `{"type": "invoke", "request_id": str, "event": Any, "deadline_ms": int,
  "invoked_function_arn": str}`
- worker → emulator: `{"type": "result", "request_id": str, "ok": bool, "payload": str (JSON text
  of the handler's return value, when ok), "error": ErrorPayload (when not ok), "logs": str}`

`ErrorPayload` is Lambda's own shape, `{"errorType", "errorMessage", "stackTrace"}`: Step
Functions matches `ErrorEquals` against `errorType`.
"""

from __future__ import annotations

import json
from typing import IO, Any

WORKER_MODULE = "localaws.lambda_worker"
MAX_LINE_BYTES = 64 * 1024 * 1024  # far above Lambda's 6 MB payload limit; guards against garbage


def encode(message: dict[str, Any]) -> bytes:
    """One message as one line (json.dumps never emits a raw newline)."""
    return json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    message = json.loads(line)
    if not isinstance(message, dict) or "type" not in message:
        raise ValueError(f"not a localaws worker message: {line[:200]!r}")
    return message


def write_message(stream: IO[bytes], message: dict[str, Any]) -> None:
    stream.write(encode(message))
    stream.flush()


def error_payload(error_type: str, message: str, stack: list[str] | None = None) -> dict[str, Any]:
    return {"errorType": error_type, "errorMessage": message, "stackTrace": stack or []}
