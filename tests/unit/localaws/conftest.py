"""In-process moto for the patch tests, always left unpatched afterwards."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator

import pytest

from localaws.patches import restore_all


@pytest.fixture
def unpatch_after() -> Iterator[None]:
    """Patches applied inside the test are undone, so no other test sees a patched moto."""
    yield
    restore_all()


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture
def make_zip() -> Callable[[dict[str, str]], bytes]:
    """Build a deployment package from {path: source}."""
    return zip_of
