"""The package check refuses what must not reach Lambda, from the zip itself."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from infra import packaging
from infra.chalice_project import check_ml_memory, function_settings, load_config

X86_64_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 11 + (62).to_bytes(2, "little") + b"\x00" * 8
ARM64_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 11 + (183).to_bytes(2, "little") + b"\x00" * 8


def wheel(dist: str, tag: str, files: dict[str, bytes]) -> dict[str, bytes]:
    record = "".join(f"{name},,\n" for name in files)
    return {
        **files,
        f"{dist}.dist-info/WHEEL": f"Wheel-Version: 1.0\nTag: {tag}\n".encode(),
        f"{dist}.dist-info/RECORD": record.encode(),
    }


def package(tmp_path: Path, *contents: dict[str, bytes]) -> Path:
    path = tmp_path / "deployment.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("app.py", "from chalice import Chalice\n")
        for files in contents:
            for name, data in files.items():
                archive.writestr(name, data)
    return path


def test_manylinux_wheels_pass(tmp_path: Path) -> None:
    path = package(
        tmp_path,
        wheel(
            "numpy-2.5.5",
            "cp312-cp312-manylinux_2_28_x86_64",
            {"numpy/_core/_multiarray.cpython-312-x86_64-linux-gnu.so": X86_64_ELF},
        ),
        wheel("pyjwt-2.15.1", "py3-none-any", {"jwt/__init__.py": b""}),
    )

    facts = packaging.inspect_package("smartre", path)

    assert facts.problems == []
    assert facts.native_libraries == 1
    assert 0 < facts.zipped_bytes < facts.unzipped_bytes * 10


def test_a_wheel_built_for_this_machine_is_refused(tmp_path: Path) -> None:
    path = package(
        tmp_path,
        wheel(
            "cffi-2.1.1",
            "cp312-cp312-linux_x86_64",
            {"_cffi_backend.cpython-312-x86_64-linux-gnu.so": X86_64_ELF},
        ),
    )

    facts = packaging.inspect_package("repairapp", path)

    assert facts.problems == [
        "cffi-2.1.1: built for this machine (cp312-cp312-linux_x86_64), not from a manylinux wheel"
    ]


def test_native_code_outside_any_wheel_or_for_another_cpu_is_refused(tmp_path: Path) -> None:
    path = package(
        tmp_path,
        {"vendor_lib/fast.so": X86_64_ELF},
        wheel(
            "pillow-13.0.0",
            "cp312-cp312-manylinux_2_28_aarch64",
            {"PIL/_imaging.cpython-312-aarch64-linux-gnu.so": ARM64_ELF},
        ),
    )

    problems = packaging.inspect_package("smartre", path).problems

    assert "vendor_lib/fast.so: native library from no wheel" in problems
    assert "PIL/_imaging.cpython-312-aarch64-linux-gnu.so: ELF machine 183, not x86-64" in problems


def test_chalice_s_missing_dependency_warning_is_refused(tmp_path: Path) -> None:
    output = (
        "Creating deployment package.\n\nCould not install dependencies:\nsomepkg==1.0\n"
        "You will have to build these yourself and vendor them in\nthe chalice vendor folder.\n"
    )

    facts = packaging.inspect_package("smartre", package(tmp_path), output)

    assert facts.problems == ["Chalice found no Lambda-compatible wheel for: somepkg==1.0"]


def test_a_package_over_the_upload_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = package(tmp_path, {"model.bin": bytes(range(256)) * 64})
    monkeypatch.setattr(packaging, "ZIPPED_LIMIT_BYTES", path.stat().st_size - 1)

    problems = packaging.inspect_package("smartre", path).problems

    assert [p.split(" is ")[0] for p in problems] == ["zipped package"]
    assert problems[0].endswith("over Lambda's 50 MB upload limit")


def test_function_settings_follow_chalice_precedence() -> None:
    config = {
        "lambda_memory_size": 256,
        "lambda_functions": {"task": {"lambda_memory_size": 1024}},
        "stages": {
            "prod": {"lambda_memory_size": 512, "lambda_functions": {"task": {"lambda_timeout": 9}}}
        },
    }

    assert function_settings(config, "dev", "task").memory_mb == 1024
    assert function_settings(config, "prod", "api_handler").memory_mb == 512
    assert function_settings(config, "prod", "task").timeout_s == 9


def test_the_ml_tasks_are_sized_as_benchmarked() -> None:
    assert check_ml_memory(load_config("smartre"), "prod") == []
    config = {"lambda_functions": {"classify_image": {"lambda_memory_size": 3008}}}
    assert check_ml_memory(config, "prod") == [
        "smartre classify_image: 3008 MB, expected 512-1024 MB",
        "smartre assess_repair: 128 MB, expected 512-1024 MB",
    ]
