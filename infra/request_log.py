"""An audit log of every change a deploy asks AWS for: one JSON line per mutating request.

``deploy.sh`` points ``INFRA_REQUEST_LOG`` at ``build/deploy/<stage>/requests.jsonl`` so each run
leaves a record of what it created, updated or deleted (a second, idempotent run records nothing
but the CloudFront invalidation). It is also how the integration test checks fields the local
emulator does not keep (budget subscribers, for one). Reads (Get/List/Describe/Head) are not
recorded. Secrets never reach the file: SecureString values and origin header values become a
short SHA-256 fingerprint, enough to prove which secret was sent; bodies become their size.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

ENV_VAR = "INFRA_REQUEST_LOG"
_READ_PREFIXES = ("Get", "List", "Describe", "Head", "Lookup")


def fingerprint(secret: str) -> str:
    return "sha256:" + hashlib.sha256(secret.encode()).hexdigest()[:16]


def redact(operation: str, params: Any) -> Any:
    """A JSON-safe copy of ``params`` without secrets or payloads."""
    secure = operation == "PutParameter" and params.get("Type") == "SecureString"

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, bytes | bytearray):
            return {"bytes": len(value)}
        if hasattr(value, "read"):
            return {"stream": True}
        if key == "HeaderValue" or (secure and key == "Value"):
            return fingerprint(str(value))
        if isinstance(value, str | int | float | bool) or value is None:
            return value
        return str(value)

    return walk(params)


class RequestLog:
    """Appends mutating requests to ``path``; attach it to a boto3 session's event system."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)

    def attach(self, events: Any) -> None:
        events.register("provide-client-params", self._record)

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        operation = str(model.name)
        if operation.startswith(_READ_PREFIXES):
            return
        entry = {
            "service": model.service_model.service_name,
            "operation": operation,
            "params": redact(operation, params),
        }
        # Opened per request: the file stays consistent when a step fails halfway.
        with self.path.open("a") as log:
            log.write(json.dumps(entry, sort_keys=True) + "\n")
        os.chmod(self.path, 0o600)


def from_environment() -> RequestLog | None:
    path = os.environ.get(ENV_VAR)
    return RequestLog(Path(path)) if path else None


def read(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
