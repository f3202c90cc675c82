"""The whole local stack (`make run`'s), started once per test session on free ports."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from localaws.stack import LocalStack, StackPorts


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    state: Path = tmp_path_factory.mktemp("stack")
    with LocalStack(StackPorts.free(), state_dir=state, quiet=True) as running:
        yield running
