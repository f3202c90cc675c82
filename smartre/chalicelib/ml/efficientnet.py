"""EfficientNet-Lite0 (ImageNet weights) as a numpy forward pass: 224×224 RGB in, features out.

The network is the one `efficientnet-lite-pytorch` builds for "efficientnet-lite0": a 3×3 stride-2
stem, 16 inverted-residual blocks (1×1 expansion, k×k depthwise convolution, 1×1 projection, a skip
connection where shapes allow), a 1×1 head to 1280 channels, global average pooling and the 1000-way
ImageNet classifier; ReLU6 everywhere, no squeeze-and-excitation. `training/backbone.py` folds each
batch norm into the convolution before it and stores the weights as float16; they are computed
here in float32 (numpy's float16 arithmetic is far slower). Pointwise convolutions are matrix
products; depthwise ones sum k×k shifted slices; padding is TensorFlow's "SAME", which on stride 2
puts the extra row and column at the bottom and right (symmetric padding still gives plausible
answers, so only the golden-logits test catches it). Input scaling is (x - 127) / 128.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DEFAULT_PATH = ARTIFACTS / "efficientnet_lite0.npz"
# The 1000-way ImageNet classifier is kept apart: serving needs only the pooled features, so the
# Lambda package leaves it out (infra/slimming.py); the tests use it to prove the network.
IMAGENET_HEAD_PATH = ARTIFACTS / "efficientnet_lite0_imagenet_head.npz"
INPUT_SIZE = 224
FEATURES = 1280

Float32 = NDArray[np.float32]


@dataclass(frozen=True)
class Block:
    """One inverted-residual block with its batch norms folded in (weights are (in, out))."""

    expand_weight: Float32 | None
    expand_bias: Float32 | None
    depthwise_weight: Float32  # (k, k, channels)
    depthwise_bias: Float32
    project_weight: Float32
    project_bias: Float32
    stride: int

    @property
    def residual(self) -> bool:
        inputs = self.expand_weight if self.expand_weight is not None else self.project_weight
        return self.stride == 1 and inputs.shape[0] == self.project_weight.shape[1]


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow "SAME": output ceil(size / stride); the odd padding pixel goes after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def _relu6(x: Float32) -> Float32:
    np.clip(x, 0.0, 6.0, out=x)
    return x


def _pad(x: Float32, kernel: int, stride: int) -> Float32:
    height, width, channels = x.shape
    top, bottom = same_padding(height, kernel, stride)
    left, right = same_padding(width, kernel, stride)
    padded = np.zeros((height + top + bottom, width + left + right, channels), dtype=np.float32)
    padded[top : top + height, left : left + width] = x
    return padded


def depthwise(x: Float32, weight: Float32, bias: Float32, stride: int) -> Float32:
    """Per-channel k×k convolution of an (H, W, C) map: k² multiply-adds of shifted slices."""
    kernel = weight.shape[0]
    height, width = -(-x.shape[0] // stride), -(-x.shape[1] // stride)
    padded = _pad(x, kernel, stride)
    out = np.empty((height, width, x.shape[2]), dtype=np.float32)
    tap = np.empty_like(out)
    for dy in range(kernel):
        for dx in range(kernel):
            window = padded[dy : dy + stride * height : stride, dx : dx + stride * width : stride]
            if dy == dx == 0:
                np.multiply(window, weight[0, 0], out=out)
            else:
                np.multiply(window, weight[dy, dx], out=tap)
                out += tap
    out += bias
    return out


def pointwise(x: Float32, weight: Float32, bias: Float32) -> Float32:
    """1×1 convolution of an (H, W, C) map: one matrix product."""
    height, width, channels = x.shape
    out: Float32 = x.reshape(height * width, channels) @ weight
    out += bias
    return out.reshape(height, width, weight.shape[1])


def stem(x: Float32, weight: Float32, bias: Float32) -> Float32:
    """The 3×3 stride-2 convolution over RGB as one product with its (dy, dx, c) patches."""
    height, width = -(-x.shape[0] // 2), -(-x.shape[1] // 2)
    padded = _pad(x, 3, 2)
    patches = np.concatenate(
        [
            padded[dy : dy + 2 * height : 2, dx : dx + 2 * width : 2]
            for dy in range(3)
            for dx in range(3)
        ],
        axis=2,
    )
    return pointwise(patches, weight, bias)


def network_input(image: Image.Image) -> NDArray[np.uint8]:
    """The centred square of an RGB photo resized to 224×224, as uint8 (H, W, 3)."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    if side != INPUT_SIZE:
        square = square.resize((INPUT_SIZE, INPUT_SIZE), Image.Resampling.BILINEAR)
    return np.asarray(square, dtype=np.uint8)


class EfficientNetLite0:
    """Loads the float16 weights once, as float32; `features` and `logits` are pure numpy."""

    def __init__(
        self,
        stem_weight: Float32,
        stem_bias: Float32,
        blocks: list[Block],
        head_weight: Float32,
        head_bias: Float32,
        classifier_weight: Float32 | None = None,
        classifier_bias: Float32 | None = None,
    ) -> None:
        self.stem_weight, self.stem_bias = stem_weight, stem_bias
        self.blocks = blocks
        self.head_weight, self.head_bias = head_weight, head_bias
        self.classifier_weight, self.classifier_bias = classifier_weight, classifier_bias

    @classmethod
    def load(
        cls, path: Path | None = None, imagenet_head: Path | None = None
    ) -> "EfficientNetLite0":
        """The network from `path`; with `imagenet_head`, also its ImageNet classifier."""
        classifier: tuple[Float32 | None, Float32 | None] = (None, None)
        if imagenet_head is not None:
            with np.load(imagenet_head, allow_pickle=False) as head:
                classifier = (
                    np.ascontiguousarray(head["classifier_weight"], dtype=np.float32),
                    np.ascontiguousarray(head["classifier_bias"], dtype=np.float32),
                )
        with np.load(path or DEFAULT_PATH, allow_pickle=False) as arrays:

            def get(name: str) -> Float32:
                return np.ascontiguousarray(arrays[name], dtype=np.float32)

            blocks = []
            for index, stride in enumerate(arrays["strides"]):
                prefix = f"blocks.{index}."
                expands = prefix + "expand_weight" in arrays
                blocks.append(
                    Block(
                        expand_weight=get(prefix + "expand_weight") if expands else None,
                        expand_bias=get(prefix + "expand_bias") if expands else None,
                        depthwise_weight=get(prefix + "depthwise_weight"),
                        depthwise_bias=get(prefix + "depthwise_bias"),
                        project_weight=get(prefix + "project_weight"),
                        project_bias=get(prefix + "project_bias"),
                        stride=int(stride),
                    )
                )
            return cls(
                get("stem_weight"),
                get("stem_bias"),
                blocks,
                get("head_weight"),
                get("head_bias"),
                *classifier,
            )

    def feature_map(self, pixels: NDArray[np.uint8]) -> Float32:
        """The head's (7, 7, 1280) activations for a (224, 224, 3) uint8 image."""
        x: Float32 = (pixels.astype(np.float32) - 127.0) / 128.0
        x = _relu6(stem(x, self.stem_weight, self.stem_bias))
        for block in self.blocks:
            inputs = x
            if block.expand_weight is not None and block.expand_bias is not None:
                x = _relu6(pointwise(x, block.expand_weight, block.expand_bias))
            x = _relu6(depthwise(x, block.depthwise_weight, block.depthwise_bias, block.stride))
            x = pointwise(x, block.project_weight, block.project_bias)
            if block.residual:
                x += inputs
        return _relu6(pointwise(x, self.head_weight, self.head_bias))

    def features(self, pixels: NDArray[np.uint8]) -> Float32:
        """The globally pooled 1280 features (what the ImageNet classifier reads)."""
        pooled: Float32 = self.feature_map(pixels).mean(axis=(0, 1))
        return pooled

    def logits(self, features: Float32) -> Float32:
        """ImageNet logits (1000 classes) for pooled features of shape (..., 1280)."""
        if self.classifier_weight is None or self.classifier_bias is None:
            raise RuntimeError("load the network with imagenet_head= to get ImageNet logits")
        out: Float32 = features @ self.classifier_weight + self.classifier_bias
        return out
