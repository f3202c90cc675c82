"""`python -m training.train --data-dir DIR`: retrain every SmartRe model and write the model card.

Writes the artifacts the Lambda loads (`smartre/chalicelib/ml/artifacts/`), the parity fixtures
the tests use (`tests/unit/smartre/ml/fixtures/`), the measured metrics and `docs/model-card.md`.
Seeds are fixed and every thread pool (OpenMP, BLAS) runs exactly `TRAINING_THREADS` threads,
whatever the machine or `OMP_NUM_THREADS` says: scikit-learn's solvers split their sums by thread,
so the thread count changes the last bits of the weights. Two runs on the same data with the same
library versions therefore write byte-identical artifacts.
"""

import argparse
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from threadpoolctl import threadpool_limits

from chalicelib.ml.adaptation import K_BARRIER, K_CATEGORY, K
from repaircore.vocabulary import PRODUCT_CATEGORIES
from training import REPO_ROOT, TRAINING_THREADS
from training.backbone import export_backbone
from training.fusion_evaluation import evaluate_fusion
from training.image_data import CALTECH_TO_CATEGORY, LABELS
from training.image_training import save_classifier, train_image_model
from training.model_card import CARD, write_model_card
from training.ords import (
    Record,
    labelled,
    partner_files,
    read_categories,
    read_records,
    read_unpowered_counts,
)
from training.outcome_training import (
    C_STATUS,
    DATE_CUTOFF,
    MAX_ROW_WEIGHT,
    save_outcome_model,
    train_outcome_model,
)
from training.similar_stats import similar_statistics
from training.text_category_training import (
    build_similar_index,
    evaluate_similar,
    read_fault_types,
    read_lexicon,
    save_text_category,
    train_text_category,
)

log = logging.getLogger("training")

ARTIFACTS = REPO_ROOT / "smartre" / "chalicelib" / "ml" / "artifacts"
FIXTURES = REPO_ROOT / "tests" / "unit" / "smartre" / "ml" / "fixtures"


def _digest(*arrays: np.ndarray[Any, Any]) -> str:
    sha = hashlib.sha256()
    for array in arrays:
        sha.update(np.ascontiguousarray(array).tobytes())
    return sha.hexdigest()[:10]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


PARTS = ("image", "outcome", "text_category")
"""The models `make train` fits, each written by its own function below; `--only` picks some."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--data-dir", type=Path, default=Path(os.environ.get("DATA_DIR", "../shared/data"))
    )
    parser.add_argument("--out", type=Path, default=ARTIFACTS)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--card", type=Path, default=CARD)
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="retrain only this model (repeatable); the others' metrics are kept from metrics.json",
    )
    parser.add_argument(
        "--skip-evaluation", action="store_true", help="fit the shipped models only (no metrics)"
    )
    parser.add_argument(
        "--skip-unmasked",
        action="store_true",
        help="evaluate without the outcome model's unmasked refits (the masking comparison), "
        "which double its evaluation time",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        action="append",
        default=[],
        help="an Open Repair Data CSV of a deployment's own labels (training.labels export) to "
        "fold into the outcome model's training records (repeatable)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    args.out.mkdir(parents=True, exist_ok=True)
    args.fixtures.mkdir(parents=True, exist_ok=True)
    parts = tuple(args.only or PARTS)
    with threadpool_limits(limits=TRAINING_THREADS):
        train(
            args.data_dir.resolve(),
            args.out,
            args.fixtures,
            args.card,
            args.skip_evaluation,
            parts,
            labels=tuple(path.resolve() for path in args.labels),
            measure_unmasked=not args.skip_unmasked,
        )
    log.info("done: artifacts in %s", args.out)


def train_image(data_dir: Path, out: Path, fixtures: Path, skip_evaluation: bool) -> dict[str, Any]:
    """Export the pretrained network, fit the photo head; write both artifacts and the parity
    fixture; return the metrics."""
    backbone = export_backbone(
        out / "efficientnet_lite0.npz", out / "efficientnet_lite0_imagenet_head.npz"
    )
    image_model, image_metrics = train_image_model(
        data_dir, out / "efficientnet_lite0.npz", "pending"
    )
    image_model.version = "image-" + _digest(
        image_model.coef, image_model.bank, np.frombuffer(backbone["file_sha256"].encode(), "u1")
    )
    save_classifier(image_model, out / "image_model.npz")
    fixture = image_metrics.pop("parity_fixture")
    np.savez_compressed(fixtures / "image_parity.npz", **fixture)
    # The settings the card describes, as this run used them (the card reads nothing else).
    settings = {"labels": list(LABELS), "folder_mapping": dict(CALTECH_TO_CATEGORY)}
    return {"version": image_model.version, "backbone": backbone, **image_metrics, **settings}


def train_outcome(
    data_dir: Path,
    out: Path,
    fixtures: Path,
    skip_evaluation: bool,
    labels: tuple[Path, ...] = (),
    measure_unmasked: bool = True,
) -> dict[str, Any]:
    """Fit the outcome and barrier model and the category statistics; return their metrics.

    ``labels`` are a deployment's own exported labels (`training.labels`); each file joins the
    training records as one more network.
    """
    records = []
    for network, path in partner_files(data_dir).items():
        records.extend(labelled(read_records(path, network)))
    for path in labels:
        records.extend(labelled(read_records(path, "labels:" + path.stem)))
    unpowered = read_unpowered_counts(data_dir)
    outcome_model, outcome_metrics = train_outcome_model(
        records,
        read_categories(data_dir),
        unpowered,
        "pending",
        run_evaluation=not skip_evaluation,
        measure_unmasked=measure_unmasked,
    )
    outcome_model.version = "outcome-" + _digest(outcome_model.coef, outcome_model.barrier_coef)
    save_outcome_model(outcome_model, out / "outcome_model.npz")
    fixture = outcome_metrics.pop("parity_fixture")
    np.savez_compressed(fixtures / "outcome_parity.npz", **fixture)

    stats = similar_statistics(
        records, unpowered, "similar-" + outcome_model.version.removeprefix("outcome-")
    )
    (out / "similar_repairs.json").write_text(
        json.dumps(stats, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if labels:
        outcome_metrics["label_files"] = [path.name for path in labels]
    settings = {
        "C": C_STATUS,
        "max_row_weight": MAX_ROW_WEIGHT,
        "date_cutoff": DATE_CUTOFF,
        "adaptation_pseudo_counts": {"overall": K, "category": K_CATEGORY, "barrier": K_BARRIER},
    }
    return {"version": outcome_model.version, **outcome_metrics, **settings}


def train_text_category_part(
    data_dir: Path, out: Path, fixtures: Path, skip_evaluation: bool
) -> dict[str, Any]:
    """Fit the text -> category model and build the similar-records index; return their metrics."""
    records: list[Record] = []
    for network, path in partner_files(data_dir).items():
        records.extend(read_records(path, network))
    categories = list(PRODUCT_CATEGORIES)
    entries = read_lexicon(data_dir, categories)
    model, metrics = train_text_category(
        records, categories, entries, run_evaluation=not skip_evaluation
    )
    model.version = "text-category-" + _digest(model.coef, model.intercept)
    save_text_category(model, entries, out / "text_category.npz")
    np.savez_compressed(fixtures / "text_category_parity.npz", **metrics.pop("parity_fixture"))

    arrays, rows = build_similar_index(records, categories, "pending")
    arrays["version"] = np.array("similar-records-" + _digest(arrays["embeddings"]))
    np.savez(out / "similar_records.npz", allow_pickle=False, **arrays)  # uncompressed: fast load
    metrics["similar_records"] = {
        "version": str(arrays["version"]),
        "records": len(rows),
        "bytes": (out / "similar_records.npz").stat().st_size,
    }
    if not skip_evaluation:
        metrics["similar_records"]["relevance"] = evaluate_similar(
            records, categories, read_fault_types(data_dir)
        )
    return {"version": model.version, **metrics}


TRAINERS = {
    "image": train_image,
    "outcome": train_outcome,
    "text_category": train_text_category_part,
}


def train(
    data_dir: Path,
    out: Path,
    fixtures: Path,
    card: Path,
    skip_evaluation: bool,
    parts: tuple[str, ...] = PARTS,
    *,
    labels: tuple[Path, ...] = (),
    measure_unmasked: bool = True,
) -> None:
    """Fit the chosen models; write artifacts, fixtures, metrics and (unless skipped) the card.

    `metrics.json` keeps one entry per model: retraining one part rewrites only its own entry, so
    the card is always written from every model's last measured figures.
    """
    metrics_path = out / "metrics.json"
    metrics: dict[str, Any] = (
        json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.exists() else {}
    )
    metrics["sklearn_version"] = sklearn.__version__
    metrics["numpy_version"] = np.__version__
    metrics["training_threads"] = TRAINING_THREADS
    for part in parts:
        if part == "outcome":
            metrics[part] = train_outcome(
                data_dir, out, fixtures, skip_evaluation, labels, measure_unmasked
            )
        else:
            metrics[part] = TRAINERS[part](data_dir, out, fixtures, skip_evaluation)
    if (
        not skip_evaluation
        and {"image", "text_category"} & set(parts)
        and {"image", "text_category"} <= set(metrics)
    ):
        # The fused category, on held-out photos paired with texts of a network left out.
        metrics["text_category"]["fusion"] = evaluate_fusion(
            data_dir, out / "efficientnet_lite0.npz", metrics["image"]
        )
    metrics_path.write_text(
        json.dumps(_jsonable(metrics), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    if not skip_evaluation:
        write_model_card(card, _jsonable(metrics))


if __name__ == "__main__":
    main()
