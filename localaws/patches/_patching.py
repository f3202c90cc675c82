"""Replace an attribute of a moto class or module, remembering the original so it can be undone.

Every patch goes through `replace_attribute`, which refuses to patch an attribute that does not
exist: a moto upgrade that renames what we hook fails at start-up with a clear message instead of
silently running moto's own (Docker-based, or unimplemented) code path.
"""

from __future__ import annotations

import threading
from typing import Any

_MISSING: Any = object()
_originals: dict[tuple[int, str], tuple[object, str, Any]] = {}
_lock = threading.Lock()


class PatchTargetMissingError(RuntimeError):
    """The moto attribute a patch hooks is gone: moto changed, the patch needs revisiting."""


def replace_attribute(owner: object, name: str, new: Any, *, must_exist: bool = True) -> None:
    """Set `owner.name = new`, keeping the first original value for `restore_all`."""
    if must_exist and not hasattr(owner, name):
        raise PatchTargetMissingError(
            f"{getattr(owner, '__qualname__', owner)!s}.{name} no longer exists: the pinned moto "
            "changed and the localaws patch for it must be revisited"
        )
    # Only the owner's own attribute is saved: an inherited one is restored by deleting ours.
    own = vars(owner).get(name, _MISSING)
    with _lock:
        _originals.setdefault((id(owner), name), (owner, name, own))
    setattr(owner, name, new)


def original(owner: object, name: str) -> Any:
    """The value `owner.name` had before localaws replaced it (the current value if unpatched)."""
    with _lock:
        saved = _originals.get((id(owner), name))
    if saved is None:
        return getattr(owner, name)
    if saved[2] is not _MISSING:
        return saved[2]
    bases = owner.__mro__[1:] if isinstance(owner, type) else ()
    for base in bases:
        if name in vars(base):
            return vars(base)[name]
    raise AttributeError(name)


def is_replaced(owner: object, name: str) -> bool:
    with _lock:
        return (id(owner), name) in _originals


def restore_all() -> None:
    """Undo every patch (for in-process tests that must leave moto as they found it)."""
    with _lock:
        saved = list(_originals.values())
        _originals.clear()
    for owner, name, value in reversed(saved):
        if value is _MISSING:
            delattr(owner, name)
        else:
            setattr(owner, name, value)
