"""Domain errors shared by both apps.

Adapters translate AWS ``ClientError`` codes into these; services raise them for rule violations.
Each error carries its HTTP status and a specific ``code`` (the ``Code`` of the error body), so the
one error map in each app turns any of them into a response without a lookup table of its own.
"""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """Base class: a failure the caller can understand and act on."""

    status: ClassVar[int] = 500
    default_code: ClassVar[str] = "InternalError"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class InvalidInput(DomainError):
    status = 400
    default_code = "InvalidInput"


class Unauthorized(DomainError):
    status = 401
    default_code = "Unauthorized"


class Forbidden(DomainError):
    status = 403
    default_code = "Forbidden"


class NotFound(DomainError):
    status = 404
    default_code = "NotFound"


class Conflict(DomainError):
    status = 409
    default_code = "Conflict"


class VersionConflict(Conflict):
    """An optimistic-concurrency check failed: the item changed since the caller read it."""

    default_code = "VersionConflict"


class PreconditionFailed(DomainError):
    status = 412
    default_code = "PreconditionFailed"


class PreconditionRequired(DomainError):
    """A versioned update arrived without ``If-Match``: refuse rather than overwrite blindly."""

    status = 428
    default_code = "PreconditionRequired"


class PayloadTooLarge(DomainError):
    status = 413
    default_code = "PayloadTooLarge"


class UnsupportedMediaType(DomainError):
    status = 415
    default_code = "UnsupportedMediaType"


class Unprocessable(DomainError):
    status = 422
    default_code = "Unprocessable"


class ServiceUnavailable(DomainError):
    """A dependency is throttling, failing or down; the same request may succeed later."""

    status = 503
    default_code = "ServiceUnavailable"

    def __init__(
        self, message: str, *, code: str | None = None, retry_after_seconds: int = 2
    ) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = retry_after_seconds


class ConfigurationError(Exception):
    """The deployment is missing settings: an operator's problem, never a client's."""


class TransactionConflict(Conflict):
    """A condition failed inside an all-or-nothing write; ``failed_index`` says which operation."""

    default_code = "TransactionConflict"

    def __init__(self, message: str, *, failed_index: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.failed_index = failed_index
