"""Slimming drops exactly the listed wheel parts, keeps every other entry intact, and is idempotent.

That the real slimmed package still imports and classifies is checked on the package deploy.sh
uploads (tests/integration/deploy).
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from infra import slimming

KEPT = {
    "app.py": b"from chalice import Chalice\n",
    "chalicelib/ml/artifacts/image_model.npz": b"\x00" * 4096,
    "numpy/__init__.py": b"# numpy\n",
    "numpy/testing/__init__.py": b"# numpy.testing is imported by some numpy modules\n",
    "numpy/_core/_multiarray_umath.cpython-312-x86_64-linux-gnu.so": b"\x7fELF" + b"1" * 500,
    "PIL/_imaging.cpython-312-x86_64-linux-gnu.so": b"\x7fELF" + b"2" * 500,
    "PIL/_webp.cpython-312-x86_64-linux-gnu.so": b"\x7fELF" + b"3" * 500,
    "pillow.libs/libjpeg-6dc8d115.so.62.4.0": b"\x7fELF" + b"4" * 500,
    "pillow.libs/libwebp-51b0b3f7.so.7.2.0": b"\x7fELF" + b"5" * 500,
}
DROPPED = {
    "chalicelib/ml/artifacts/efficientnet_lite0_imagenet_head.npz": b"z" * 5000,
    "numpy/_core/tests/test_multiarray.py": b"x" * 5000,
    "numpy/random/tests/data/seed.csv": b"y" * 5000,
    "numpy/f2py/__init__.py": b"# f2py\n",
    "numpy/_core/include/numpy/ndarrayobject.h": b"/* header */\n",
    "PIL/_avif.cpython-312-x86_64-linux-gnu.so": b"\x7fELF" + b"6" * 5000,
    "PIL/_avif.pyi": b"",
    "pillow.libs/libavif-c6062d5f.so.16.4.2": b"\x7fELF" + b"7" * 5000,
    "PIL/_imagingft.cpython-312-x86_64-linux-gnu.so": b"\x7fELF" + b"8" * 5000,
    "pillow.libs/libfreetype-57f805ba.so.6.20.6": b"\x7fELF" + b"9" * 5000,
    "pillow.libs/libharfbuzz-fb49c9fc.so.0.61450.0": b"\x7fELF" + b"a" * 5000,
    "pillow.libs/libbrotlidec-7e5462ba.so.1.2.0": b"\x7fELF" + b"b" * 5000,
    "pillow.libs/libpng16-1d1ba958.so.16.58.0": b"\x7fELF" + b"c" * 5000,
}


def build(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 2, 3, 4, 6))
            info.external_attr = 0o755 << 16 if name.endswith(".so") else 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def test_only_the_unused_parts_are_dropped_and_the_rest_is_unchanged(tmp_path: Path) -> None:
    path = build(tmp_path / "deployment.zip", {**KEPT, **DROPPED})
    os.chmod(path, 0o644)

    saved = slimming.slim_zip("smartre", path)

    assert saved > 0
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(KEPT)
        for name, data in KEPT.items():
            assert archive.read(name) == data
            info = archive.getinfo(name)
            assert info.date_time == (2026, 1, 2, 3, 4, 6)
            assert info.external_attr >> 16 == (0o755 if name.endswith(".so") else 0o644)
    assert path.stat().st_mode & 0o777 == 0o644
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_slimming_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = build(tmp_path / "deployment.zip", {**KEPT, **DROPPED})
    slimming.slim_zip("smartre", path)
    content = path.read_bytes()

    assert slimming.slim_zip("smartre", path) == 0
    assert path.read_bytes() == content


def test_an_app_without_rules_keeps_its_whole_package(tmp_path: Path) -> None:
    path = build(tmp_path / "deployment.zip", {**KEPT, **DROPPED})
    content = path.read_bytes()

    assert slimming.slim_zip("repairapp", path) == 0
    assert path.read_bytes() == content


def test_the_zip_chalice_deploy_reuses_is_found_by_content(tmp_path: Path) -> None:
    cache = tmp_path / "smartre" / ".chalice" / "deployments"
    cache.mkdir(parents=True)
    other = build(cache / "0123-python3.12.zip", {"app.py": b"older\n"})
    source = build(cache / "4567-python3.12.zip", KEPT)
    built = tmp_path / "out" / "deployment.zip"
    built.parent.mkdir()
    built.write_bytes(source.read_bytes())

    assert slimming.cached_package(tmp_path / "smartre", built) == source
    assert other != source
    assert slimming.cached_package(tmp_path / "repairapp", built) is None


def test_repairapp_drops_icalendars_tests_but_keeps_the_library() -> None:
    assert slimming.unused("repairapp", "icalendar/tests/calendars/example.ics")
    assert not slimming.unused("repairapp", "icalendar/cal/calendar.py")
    assert not slimming.unused("repairapp", "chalicelib/ical.py")
