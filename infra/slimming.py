"""Drop the parts of the dependency wheels a Lambda never loads from its deployment zip.

Chalice has no exclude option: it zips whole wheels. For SmartRe that is numpy's own test suite,
f2py and C headers, and Pillow's AVIF, font (FreeType/HarfBuzz) and Tk extensions with the
shared libraries only those extensions link, and the photo network's ImageNet classifier (the
service reads the network's features; only the tests use ImageNet's classes). The service decodes
JPEG, PNG and WebP only
(``chalicelib.ml.photo`` opens images with ``formats=[...]``) and never draws text, so none of
these can be imported by a request. Everything else is left as the wheel shipped it, so the
package check (``infra.packaging``) still traces every native library to its wheel.

The zip Chalice caches under ``.chalice/deployments/`` is rewritten in place; ``chalice deploy``
reuses that cached zip as long as requirements, app code and ``vendor/`` are unchanged, so the
upload is the slimmed package. Rewriting an already slimmed zip changes nothing.
"""

from __future__ import annotations

import fnmatch
import os
import tempfile
import zipfile
from pathlib import Path

# Paths inside the zip, as fnmatch patterns ("*" also crosses "/").
UNUSED_AT_RUNTIME: dict[str, tuple[str, ...]] = {
    "smartre": (
        "numpy/*/tests/*",
        "numpy/f2py/*",
        "numpy/_core/include/*",
        "numpy/_pyinstaller/*",
        "PIL/_avif.*",
        "pillow.libs/libavif-*",
        "PIL/_imagingft.*",
        "pillow.libs/libfreetype-*",
        "pillow.libs/libharfbuzz-*",
        "pillow.libs/libbrotli*",
        "pillow.libs/libpng16-*",  # only FreeType links it; Pillow's PNG codec uses zlib
        "PIL/_imagingtk.*",
        # EfficientNet's ImageNet classifier: only the tests use it (the service reads features)
        "chalicelib/ml/artifacts/efficientnet_lite0_imagenet_head.npz",
    ),
    # icalendar's own test suite (3.3 MB unzipped) ships in its wheel; the .ics route never
    # imports it (docs/events.md).
    "repairapp": ("icalendar/tests/*",),
}


def unused(app: str, name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in UNUSED_AT_RUNTIME.get(app, ()))


def slim_zip(app: str, path: Path) -> int:
    """Rewrite ``path`` without ``app``'s unused entries; return how many bytes of zip it saved."""
    with zipfile.ZipFile(path) as source:
        keep = [info for info in source.infolist() if not unused(app, info.filename)]
        if len(keep) == len(source.infolist()):
            return 0
        before = path.stat()
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".zip")
        os.close(handle)
        try:
            with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
                for info in keep:
                    # The ZipInfo carries over each entry's name, date and permissions.
                    with source.open(info) as data:
                        target.writestr(info, data.read(), compress_type=info.compress_type)
            os.chmod(temporary, before.st_mode)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.remove(temporary)
    return before.st_size - path.stat().st_size


def cached_package(project_dir: Path, built: Path) -> Path | None:
    """The zip in Chalice's cache that ``built`` (a ``chalice package`` output) was copied from."""
    cache = project_dir / ".chalice" / "deployments"
    if not cache.is_dir():
        return None
    content = built.read_bytes()
    for candidate in cache.glob("*.zip"):
        if candidate.stat().st_size == len(content) and candidate.read_bytes() == content:
            return candidate
    return None
