"""The deployment zip carries bytecode Python really loads, for this interpreter, added once."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from infra import bytecode

TAG = sys.implementation.cache_tag


def build(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


SOURCES = {
    "app.py": "from lib.answer import ANSWER\n",
    "lib/__init__.py": "",
    "lib/answer.py": "ANSWER = 'from the package'\n",
    "lib/legacy_fixture.py": "print 'python 2'\n",  # a wheel's test data: not Python 3
    "lib/data.json": "{}\n",
}


def test_every_module_gets_its_bytecode_and_unparseable_sources_are_left_alone(
    tmp_path: Path,
) -> None:
    path = build(
        tmp_path / f"abc-python{sys.version_info.major}.{sys.version_info.minor}.zip", SOURCES
    )

    assert bytecode.add_bytecode(path) == 3

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {
        f"__pycache__/app.{TAG}.pyc",
        f"lib/__pycache__/__init__.{TAG}.pyc",
        f"lib/__pycache__/answer.{TAG}.pyc",
    } <= names
    assert f"lib/__pycache__/legacy_fixture.{TAG}.pyc" not in names
    assert set(SOURCES) <= names


def test_python_loads_the_shipped_bytecode_without_checking_the_source(tmp_path: Path) -> None:
    path = build(tmp_path / "package.zip", SOURCES)
    bytecode.add_bytecode(path)
    unpacked = tmp_path / "task"
    with zipfile.ZipFile(path) as archive:
        archive.extractall(unpacked)
    # A changed source with a fresh timestamp: only unchecked bytecode still answers the old text.
    (unpacked / "lib" / "answer.py").write_text("ANSWER = 'compiled from source'\n")

    result = subprocess.run(
        [sys.executable, "-c", "import app, lib.answer; print(lib.answer.ANSWER)"],
        cwd=unpacked,
        env={**os.environ, "PYTHONPATH": str(unpacked), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == "from the package"


def test_adding_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = build(tmp_path / "package.zip", SOURCES)
    bytecode.add_bytecode(path)
    content = path.read_bytes()

    assert bytecode.add_bytecode(path) == 0
    assert path.read_bytes() == content


def test_only_a_package_built_for_this_python_gets_its_bytecode() -> None:
    this = f"python{sys.version_info.major}.{sys.version_info.minor}"
    other = f"python{sys.version_info.major}.{sys.version_info.minor + 1}"

    assert bytecode.matches_this_interpreter(Path(f"0a1b-{this}.zip"))
    assert bytecode.matches_this_interpreter(Path(f"0a1b-{this}-arm64.zip"))
    assert not bytecode.matches_this_interpreter(Path(f"0a1b-{other}.zip"))
