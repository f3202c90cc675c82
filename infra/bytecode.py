"""Ship compiled bytecode (``__pycache__/*.pyc``) inside a Lambda deployment zip.

Lambda unpacks the zip to a read-only ``/var/task``, so Python cannot cache what it compiles:
every cold start compiles numpy, Pillow, Chalice and the app from source again (SmartRe's import
takes ~0.65 s that way against ~0.11 s from bytecode, ``python -m bench ml``). Chalice zips no
bytecode, so it is added here, compiled by this interpreter, which is the one Chalice took the
Lambda runtime from (``python3.12`` → ``-python3.12.zip``; bytecode is valid for every 3.12.x).
The files use unchecked-hash invalidation (PEP 552): Python loads them without comparing the
source's timestamp, which a zip does not carry reliably. They cannot go stale: any change to the
code or the requirements makes Chalice build a new zip, which is compiled afresh.
"""

from __future__ import annotations

import os
import py_compile
import sys
import tempfile
import zipfile
from pathlib import Path

_RUNTIME_SUFFIX = f"-python{sys.version_info.major}.{sys.version_info.minor}"


def bytecode_name(source: str) -> str:
    """Where Python looks for the bytecode of ``source`` (a path inside the zip)."""
    folder, _, filename = source.rpartition("/")
    cached = f"__pycache__/{filename[:-3]}.{sys.implementation.cache_tag}.pyc"
    return f"{folder}/{cached}" if folder else cached


def matches_this_interpreter(path: Path) -> bool:
    """Whether Chalice built ``path`` for this interpreter's Python version."""
    return path.stem.endswith((_RUNTIME_SUFFIX, f"{_RUNTIME_SUFFIX}-arm64"))


def add_bytecode(path: Path) -> int:
    """Add the missing ``.pyc`` of every ``.py`` in the zip; return how many were added."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        sources = [n for n in sorted(names) if n.endswith(".py") and bytecode_name(n) not in names]
        if not sources:
            return 0
        with tempfile.TemporaryDirectory() as scratch:
            compiled = []
            for name in sources:
                source = Path(scratch, "src", name)
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(archive.read(name))
                target = Path(scratch, "pyc", bytecode_name(name))
                try:
                    py_compile.compile(
                        str(source),
                        cfile=str(target),
                        dfile=name,  # what tracebacks show
                        doraise=True,
                        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                    )
                except py_compile.PyCompileError:
                    continue  # e.g. a wheel's Python-2 test fixture: Python would not import it
                compiled.append((bytecode_name(name), target.read_bytes()))
    mode = path.stat().st_mode
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, data in compiled:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    os.chmod(path, mode)
    return len(compiled)
