"""Check each app's Lambda package before anything is uploaded.

``chalice package`` builds the same zip ``chalice deploy`` uploads (Chalice caches it by content
under ``.chalice/deployments/``). Three things must fail the deploy here, not in Lambda:
- the zip is over Lambda's 50 MB direct-upload limit (or the 250 MB unzipped limit);
- Chalice could not find a Lambda-compatible wheel and says so ("Could not install
  dependencies") — it continues anyway and the function fails at import;
- a dependency was built from an sdist on this machine: Chalice accepts ``linux_x86_64`` wheels
  it built locally, which link against this machine's libraries, not Amazon Linux's. Every
  native library in the zip must come from a manylinux (or musllinux) wheel, per the
  ``*.dist-info/WHEEL`` tags of the distribution whose RECORD lists it, and be an x86-64 ELF.
Before the checks, the parts of the wheels no request can load are dropped (``infra.slimming``)
and compiled bytecode is added, so a cold start does not compile from source (``infra.bytecode``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from infra.app_config import REPO_ROOT
from infra.bytecode import add_bytecode, matches_this_interpreter
from infra.slimming import cached_package, slim_zip

MB = 1024 * 1024
ZIPPED_LIMIT_BYTES = 50 * MB
UNZIPPED_LIMIT_BYTES = 250 * MB
MISSING_DEPENDENCIES = "Could not install dependencies"
PORTABLE_PLATFORMS = ("manylinux", "musllinux", "any")
# Chalice deploys x86_64 functions unless told otherwise; the ELF machine code of x86-64.
ELF_MACHINE_X86_64 = 62
_NATIVE = re.compile(r"\.so(\.\d+)*$")


class PackageError(RuntimeError):
    """A package must not be uploaded."""


@dataclass
class PackageFacts:
    app: str
    path: Path
    zipped_bytes: int = 0
    unzipped_bytes: int = 0
    wheel_tags: dict[str, list[str]] = field(default_factory=dict)
    native_libraries: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.app:<10} {self.zipped_bytes / MB:6.1f} MB zipped "
            f"{self.unzipped_bytes / MB:7.1f} MB unzipped  "
            f"{len(self.wheel_tags)} distributions, {self.native_libraries} native libraries"
        )


def platforms(tags: list[str]) -> set[str]:
    """The platform parts of wheel tags like ``cp312-cp312-manylinux_2_17_x86_64``."""
    found = set()
    for tag in tags:
        for platform in tag.split("-")[-1].split("."):
            found.add(platform)
    return found


def is_portable(tags: list[str]) -> bool:
    return all(p.startswith(PORTABLE_PLATFORMS) for p in platforms(tags)) and bool(tags)


def _wheel_tags(text: str) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("Tag:")]


def _elf_machine(header: bytes) -> int | None:
    if len(header) < 20 or not header.startswith(b"\x7fELF"):
        return None
    # EI_DATA (byte 5) is 1 for little-endian files.
    return int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")


def inspect_package(app: str, path: Path, chalice_output: str = "") -> PackageFacts:
    facts = PackageFacts(app=app, path=path, zipped_bytes=path.stat().st_size)
    owners: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        facts.unzipped_bytes = sum(info.file_size for info in infos)
        for info in infos:
            top, _, name = info.filename.partition("/")
            if not top.endswith(".dist-info"):
                continue
            dist = top.removesuffix(".dist-info")
            if name == "WHEEL":
                facts.wheel_tags[dist] = _wheel_tags(archive.read(info).decode())
            elif name == "RECORD":
                for row in csv.reader(io.StringIO(archive.read(info).decode())):
                    if row:
                        owners[row[0]] = dist
        for info in infos:
            if not _NATIVE.search(info.filename):
                continue
            facts.native_libraries += 1
            owner = owners.get(info.filename)
            if owner is None:
                facts.problems.append(f"{info.filename}: native library from no wheel")
            elif not is_portable(facts.wheel_tags.get(owner, [])):
                tags = ", ".join(facts.wheel_tags.get(owner, [])) or "no tags"
                facts.problems.append(
                    f"{owner}: built for this machine ({tags}), not from a manylinux wheel"
                )
            with archive.open(info) as library:
                machine = _elf_machine(library.read(20))
            if machine is not None and machine != ELF_MACHINE_X86_64:
                facts.problems.append(f"{info.filename}: ELF machine {machine}, not x86-64")
    # One problem per distribution is enough to act on.
    facts.problems = list(dict.fromkeys(facts.problems))
    if facts.zipped_bytes > ZIPPED_LIMIT_BYTES:
        facts.problems.append(
            f"zipped package is {facts.zipped_bytes / MB:.1f} MB, over Lambda's 50 MB upload limit"
        )
    if facts.unzipped_bytes > UNZIPPED_LIMIT_BYTES:
        facts.problems.append(
            f"unzipped package is {facts.unzipped_bytes / MB:.1f} MB, over Lambda's 250 MB limit"
        )
    if MISSING_DEPENDENCIES in chalice_output:
        missing = chalice_output.split(MISSING_DEPENDENCIES, 1)[1].split("You will have", 1)[0]
        names = ", ".join(line.strip(" :") for line in missing.splitlines() if line.strip(" :"))
        facts.problems.append(f"Chalice found no Lambda-compatible wheel for: {names}")
    return facts


def chalice_command() -> str:
    return str(Path(sys.executable).with_name("chalice"))


def package_app(
    app: str,
    stage: str,
    out_dir: Path,
    env: Mapping[str, str] | None = None,
    root: Path = REPO_ROOT,
) -> PackageFacts:
    """Run ``chalice package`` for ``app`` into ``out_dir`` and inspect the zip it builds."""
    out_dir.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [chalice_command(), "package", "--stage", stage, str(out_dir.resolve())],
        cwd=root / app,
        env=dict(env if env is not None else os.environ),
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        raise PackageError(f"chalice package failed for {app}:\n{output.strip()}")
    built = out_dir / "deployment.zip"
    cached = cached_package(root / app, built)
    package = cached or built  # the cached zip is the one `chalice deploy` goes on to upload
    slim_zip(app, package)
    if matches_this_interpreter(package):
        add_bytecode(package)
    if package != built:
        shutil.copyfile(package, built)
    return inspect_package(app, built, output)
