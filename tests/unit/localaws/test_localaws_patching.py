"""The patch helper refuses to hook what moto no longer has, and can undo everything."""

from __future__ import annotations

import pytest

from localaws.patches._patching import (
    PatchTargetMissingError,
    is_replaced,
    original,
    replace_attribute,
    restore_all,
)


class Base:
    def greet(self) -> str:
        return "base"


class Child(Base):
    def own(self) -> str:
        return "own"


def test_patching_a_missing_attribute_fails_loudly(unpatch_after: None) -> None:
    with pytest.raises(PatchTargetMissingError, match=r"Child\.vanished"):
        replace_attribute(Child, "vanished", lambda self: None)


def test_restore_all_brings_back_own_and_inherited_attributes(unpatch_after: None) -> None:
    replace_attribute(Child, "own", lambda self: "patched own")
    replace_attribute(Child, "greet", lambda self: "patched greet")
    assert Child().own() == "patched own"
    assert Child().greet() == "patched greet"

    restore_all()

    assert Child().own() == "own"
    assert Child().greet() == "base"
    assert "greet" not in vars(Child)


def test_original_survives_repeated_patching(unpatch_after: None) -> None:
    replace_attribute(Child, "own", lambda self: "first")
    replace_attribute(Child, "own", lambda self: "second")
    assert original(Child, "own")(Child()) == "own"
    assert original(Child, "greet")(Child()) == "base"
    assert is_replaced(Child, "own")
