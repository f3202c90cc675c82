"""A corpus of hostile and awkward "photos", built in memory from one real photo.

Each entry says what a correct service answers: ``ACCEPTED`` (a 201 with the photo classified)
or the specific 4xx and ``Code`` SmartRe's photo rules give it. Files are crafted byte by byte
where Pillow would refuse to write them (headers that lie, bombs, polyglots), and with Pillow
where it writes what we want (CMYK, 16-bit, animations, EXIF orientation).
"""

from __future__ import annotations

import functools
import io
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from PIL import Image

ACCEPTED = (201, None)
EMPTY = (400, "EmptyImage")
CORRUPT = (422, "CorruptImage")
UNSUPPORTED = (415, "UnsupportedImageType")
TOO_MANY_PIXELS = (413, "TooManyPixels")
TOO_LARGE = (413, "ImageTooLarge")
MAX_PHOTO_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class HostilePhoto:
    name: str
    build: Callable[[bytes], bytes]  # from the real photo's bytes
    expected: tuple[int, str | None]
    content_type: str = "image/jpeg"  # the upload slot asked for (what the browser would claim)
    filename: str = "photo.jpg"


# --- byte-level builders ----------------------------------------------------------------------
def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload) & 0xFFFFFFFF)
    )


def png(
    width: int,
    height: int,
    *,
    rows: Iterator[bytes] | None = None,
    extra: tuple[bytes, ...] = (),
    bit_depth: int = 8,
    colour_type: int = 2,
) -> bytes:
    """A PNG streamed row by row, so a huge image costs the test no memory to build."""
    channels = {0: 1, 2: 3, 6: 4}[colour_type]
    row_bytes = width * channels * bit_depth // 8
    blank = b"\x00" + b"\x80" * row_bytes
    compressor = zlib.compressobj(9)
    body = bytearray()
    for row in rows if rows is not None else (blank for _ in range(height)):
        body += compressor.compress(row)
    body += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            *extra,
            _chunk(b"IDAT", bytes(body)),
            _chunk(b"IEND", b""),
        )
    )


def _ztxt_bomb(expanded_bytes: int) -> bytes:
    """A zTXt chunk that inflates to ``expanded_bytes`` of text (a metadata bomb)."""
    compressor = zlib.compressobj(9)
    block = b"A" * (1 << 20)
    data = bytearray()
    for _ in range(expanded_bytes // len(block)):
        data += compressor.compress(block)
    data += compressor.flush()
    return _chunk(b"zTXt", b"Comment\x00\x00" + bytes(data))


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _frames(size: tuple[int, int]) -> list[Image.Image]:
    return [
        Image.new("RGB", size, colour) for colour in ((200, 30, 30), (30, 200, 30), (30, 30, 200))
    ]


def exif_rotated(real_jpeg: bytes) -> bytes:
    """The photo stored sideways with EXIF Orientation 6 ("rotate 90 degrees clockwise")."""
    upright = Image.open(io.BytesIO(real_jpeg)).convert("RGB")
    sideways = upright.transpose(Image.Transpose.ROTATE_90)  # counter-clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    return _encode(sideways, "JPEG", quality=95, exif=exif.tobytes())


def _break_crc(data: bytes) -> bytes:
    # The IHDR chunk's CRC sits at bytes 29..32 of every PNG.
    return data[:29] + bytes(b ^ 0xFF for b in data[29:33]) + data[33:]


def _zero_height_jpeg(data: bytes) -> bytes:
    """Set the SOF0 frame's height to 0 (a header field no decoder can honour)."""
    sof = data.index(b"\xff\xc0")
    return data[: sof + 5] + b"\x00\x00" + data[sof + 7 :]


def _jpeg_zip_polyglot(real_jpeg: bytes) -> bytes:
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("index.html", "<script>alert(document.cookie)</script>")
    return real_jpeg + archive.getvalue()


# --- the corpus -------------------------------------------------------------------------------
@functools.cache
def _rgb(real_jpeg: bytes) -> Image.Image:
    return Image.open(io.BytesIO(real_jpeg)).convert("RGB")


def _animation(fmt: str) -> bytes:
    first, *rest = _frames((64, 64))
    return _encode(first, fmt, save_all=True, append_images=rest)


def _sixteen_bit_gray(j: bytes) -> bytes:
    rows = (b"\x00" + struct.pack(">H", 257 * y) * 48 for y in range(48))
    return png(48, 48, rows=rows, bit_depth=16, colour_type=0)


H = HostilePhoto
PNG, WEBP = "image/png", "image/webp"
CORPUS: tuple[HostilePhoto, ...] = (
    H("zero-byte", lambda j: b"", EMPTY),
    H("truncated JPEG", lambda j: j[: len(j) // 2], CORRUPT),
    H("JPEG header only", lambda j: j[:200], CORRUPT),
    H("JPEG magic then noise", lambda j: b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40, CORRUPT),
    H(
        "JPEG with a zero-height frame",
        lambda j: _zero_height_jpeg(_encode(Image.new("RGB", (64, 64), "gray"), "JPEG")),
        CORRUPT,
    ),
    H("PNG with a broken checksum", lambda j: _break_crc(_encode(_rgb(j), "PNG")), CORRUPT, PNG),
    H("truncated WebP", lambda j: _encode(_rgb(j), "WEBP")[:300], CORRUPT, WEBP, "photo.webp"),
    # Polyglots: a real JPEG that is also a ZIP archive carrying HTML (a photo), and a GIF that
    # is also JavaScript (not a type SmartRe accepts).
    H("JPEG + ZIP + HTML polyglot", _jpeg_zip_polyglot, ACCEPTED),
    H(
        "GIF/JavaScript polyglot",
        lambda j: b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(document.domain)//;",
        UNSUPPORTED,
        PNG,
    ),
    H(
        "PNG carrying a script in a text chunk",
        lambda j: png(32, 32, extra=(_chunk(b"tEXt", b"Comment\x00<script>alert(1)</script>"),)),
        ACCEPTED,
        PNG,
        "photo.png",
    ),
    # Sizes and bombs: the pixel cap (50 MP) is checked from the header, before decoding.
    H(
        "PNG header claiming 100000 x 100000",
        lambda j: png(100_000, 100_000, rows=iter([b"\x00" * 300_001])),
        TOO_MANY_PIXELS,
        PNG,
    ),
    H(
        "PNG decompression bomb: 9000 x 9000 (81 MP) in 250 KB",
        lambda j: png(9000, 9000),
        TOO_MANY_PIXELS,
        PNG,
    ),
    H("PNG just under the pixel cap: 7000 x 7000", lambda j: png(7000, 7000), ACCEPTED, PNG),
    H(
        "JPEG of 8000 x 6000 (48 MP)",
        lambda j: _encode(Image.new("RGB", (8000, 6000), (120, 110, 100)), "JPEG", quality=50),
        ACCEPTED,
    ),
    # Pillow refuses text chunks that inflate past 1 MB (PngImagePlugin.MAX_TEXT_CHUNK).
    H(
        "PNG with a 64 MB zTXt metadata bomb",
        lambda j: png(64, 64, extra=(_ztxt_bomb(64 << 20),)),
        CORRUPT,
        PNG,
    ),
    H("1 x 20000 strip", lambda j: png(1, 20_000), ACCEPTED, PNG, "photo.png"),
    H("1 x 1 pixel", lambda j: png(1, 1), ACCEPTED, PNG, "photo.png"),
    H("over 10 MB", lambda j: j + b"\x00" * (MAX_PHOTO_BYTES + 1 - len(j)), TOO_LARGE),
    # Animation: the first frame of an animated WebP or APNG is a photo; GIF is refused.
    H("animated GIF", lambda j: _animation("GIF"), UNSUPPORTED, PNG, "photo.gif"),
    H("animated WebP", lambda j: _animation("WEBP"), ACCEPTED, WEBP, "photo.webp"),
    H("animated PNG (APNG)", lambda j: _animation("PNG"), ACCEPTED, PNG, "photo.png"),
    # Colour modes a camera or an editor can produce.
    H("CMYK JPEG", lambda j: _encode(_rgb(j).convert("CMYK"), "JPEG"), ACCEPTED),
    H("16-bit grayscale PNG", _sixteen_bit_gray, ACCEPTED, PNG, "photo.png"),
    H(
        "16-bit RGBA PNG",
        lambda j: png(32, 32, bit_depth=16, colour_type=6),
        ACCEPTED,
        PNG,
        "photo.png",
    ),
    H(
        "palette PNG with transparency",
        lambda j: _encode(
            _rgb(j).convert("P", palette=Image.Palette.ADAPTIVE), "PNG", transparency=0
        ),
        ACCEPTED,
        PNG,
        "photo.png",
    ),
    H("grayscale JPEG", lambda j: _encode(_rgb(j).convert("L"), "JPEG"), ACCEPTED),
    H("progressive JPEG", lambda j: _encode(_rgb(j), "JPEG", progressive=True), ACCEPTED),
    H("EXIF-rotated JPEG", lambda j: exif_rotated(j), ACCEPTED),
    # Names and types that lie.
    H("JPEG named .heic", lambda j: j, ACCEPTED, filename="IMG_0001.HEIC"),
    H(
        "HEIC (ISO-BMFF ftyp heic)",
        lambda j: struct.pack(">I", 24) + b"ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
        UNSUPPORTED,
        filename="IMG_0002.HEIC",
    ),
    H(
        "SVG with a script",
        lambda j: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        UNSUPPORTED,
        PNG,
        "photo.svg",
    ),
    H("plain text", lambda j: b"This is not a photo of my kettle.\n" * 10, UNSUPPORTED),
    H("BMP", lambda j: _encode(_rgb(j), "BMP"), UNSUPPORTED, PNG, "photo.bmp"),
    H("TIFF", lambda j: _encode(_rgb(j), "TIFF"), UNSUPPORTED, PNG, "photo.tif"),
    H("HTML page", lambda j: b"<!doctype html><script>alert(1)</script>", UNSUPPORTED, WEBP),
)
