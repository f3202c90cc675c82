"""The legacy-format weights reader: reads a state dict's tensors without torch, refuses any
global a state dict does not need, and the export folds batch norm exactly."""

from __future__ import annotations

import io
import os
import pickle
import struct
import sys
import types
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from training.backbone import BN_EPSILON, _fold, _pointwise
from training.torch_weights import (
    LEGACY_MAGIC,
    LEGACY_PROTOCOL,
    UnsafeWeightsFile,
    read_state_dict,
)


class _Storage:
    def __init__(self, key: str, data: np.ndarray) -> None:
        self.key, self.data = key, data


@pytest.fixture
def fake_torch(monkeypatch: pytest.MonkeyPatch) -> types.SimpleNamespace:
    """Modules named like torch's, so the pickler writes the globals a real file has."""
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    class FloatStorage:
        pass

    class LongStorage:
        pass

    def _rebuild_tensor_v2(*args: Any) -> None:
        raise AssertionError("never called while writing")

    for obj, module in (
        (FloatStorage, "torch"),
        (LongStorage, "torch"),
        (_rebuild_tensor_v2, "torch._utils"),
    ):
        obj.__module__, obj.__qualname__ = module, obj.__name__
    torch.FloatStorage, torch.LongStorage = FloatStorage, LongStorage  # type: ignore[attr-defined]
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "torch", torch)
    monkeypatch.setitem(sys.modules, "torch._utils", utils)
    return types.SimpleNamespace(
        FloatStorage=FloatStorage, LongStorage=LongStorage, rebuild=_rebuild_tensor_v2
    )


def _header() -> bytes:
    info = {"protocol_version": LEGACY_PROTOCOL, "little_endian": True, "type_sizes": {}}
    return b"".join(pickle.dumps(x, protocol=2) for x in (LEGACY_MAGIC, LEGACY_PROTOCOL, info))


def _legacy_file(fake: types.SimpleNamespace, tensors: dict[str, np.ndarray]) -> bytes:
    """A file laid out the way torch.save(..., _use_new_zipfile_serialization=False) writes."""
    storages: list[_Storage] = []

    class Tensor:
        def __init__(self, storage: _Storage, shape: tuple[int, ...]) -> None:
            self.storage, self.shape = storage, shape

        def __reduce__(self) -> tuple[Any, ...]:
            stride = tuple(int(np.prod(self.shape[i + 1 :])) for i in range(len(self.shape)))
            return (fake.rebuild, (self.storage, 0, self.shape, stride, False, OrderedDict()))

    state = OrderedDict()
    for name, value in tensors.items():
        storage = _Storage(str(len(storages)), value.ravel())
        storages.append(storage)
        state[name] = Tensor(storage, value.shape)

    class Pickler(pickle.Pickler):
        def persistent_id(self, obj: Any) -> Any:
            if isinstance(obj, _Storage):
                kind = fake.FloatStorage if obj.data.dtype == np.float32 else fake.LongStorage
                return ("storage", kind, obj.key, "cpu", obj.data.size, None)
            return None

    body = io.BytesIO()
    Pickler(body, protocol=2).dump(state)
    data = [struct.pack("<q", s.data.size) + s.data.tobytes() for s in storages]
    keys = pickle.dumps([s.key for s in storages], protocol=2)
    return _header() + body.getvalue() + keys + b"".join(data)


class _RunsACommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch {self.marker}",))


def test_a_state_dict_is_read_into_numpy_arrays(fake_torch: types.SimpleNamespace) -> None:
    weight = np.arange(24, dtype=np.float32).reshape(2, 3, 2, 2)
    count = np.array(7, dtype=np.int64)
    tensors = read_state_dict(_legacy_file(fake_torch, {"conv.weight": weight, "n": count}))
    assert list(tensors) == ["conv.weight", "n"]
    np.testing.assert_array_equal(tensors["conv.weight"], weight)
    assert tensors["n"] == 7


def test_a_pickle_that_calls_anything_else_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    payload = _header() + pickle.dumps({"w": _RunsACommand(marker)}, protocol=2)
    with pytest.raises(UnsafeWeightsFile, match=r"(posix|os)\.system"):
        read_state_dict(payload)
    assert not marker.exists()


def test_a_malicious_header_is_refused_before_anything_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    with pytest.raises(UnsafeWeightsFile):
        read_state_dict(pickle.dumps(_RunsACommand(marker), protocol=2))
    assert not marker.exists()


def test_an_importable_but_unlisted_global_is_refused() -> None:
    payload = _header() + pickle.dumps(OrderedDict(a=np.float32), protocol=2)
    with pytest.raises(UnsafeWeightsFile, match="numpy"):
        read_state_dict(payload)


def test_a_truncated_storage_is_an_error(fake_torch: types.SimpleNamespace) -> None:
    data = _legacy_file(fake_torch, {"w": np.ones(10, dtype=np.float32)})
    with pytest.raises(pickle.UnpicklingError, match=r"(length|truncated)"):
        read_state_dict(data[:-8])


def test_folding_batch_norm_into_a_pointwise_convolution_changes_nothing() -> None:
    rng = np.random.default_rng(5)
    state = {
        "conv.weight": rng.standard_normal((6, 4, 1, 1)).astype(np.float32),
        "bn.weight": rng.random(6).astype(np.float32) + 0.5,
        "bn.bias": rng.standard_normal(6).astype(np.float32),
        "bn.running_mean": rng.standard_normal(6).astype(np.float32),
        "bn.running_var": rng.random(6).astype(np.float32) + 0.1,
    }
    x = rng.standard_normal((10, 4))
    conv = x @ state["conv.weight"][:, :, 0, 0].T
    expected = (conv - state["bn.running_mean"]) / np.sqrt(
        state["bn.running_var"] + BN_EPSILON
    ) * state["bn.weight"] + state["bn.bias"]
    weight, bias = _fold(state, "conv", "bn")
    np.testing.assert_allclose(x @ _pointwise(weight) + bias, expected, rtol=1e-5, atol=1e-5)
