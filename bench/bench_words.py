"""Benchmarks of the words' models: category from text and the similar-records index.

Run `python -m bench words` from the repository root. Prints the artifacts' size on disk, their
load time (in this process, once) and the median and 95th percentile of a category prediction and
of a similar-records query (five records, the category's slice plus the words' runners-up) over
texts in four languages. It never fails on timing. The issue's targets: index <= 15 MB on disk,
query <= 20 ms on this machine.
"""

import json
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SMARTRE = REPO_ROOT / "smartre"
ROUNDS = 50
TEXTS = (
    ("Mijn waterkoker slaat niet meer aan, het lampje blijft uit", "Kettle"),
    ("Ma bouilloire ne chauffe plus et l'interrupteur ne reste pas enclenché", "Kettle"),
    ("The vacuum cleaner lost suction and makes a loud noise", "Vacuum"),
    ("Der Toaster wird nicht mehr warm, der Hebel bleibt nicht unten", "Toaster"),
    ("Laptop does not charge any more, the battery light stays off", "Laptop"),
    ("Lamp flikkert en gaat dan uit", "Lamp"),
)


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_ms": round(1000 * statistics.median(ordered), 3),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 3),
        "max_ms": round(1000 * ordered[-1], 3),
    }


def main() -> None:
    sys.path.insert(0, str(SMARTRE))
    from chalicelib.ml.similar_records import DEFAULT_PATH as INDEX_PATH
    from chalicelib.ml.similar_records import SimilarRecordsIndex
    from chalicelib.ml.text_category import DEFAULT_PATH as MODEL_PATH
    from chalicelib.ml.text_category import TextCategoryModel

    started = time.perf_counter()
    model = TextCategoryModel.load()
    model_load = time.perf_counter() - started
    started = time.perf_counter()
    index = SimilarRecordsIndex.load()
    index_load = time.perf_counter() - started

    predict, query = [], []
    for _ in range(ROUNDS):
        for text, category in TEXTS:
            started = time.perf_counter()
            prediction = model.predict(text)
            predict.append(time.perf_counter() - started)
            assert prediction is not None
            wanted = [category, *(label for label, _ in prediction.top3 if label != category)]
            started = time.perf_counter()
            index.similar(text, wanted)
            query.append(time.perf_counter() - started)
    results = {
        "text_category": {
            "bytes_on_disk": MODEL_PATH.stat().st_size,
            "load_ms": round(1000 * model_load, 1),
            "predict": _percentiles(predict),
        },
        "similar_records": {
            "records": len(index),
            "bytes_on_disk": INDEX_PATH.stat().st_size,
            "load_ms": round(1000 * index_load, 1),
            "query_5_records": _percentiles(query),
            "queries": len(query),
        },
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
