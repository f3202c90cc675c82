"""Read a PyTorch state dict saved in torch's *legacy* format into numpy arrays, without torch.

The EfficientNet-Lite0 weights ship as `efficientnet-lite0-57934424.pth` in the pre-1.6 format:
a pickled magic number, protocol version and system info, then the pickled state dict whose tensors
refer to storages by persistent id, then the list of storage keys and each storage's raw bytes
(an int64 element count, then the little-endian data). Unpickling runs code named by the file, so
the unpickler here resolves only the globals a state dict needs (the ordered dict, the tensor
rebuild function and the storage types) and refuses every other one: a crafted file cannot
import or call anything else.
"""

import io
import pickle
import struct
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
LEGACY_PROTOCOL = 1001

STORAGE_DTYPES: dict[str, np.dtype[Any]] = {
    "FloatStorage": np.dtype("<f4"),
    "DoubleStorage": np.dtype("<f8"),
    "HalfStorage": np.dtype("<f2"),
    "LongStorage": np.dtype("<i8"),
    "IntStorage": np.dtype("<i4"),
    "ShortStorage": np.dtype("<i2"),
    "CharStorage": np.dtype("i1"),
    "ByteStorage": np.dtype("u1"),
    "BoolStorage": np.dtype("?"),
}


class UnsafeWeightsFile(pickle.UnpicklingError):
    """The file names a global that a plain state dict never needs."""


@dataclass(frozen=True)
class _StorageType:
    name: str

    @property
    def dtype(self) -> np.dtype[Any]:
        return STORAGE_DTYPES[self.name]


@dataclass
class _Storage:
    key: str
    dtype: np.dtype[Any]
    size: int
    data: NDArray[Any] | None = None


@dataclass(frozen=True)
class _PendingTensor:
    storage: _Storage
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]

    def to_numpy(self) -> NDArray[Any]:
        data = self.storage.data
        if data is None:
            raise pickle.UnpicklingError(f"storage {self.storage.key} has no data")
        if not self.shape:
            return np.array(data[self.offset])
        itemsize = data.dtype.itemsize
        span = sum((n - 1) * s for n, s in zip(self.shape, self.stride, strict=True))
        needed = self.offset + 1 + span
        if min(self.shape) > 0 and (needed > data.size or min(self.stride) < 0):
            raise pickle.UnpicklingError(f"tensor overruns storage {self.storage.key}")
        view = np.lib.stride_tricks.as_strided(
            data[self.offset :],
            shape=self.shape,
            strides=tuple(s * itemsize for s in self.stride),
            writeable=False,
        )
        return np.array(view)


def _rebuild_tensor_v2(
    storage: _Storage,
    storage_offset: int,
    size: tuple[int, ...],
    stride: tuple[int, ...],
    requires_grad: bool = False,
    backward_hooks: object = None,
    metadata: object = None,
) -> _PendingTensor:
    return _PendingTensor(storage, int(storage_offset), tuple(size), tuple(stride))


_ALLOWED: dict[tuple[str, str], Callable[..., Any] | _StorageType | type] = {
    ("collections", "OrderedDict"): OrderedDict,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    **{("torch", name): _StorageType(name) for name in STORAGE_DTYPES},
}


class _RestrictedUnpickler(pickle.Unpickler):
    def __init__(self, file: IO[bytes]) -> None:
        super().__init__(file)
        self.storages: dict[str, _Storage] = {}

    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise UnsafeWeightsFile(f"refusing global {module}.{name}") from None

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) >= 5 and pid[0] == "storage"):
            raise pickle.UnpicklingError(f"unexpected persistent id {pid!r}")
        _, storage_type, key, _location, size = pid[:5]
        if not isinstance(storage_type, _StorageType) or (len(pid) > 5 and pid[5] is not None):
            raise pickle.UnpicklingError(f"unsupported storage {pid!r}")
        storage = self.storages.get(key)
        if storage is None:
            storage = self.storages[key] = _Storage(str(key), storage_type.dtype, int(size))
        return storage


def _load(handle: IO[bytes]) -> Any:
    return _RestrictedUnpickler(handle).load()


def read_state_dict(source: Path | bytes) -> dict[str, NDArray[Any]]:
    """The file's tensors by name, as numpy arrays in torch's layout (e.g. OIHW convolutions)."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    handle = io.BytesIO(data)
    if _load(handle) != LEGACY_MAGIC:
        raise pickle.UnpicklingError("not a legacy torch file (wrong magic number)")
    if _load(handle) != LEGACY_PROTOCOL:
        raise pickle.UnpicklingError("unsupported legacy torch protocol")
    info = _load(handle)
    if not (isinstance(info, dict) and info.get("little_endian")):
        raise pickle.UnpicklingError("only little-endian files are supported")
    unpickler = _RestrictedUnpickler(handle)
    state = unpickler.load()
    keys = _load(handle)
    if not isinstance(state, dict) or not isinstance(keys, list):
        raise pickle.UnpicklingError("the file does not hold a state dict")
    for key in keys:
        storage = unpickler.storages[key]
        header = handle.read(8)
        if len(header) != 8:
            raise pickle.UnpicklingError("truncated storage")
        (count,) = struct.unpack("<q", header)
        raw = handle.read(count * storage.dtype.itemsize)
        if count != storage.size or len(raw) != count * storage.dtype.itemsize:
            raise pickle.UnpicklingError(f"storage {key} has the wrong length")
        storage.data = np.frombuffer(raw, dtype=storage.dtype)
    result = {}
    for name, value in state.items():
        if not isinstance(value, _PendingTensor):
            raise pickle.UnpicklingError(f"{name} is not a tensor")
        result[str(name)] = value.to_numpy()
    return result
