"""SmartRe's own errors and how each maps to HTTP (shared errors map themselves).

The workflow reports failures by exception class name (the ASL ``ErrorEquals`` contract); this
table turns the names a client can cause into the client's 4xx, and everything else into a 503:
the request was fine, the service was not.
"""

from __future__ import annotations

from chalicelib.ml.errors import (
    CorruptImage,
    EmptyImage,
    ImageTooLarge,
    TooManyPixels,
    UnsupportedImageType,
)
from chalicelib.workflow_contract import PHOTO_ERRORS as REFUSED_PHOTO
from chalicelib.workflow_contract import ImageNotFound
from repaircore.errors import (
    DomainError,
    InvalidInput,
    PayloadTooLarge,
    ServiceUnavailable,
    Unprocessable,
    UnsupportedMediaType,
)

_PHOTO_STATUS: dict[type[Exception], type[DomainError]] = {
    ImageNotFound: Unprocessable,
    EmptyImage: InvalidInput,
    ImageTooLarge: PayloadTooLarge,
    TooManyPixels: PayloadTooLarge,
    UnsupportedImageType: UnsupportedMediaType,
    CorruptImage: Unprocessable,
}
# By the error names the classify_image task raises (``workflow_contract.PHOTO_ERRORS``): a new
# kind of refused photo without a status here fails this import, and so every test.
PHOTO_ERRORS: dict[str, type[DomainError]] = {
    error.__name__: _PHOTO_STATUS[error] for error in REFUSED_PHOTO
}


def workflow_failure(error: str | None, cause: str | None) -> DomainError:
    """The domain error for a failed analysis execution."""
    if error in PHOTO_ERRORS:
        message = _cause_message(cause) or "the photo cannot be used"
        return PHOTO_ERRORS[error](message, code=error)
    return ServiceUnavailable(
        "the analysis could not be completed; try again shortly", code="AnalysisUnavailable"
    )


def _cause_message(cause: str | None) -> str | None:
    """Lambda errors arrive as a JSON cause ``{"errorType", "errorMessage"}``; keep the message."""
    if not cause:
        return None
    import json

    try:
        parsed = json.loads(cause)
    except ValueError:
        return cause[:300]
    if isinstance(parsed, dict) and isinstance(parsed.get("errorMessage"), str):
        return str(parsed["errorMessage"])[:300]
    return None
