"""The apps ship the shared package exactly as it is in the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("app", ["smartre", "repairapp"])
def test_vendored_repaircore_is_identical_to_the_source(app: str) -> None:
    source = {
        p.relative_to(REPO / "repaircore"): p.read_bytes()
        for p in (REPO / "repaircore").rglob("*.py")
    }
    vendored_root = REPO / app / "vendor" / "repaircore"
    vendored = {p.relative_to(vendored_root): p.read_bytes() for p in vendored_root.rglob("*.py")}

    assert vendored == source, "run `make vendor`"
