"""Turn uploaded bytes into a small, upright RGB image, or refuse them with a named reason.

Uploads come from anyone, so every check happens before the expensive part: the byte cap and the
magic bytes first, then the pixel count read from the header, and only then the decode. JPEGs are
decoded at 1/2, 1/4 or 1/8 scale with `draft()` (a 12-megapixel photo decodes in a fraction of the
time and memory), EXIF orientation is applied, and every colour mode Pillow can produce (CMYK,
16-bit, palette, alpha, grayscale, animated first frame) ends up as plain 8-bit RGB.
"""

import io
import warnings

import numpy as np
from PIL import Image, ImageOps

from chalicelib.ml.errors import (
    CorruptImage,
    EmptyImage,
    ImageTooLarge,
    TooManyPixels,
    UnsupportedImageType,
)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_PIXELS = 50_000_000
DEFAULT_TARGET = 224

_JPEG = "JPEG"
_PNG = "PNG"
_WEBP = "WEBP"
_SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16B", "I;16L", "I;16N", "F"})


def sniff_format(data: bytes) -> str | None:
    """The Pillow format name for JPEG, PNG or WebP magic bytes, else None."""
    if data.startswith(b"\xff\xd8\xff"):
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _WEBP
    return None


def load_photo(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    target: int = DEFAULT_TARGET,
) -> Image.Image:
    """Validate and decode `data`; the result is RGB with its shorter side at most about `target`.

    Raises a subclass of `InvalidImage` naming what is wrong.
    """
    if not data:
        raise EmptyImage
    if len(data) > max_bytes:
        raise ImageTooLarge(f"The photo is {len(data)} bytes; the limit is {max_bytes} bytes.")
    fmt = sniff_format(data)
    if fmt is None:
        raise UnsupportedImageType
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decode(data, fmt, max_pixels, target)
        except (TooManyPixels, CorruptImage):
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise TooManyPixels from exc
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
            raise CorruptImage from exc
    return image


def _decode(data: bytes, fmt: str, max_pixels: int, target: int) -> Image.Image:
    image = Image.open(io.BytesIO(data), formats=[fmt])
    width, height = image.size
    if width <= 0 or height <= 0:
        raise CorruptImage
    if width * height > max_pixels:
        raise TooManyPixels(
            f"The photo has {width}x{height} pixels; the limit is {max_pixels} pixels."
        )
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    if fmt == _JPEG:
        scale = min(width, height) / max(target, 1)
        if scale >= 2:
            image.draft("RGB", (max(1, round(width / scale)), max(1, round(height / scale))))
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    rgb = _to_rgb(upright)
    return _shrink(rgb, target)


def _to_rgb(image: Image.Image) -> Image.Image:
    mode = image.mode
    if mode == "RGB":
        return image
    if mode in _SIXTEEN_BIT_MODES:
        values = np.asarray(image, dtype=np.float64)
        peak = 65535.0 if values.max(initial=0.0) > 255.0 else 255.0
        gray = np.clip(values * (255.0 / peak), 0, 255).astype(np.uint8)
        return Image.fromarray(gray, mode="L").convert("RGB")
    if mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
        mode = "RGBA"
    if mode in ("RGBA", "LA", "RGBa", "La", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba).convert("RGB")
    return image.convert("RGB")


def _shrink(image: Image.Image, target: int) -> Image.Image:
    width, height = image.size
    short = min(width, height)
    if short <= target:
        return image
    scale = target / short
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
