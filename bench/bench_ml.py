"""Benchmarks of SmartRe's numpy inference: cold start, photo and text latency, peak memory.

Run `python -m bench ml` from the repository root. It prints numbers and never fails on
timing. Cold start is measured in fresh processes (import + loading every model), as the median of
several runs, once with compiled bytecode available and once with an empty bytecode cache (how
a Lambda without shipped `.pyc` files starts). The 12-megapixel photo is a real training photo
upscaled to 4000x3000 and saved as JPEG. Inference runs single-threaded (OPENBLAS_NUM_THREADS=1,
as the SmartRe Lambdas are configured), set here before numpy loads.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bench.processes import run_fresh

REPO_ROOT = Path(__file__).resolve().parent.parent
SMARTRE = REPO_ROOT / "smartre"
DATA_DIR = Path(os.environ.get("DATA_DIR", REPO_ROOT.parent / "shared" / "data")).resolve()
RUNS = 9

_COLD_START = """
import time
t0 = time.perf_counter()
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel
from chalicelib.ml.photo import load_photo
from chalicelib.ml.safety import screen
t1 = time.perf_counter()
ImageClassifier.load()
OutcomeModel.load()
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""

_PEAK_MEMORY = """
import resource, sys
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel
from chalicelib.ml.photo import load_photo
classifier = ImageClassifier.load()
outcome = OutcomeModel.load()
after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
classifier.classify(load_photo(open(sys.argv[1], "rb").read()))
outcome.predict("Laptop does not charge", "Laptop", "Dell", 4.0, "en")
print(after_load, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _env(pycache: str | None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(SMARTRE))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def cold_start(with_pyc: bool) -> tuple[float, float, float]:
    """Median (wall-clock process, import, model load) in seconds."""
    walls, imports, loads = [], [], []
    with tempfile.TemporaryDirectory() as warm:
        if with_pyc:
            run_fresh(_COLD_START, _env(warm))  # fills the bytecode cache
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as empty:
                env = _env(warm if with_pyc else empty)
                if not with_pyc:
                    env["PYTHONDONTWRITEBYTECODE"] = "1"
                wall, out = run_fresh(_COLD_START, env)
                walls.append(wall)
                imported, loaded = (float(x) for x in out.split())
                imports.append(imported)
                loads.append(loaded)
    return statistics.median(walls), statistics.median(imports), statistics.median(loads)


def twelve_megapixel_jpeg(path: Path) -> None:
    from PIL import Image

    source = (
        DATA_DIR / "caltech101_repair_subset" / "101_ObjectCategories" / "laptop" / "image_0002.jpg"
    )
    image = Image.open(source).convert("RGB").resize((4000, 3000), Image.Resampling.BICUBIC)
    image.save(path, format="JPEG", quality=90)


def photo_latency(path: Path) -> dict[str, float]:
    """Median ms of each step from JPEG bytes to the answer (decode + crop, network, head)."""
    sys.path.insert(0, str(SMARTRE))
    from chalicelib.ml.efficientnet import network_input
    from chalicelib.ml.image_model import ImageClassifier
    from chalicelib.ml.photo import load_photo

    classifier = ImageClassifier.load()
    assert classifier.backbone is not None
    data = path.read_bytes()
    decode, network, head, total = [], [], [], []
    for _ in range(21):
        start = time.perf_counter()
        pixels = network_input(load_photo(data))
        decoded = time.perf_counter()
        features = classifier.backbone.features(pixels)[None, :].astype("float64")
        computed = time.perf_counter()
        classifier.predict_from_probabilities(
            classifier.label_probabilities(features)[0], float(classifier.similarity(features)[0])
        )
        done = time.perf_counter()
        classifier.classify(load_photo(data))
        decode.append(decoded - start)
        network.append(computed - decoded)
        head.append(done - computed)
        total.append(time.perf_counter() - done)
    return {
        "bytes": len(data),
        "decode_and_crop_ms": 1000 * statistics.median(decode),
        "network_ms": 1000 * statistics.median(network),
        "head_and_refusal_ms": 1000 * statistics.median(head),
        "load_photo_plus_classify_ms": 1000 * statistics.median(total),
    }


def text_latency() -> dict[str, float]:
    sys.path.insert(0, str(SMARTRE))
    from chalicelib.ml.outcome_model import OutcomeModel
    from chalicelib.ml.safety import screen

    model = OutcomeModel.load()
    text = (
        "De waterkoker slaat na een paar seconden af en er komt een brandlucht uit de voet; "
        "het snoer lijkt ook beschadigd."
    )
    categories = ["Kettle", "Lamp", "Small kitchen item", "Unpowered - Household"]
    single, multi, safety = [], [], []
    for _ in range(200):
        start = time.perf_counter()
        model.predict(text, "Kettle", "Philips", 6.0, "nl")
        single.append(time.perf_counter() - start)
        start = time.perf_counter()
        model.predict_for_categories(text, categories, "Philips", 6.0, "nl")
        multi.append(time.perf_counter() - start)
        start = time.perf_counter()
        screen(text, "nl")
        safety.append(time.perf_counter() - start)
    return {
        "outcome_ms": 1000 * statistics.median(single),
        "outcome_4_categories_ms": 1000 * statistics.median(multi),
        "safety_ms": 1000 * statistics.median(safety),
    }


def peak_memory(path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", _PEAK_MEMORY, str(path)],
        env=_env(None),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    after_load, after_predict = (int(x) for x in out.split())
    return {"after_load_mb": after_load / 1024, "after_12mp_photo_mb": after_predict / 1024}


def artifact_sizes() -> dict[str, int]:
    folder = SMARTRE / "chalicelib" / "ml" / "artifacts"
    return {p.name: p.stat().st_size for p in sorted(folder.iterdir()) if p.is_file()}


def main() -> None:
    results: dict[str, object] = {}
    for with_pyc in (True, False):
        wall, imported, loaded = cold_start(with_pyc)
        results[f"cold_start_{'with' if with_pyc else 'without'}_pyc"] = {
            "median_of": RUNS,
            "import_plus_load_ms": 1000 * (imported + loaded),
            "import_ms": 1000 * imported,
            "load_ms": 1000 * loaded,
            "process_wall_ms": 1000 * wall,
        }
    with tempfile.TemporaryDirectory() as folder:
        photo = Path(folder) / "12mp.jpg"
        twelve_megapixel_jpeg(photo)
        results["photo_12mp"] = photo_latency(photo)
        results["peak_memory"] = peak_memory(photo)
    results["text"] = text_latency()
    sizes = artifact_sizes()
    results["artifacts_bytes"] = {**sizes, "total": sum(sizes.values())}
    buffer = io.StringIO()
    json.dump(results, buffer, indent=2, default=lambda v: round(v, 2))
    print(buffer.getvalue())


if __name__ == "__main__":
    main()
