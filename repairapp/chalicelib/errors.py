"""RepairApp's own errors: the statuses the shared set (``repaircore.errors``) does not have.

Like the shared errors, each carries its HTTP status and code, so the one error map
(``repaircore.http.handles_errors``) answers them without a table of its own.
"""

from __future__ import annotations

from repaircore.errors import DomainError


class TooManyRequests(DomainError):
    """Sign-ins for this account or address are refused for a while (ours or Cognito's limit)."""

    status = 429
    default_code = "TooManyRequests"

    def __init__(
        self, message: str, *, code: str | None = None, retry_after_seconds: int = 60
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds
