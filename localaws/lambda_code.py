"""Unpacked Lambda deployment packages, one directory per code SHA-256.

moto keeps a function's zip in memory; a worker needs it on disk. Keying the directory by the
code's hash makes extraction happen once per code version (a warm restart of the emulator reuses
it) and lets several functions that share one package (a Chalice app's handlers) share one copy.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path


class CodeCache:
    def __init__(self, root: Path) -> None:
        self._root = root
        self._lock = threading.Lock()

    def directory_for(self, code_sha256_hex: str, zip_bytes: bytes) -> Path:
        """The unpacked code for this hash, extracting `zip_bytes` the first time it is seen."""
        target = self._root / code_sha256_hex
        with self._lock:
            if target.is_dir():
                return target
            self._root.mkdir(parents=True, exist_ok=True)
            # Unpack beside the target and rename, so a crash never leaves a half-written package
            # that later invocations would trust.
            staging = Path(tempfile.mkdtemp(prefix=f".{code_sha256_hex[:12]}-", dir=self._root))
            try:
                _extract(zip_bytes, staging)
                staging.rename(target)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        return target


def _extract(zip_bytes: bytes, destination: Path) -> None:
    root = destination.resolve()
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        for member in archive.infolist():
            path = (root / member.filename).resolve()
            if not path.is_relative_to(root):
                raise ValueError(f"zip member escapes the package: {member.filename!r}")
            archive.extract(member, root)
            mode = member.external_attr >> 16
            if mode and not member.is_dir():
                path.chmod(mode & 0o777 | 0o600)
