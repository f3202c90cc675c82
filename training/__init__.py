"""Training and evaluation of the SmartRe models (scikit-learn; never shipped in a Lambda).

The inference code lives in `smartre/chalicelib/ml` and is imported the way Chalice imports it, as
the top-level package `chalicelib`; training reuses it so features are computed by the very code
that runs in production.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SMARTRE_DIR = REPO_ROOT / "smartre"
if str(SMARTRE_DIR) not in sys.path:
    sys.path.insert(0, str(SMARTRE_DIR))

# Every thread pool (OpenMP, BLAS) runs exactly this many threads while training, whatever the
# machine or OMP_NUM_THREADS says: scikit-learn's solvers split their sums by thread, so the count
# changes the last bits of the weights. 2 = the cores of the machine the artifacts were built on.
TRAINING_THREADS = 2
