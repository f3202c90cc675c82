"""Why a photo was refused.

Each class name is also its `code`, so the workflow's ASL `ErrorEquals` and the HTTP error map can
match on it; the message is safe to show to the person who uploaded the photo.
"""


class InvalidImage(Exception):
    """A photo that SmartRe cannot or will not decode."""

    code = "InvalidImage"
    default_message = "The file is not a photo SmartRe can read."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)
        self.message = message or self.default_message


class EmptyImage(InvalidImage):
    code = "EmptyImage"
    default_message = "The photo is empty (0 bytes)."


class ImageTooLarge(InvalidImage):
    code = "ImageTooLarge"
    default_message = "The photo file is too large."


class UnsupportedImageType(InvalidImage):
    code = "UnsupportedImageType"
    default_message = "Only JPEG, PNG and WebP photos are accepted."


class TooManyPixels(InvalidImage):
    code = "TooManyPixels"
    default_message = "The photo has too many pixels."


class CorruptImage(InvalidImage):
    code = "CorruptImage"
    default_message = "The photo is damaged or incomplete and cannot be decoded."
