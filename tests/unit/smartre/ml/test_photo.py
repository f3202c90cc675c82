"""load_photo: what it accepts, how it normalises, and why it refuses the rest."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from chalicelib.ml import errors
from chalicelib.ml.photo import load_photo


def _encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def _gradient(width: int, height: int) -> Image.Image:
    x = np.linspace(0, 255, width, dtype=np.uint8)[None, :].repeat(height, axis=0)
    y = np.linspace(0, 255, height, dtype=np.uint8)[:, None].repeat(width, axis=1)
    return Image.fromarray(np.stack([x, y, 255 - x], axis=-1), mode="RGB")


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height but which carries almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_error_codes_are_the_class_names() -> None:
    for cls in (
        errors.EmptyImage,
        errors.ImageTooLarge,
        errors.UnsupportedImageType,
        errors.TooManyPixels,
        errors.CorruptImage,
    ):
        assert issubclass(cls, errors.InvalidImage)
        assert cls.code == cls.__name__
        assert str(cls())


def test_rejects_empty_bytes() -> None:
    with pytest.raises(errors.EmptyImage):
        load_photo(b"")


def test_rejects_files_over_the_byte_cap() -> None:
    data = _encode(_gradient(64, 64), "PNG")
    with pytest.raises(errors.ImageTooLarge):
        load_photo(data, max_bytes=len(data) - 1)


@pytest.mark.parametrize(
    "data",
    [
        b"just some text renamed to photo.jpg",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic",
    ],
    ids=["text", "svg", "heic"],
)
def test_rejects_what_is_not_jpeg_png_or_webp(data: bytes) -> None:
    with pytest.raises(errors.UnsupportedImageType):
        load_photo(data)


def test_rejects_gif_even_though_pillow_reads_it() -> None:
    with pytest.raises(errors.UnsupportedImageType):
        load_photo(_encode(_gradient(32, 32).convert("P"), "GIF"))


def test_rejects_dimensions_over_the_pixel_cap_before_decoding() -> None:
    with pytest.raises(errors.TooManyPixels):
        load_photo(_png_header_only(20_000, 20_000))


def test_treats_a_decompression_bomb_warning_as_an_error() -> None:
    assert (Image.MAX_IMAGE_PIXELS or 0) < 100_000_000  # what makes Pillow warn
    with pytest.raises(errors.TooManyPixels):
        load_photo(_png_header_only(10_000, 10_000), max_pixels=10**9)


def test_rejects_a_truncated_jpeg() -> None:
    data = _encode(_gradient(400, 300), "JPEG", quality=90)
    with pytest.raises(errors.CorruptImage):
        load_photo(data[: len(data) // 2])


def test_rejects_garbage_behind_valid_magic_bytes() -> None:
    with pytest.raises(errors.CorruptImage):
        load_photo(b"\xff\xd8\xff" + bytes(range(256)) * 4)


def test_applies_exif_orientation() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = _encode(_gradient(80, 40), "JPEG", exif=exif.tobytes())
    assert load_photo(data).size == (40, 80)


def test_decodes_a_large_jpeg_small() -> None:
    data = _encode(_gradient(2400, 1800), "JPEG", quality=80)
    image = load_photo(data, target=224)
    assert min(image.size) == 224
    assert image.size[0] > image.size[1]


@pytest.mark.parametrize(
    ("image", "fmt"),
    [
        (_gradient(50, 40).convert("CMYK"), "JPEG"),
        (_gradient(50, 40).convert("L"), "JPEG"),
        (_gradient(50, 40).convert("L"), "PNG"),
        (_gradient(50, 40).convert("RGBA"), "PNG"),
        (_gradient(50, 40).convert("LA"), "PNG"),
        (_gradient(50, 40).convert("P"), "PNG"),
        (_gradient(50, 40), "WEBP"),
    ],
    ids=["cmyk-jpeg", "gray-jpeg", "gray-png", "rgba-png", "la-png", "palette-png", "webp"],
)
def test_returns_rgb_for_every_colour_mode(image: Image.Image, fmt: str) -> None:
    result = load_photo(_encode(image, fmt))
    assert result.mode == "RGB"
    assert result.size == (50, 40)


def test_scales_16_bit_png_to_8_bit_grey() -> None:
    values = np.full((20, 30), 65535 // 2, dtype=np.uint16)
    result = load_photo(_encode(Image.fromarray(values), "PNG"))
    pixel = result.getpixel((0, 0))
    assert isinstance(pixel, tuple)
    assert abs(pixel[0] - 127) <= 1


def test_composites_transparent_pixels_on_white() -> None:
    transparent = Image.new("RGBA", (10, 10), (0, 0, 0, 0))
    assert load_photo(_encode(transparent, "PNG")).getpixel((5, 5)) == (255, 255, 255)


def test_takes_the_first_frame_of_an_animated_webp() -> None:
    frames = [Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:], lossless=True)
    pixel = load_photo(buffer.getvalue()).getpixel((8, 8))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200
    assert pixel[2] < 50
