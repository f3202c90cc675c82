"""Training and evaluation of the SmartRe models (scikit-learn; never shipped in a Lambda).

The inference code lives in `smartre/chalicelib/ml` and is imported the way Chalice imports it, as
the top-level package `chalicelib`; training reuses it so features are computed by the very code
that runs in production. So `smartre/` must be on the import path: the make targets run training
with `PYTHONPATH=smartre`, SmartRe's unit tests load the app first (`tests.support.apps`).
Importing a module here never changes `sys.path`. `training.model_card` needs neither: it reads
only `metrics.json` and `dev_experiments.json`.
"""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# Every thread pool (OpenMP, BLAS) runs exactly this many threads while training, whatever the
# machine or OMP_NUM_THREADS says: scikit-learn's solvers split their sums by thread, so the count
# changes the last bits of the weights. 2 = the cores of the machine the artifacts were built on.
TRAINING_THREADS = 2
