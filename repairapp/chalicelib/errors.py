"""RepairApp's own errors: the statuses the shared set (``repaircore.errors``) does not have.

Like the shared errors, each carries its HTTP status and code, so the one error map
(``repaircore.http.handles_errors``) answers them without a table of its own.
"""

from __future__ import annotations

from repaircore.errors import DomainError


class TooManyRequests(DomainError):
    """The identity provider is refusing sign-ins for this account for a while."""

    status = 429
    default_code = "TooManyRequests"
