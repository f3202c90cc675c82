"""Train, measure and export the photo -> category model (EfficientNet-Lite0 features + a head).

Procedure (all seeds fixed):
1. every photo is decoded with the production loader, cropped to its centred square at 224×224 by
   the production code, and run through the pretrained network (`chalicelib.ml.efficientnet`,
   float16 weights computed in float32) once as is and once mirrored; the 1280 pooled features
   are the photo's description (cached under `build/`, keyed by the network's digest);
2. the head is a standardised multinomial logistic regression on the 35 photo folders (each
   Caltech class and each clothing class), trained on each photo and its mirror image; a
   category's probability is the sum of its folders' probabilities;
3. 3-fold cross-validation on the development photos gives out-of-fold predictions and, for each
   photo, its cosine similarity to the nearest photo of the other folds. "Not recognised" is
   chosen from these in-domain figures only: a probability threshold (the lowest confidence that
   keeps TARGET_PRECISION) and a similarity threshold (the KEEP_SHARE quantile of the nearest-photo
   similarities). The out-of-domain photos (`caltech101_ood_dev`) are only measured, never fitted;
4. a model fitted on all development photos (its nearest-photo bank = the development photos) is
   measured once on the held-out photos and on the out-of-domain photos (the model-card numbers);
5. the shipped model is refitted on development + held-out photos with the same settings.
"""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from chalicelib.ml.efficientnet import EfficientNetLite0, network_input
from chalicelib.ml.image_model import ImageClassifier, quantise_bank
from chalicelib.ml.photo import load_photo
from training import REPO_ROOT
from training.image_data import LABELS, Photo, list_photos

log = logging.getLogger(__name__)

SEED = 20250701
C = 0.2
TARGET_PRECISION = 0.98
KEEP_SHARE = 0.97
OOD_DIR = "caltech101_ood_dev"
CACHE_DIR = REPO_ROOT / "build" / "image-features"
Array = NDArray[np.float64]


@dataclass
class FeatureSet:
    photos: list[Photo]
    features: Array  # (n, 1280) the photo as uploaded
    mirrored: Array  # (n, 1280) its horizontal flip

    def rows(self, idx: list[int]) -> "FeatureSet":
        return FeatureSet([self.photos[i] for i in idx], self.features[idx], self.mirrored[idx])


def backbone_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def extract(
    backbone: EfficientNetLite0, paths: list[Path], cache: Path | None = None
) -> tuple[Array, Array]:
    """Pooled features of each photo and of its mirror image, cached in `cache` if given."""
    if cache is not None and cache.exists():
        with np.load(cache, allow_pickle=False) as stored:
            if list(stored["paths"]) == [str(p) for p in paths]:
                return stored["features"], stored["mirrored"]
    features, mirrored = [], []
    for count, path in enumerate(paths):
        pixels = network_input(load_photo(path.read_bytes()))
        features.append(backbone.features(pixels))
        mirrored.append(backbone.features(np.ascontiguousarray(pixels[:, ::-1])))
        if count % 200 == 0:
            log.info("features: %d of %d", count, len(paths))
    result = np.array(features, dtype=np.float64), np.array(mirrored, dtype=np.float64)
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            cache, paths=np.array([str(p) for p in paths]), features=result[0], mirrored=result[1]
        )
    return result


def ood_paths(data_dir: Path) -> list[Path]:
    folder = data_dir / OOD_DIR
    lines = (folder / "list.txt").read_text(encoding="utf-8").split()
    return [folder / line for line in lines]


def _float32(values: Array) -> Array:
    rounded: Array = np.asarray(values).astype(np.float32).astype(np.float64)
    return rounded


def fit_head(features: Array, mirrored: Array, folders: list[str], c: float = C) -> Pipeline:
    """Standardised multinomial logistic regression on each photo and its mirror image."""
    pipeline = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=c, max_iter=1000, class_weight="balanced", random_state=SEED),
    )
    pipeline.fit(np.vstack([features, mirrored]), folders * 2)
    # The shipped weights are float16 and the scaler float32; round here so scikit-learn and
    # numpy use the same numbers.
    scaler: StandardScaler = pipeline.named_steps["standardscaler"]
    scaler.mean_ = _float32(scaler.mean_)
    scaler.scale_ = _float32(scaler.scale_)
    model: LogisticRegression = pipeline.named_steps["logisticregression"]
    model.coef_ = model.coef_.astype(np.float16).astype(np.float64)
    model.intercept_ = _float32(model.intercept_)
    return pipeline


def fine_to_label(fine_classes: list[str], photos: list[Photo]) -> Array:
    label_of = {p.folder: p.label for p in photos}
    matrix = np.zeros((len(fine_classes), len(LABELS)))
    for row, folder in enumerate(fine_classes):
        matrix[row, LABELS.index(label_of[folder])] = 1.0
    return matrix


def to_classifier(
    pipeline: Pipeline,
    backbone: EfficientNetLite0 | None,
    photos: list[Photo],
    bank: Array,
    threshold: float,
    min_similarity: float,
    version: str,
) -> ImageClassifier:
    scaler: StandardScaler = pipeline.named_steps["standardscaler"]
    model: LogisticRegression = pipeline.named_steps["logisticregression"]
    codes, scale = quantise_bank(bank)
    return ImageClassifier(
        backbone=backbone,
        mean=scaler.mean_.astype(np.float64),
        scale=scaler.scale_.astype(np.float64),
        coef=model.coef_.astype(np.float64),
        intercept=model.intercept_.astype(np.float64),
        fine_to_label=fine_to_label(list(model.classes_), photos),
        bank_codes=codes,
        bank_scale=scale,
        labels=LABELS,
        threshold=threshold,
        min_similarity=min_similarity,
        version=version,
    )


def choose_threshold(confidence: Array, correct: NDArray[np.bool_], precision: float) -> float:
    """The lowest confidence at which the accepted predictions are still `precision` correct."""
    order = np.argsort(-confidence)
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(running >= precision)[0]
    if len(ok) == 0:
        return float(confidence.max())
    return float(confidence[order][ok[-1]])


def accuracy_report(
    probabilities: Array, similarity: Array, photos: list[Photo], threshold: float, floor: float
) -> dict[str, Any]:
    truth = np.array([LABELS.index(p.label) for p in photos])
    order = np.argsort(-probabilities, axis=1)
    top1 = order[:, 0] == truth
    top3 = (order[:, :3] == truth[:, None]).any(axis=1)
    accepted = (probabilities.max(axis=1) >= threshold) & (similarity >= floor)
    caltech = np.array([p.source == "caltech" for p in photos])

    def share(mask: NDArray[np.bool_], values: NDArray[np.bool_]) -> float:
        return float(values[mask].mean()) if mask.any() else float("nan")

    every = np.ones(len(photos), dtype=bool)
    return {
        "n": len(photos),
        "n_caltech": int(caltech.sum()),
        "top1": share(every, top1),
        "top3": share(every, top3),
        "caltech_top1": share(caltech, top1),
        "caltech_top3": share(caltech, top3),
        "clothing_top1": share(~caltech, top1),
        "recognised_share": share(every, accepted),
        "precision_when_recognised": share(accepted, top1),
        "caltech_recognised_share": share(caltech, accepted),
        "per_label": {
            label: {"n": int((truth == i).sum()), "top1": share(truth == i, top1)}
            for i, label in enumerate(LABELS)
        },
    }


def refusal_report(
    classifier: ImageClassifier, features: Array, names: list[str]
) -> dict[str, Any]:
    """Share of out-of-domain photos refused, overall, by each rule, and per folder."""
    probabilities = classifier.label_probabilities(features)
    similarity = classifier.similarity(features)
    confident = probabilities.max(axis=1) >= classifier.threshold
    familiar = similarity >= classifier.min_similarity
    refused = ~(confident & familiar)
    folders = sorted(set(names))
    return {
        "n": len(names),
        "n_folders": len(folders),
        "refused": float(refused.mean()),
        "refused_by_probability_alone": float((~confident).mean()),
        "refused_by_similarity_alone": float((~familiar).mean()),
        "per_folder": {f: float(refused[[n == f for n in names]].mean()) for f in folders},
    }


def _out_of_fold(
    data: FeatureSet, dev: list[int], folders: list[str]
) -> tuple[Array, Array, Array]:
    """Out-of-fold category probabilities (as is, mirror-averaged) and nearest-photo similarity."""
    n = len(data.photos)
    plain, averaged, similarity = (
        np.zeros((n, len(LABELS))),
        np.zeros((n, len(LABELS))),
        np.zeros(n),
    )
    folds = StratifiedKFold(3, shuffle=True, random_state=SEED)
    dev_array = np.array(dev)
    for train_pos, valid_pos in folds.split(dev_array, [folders[i] for i in dev]):
        train_idx, valid_idx = list(dev_array[train_pos]), list(dev_array[valid_pos])
        part = data.rows(train_idx)
        model = to_classifier(
            fit_head(part.features, part.mirrored, [p.folder for p in part.photos]),
            None,
            data.photos,
            part.features,
            0.0,
            -1.0,
            "fold",
        )
        valid = data.rows(valid_idx)
        plain[valid_idx] = model.label_probabilities(valid.features)
        averaged[valid_idx] = model.label_probabilities((valid.features + valid.mirrored) / 2)
        similarity[valid_idx] = model.similarity(valid.features)
    return plain, averaged, similarity


def train_image_model(
    data_dir: Path, backbone_path: Path, version: str
) -> tuple[ImageClassifier, dict[str, Any]]:
    backbone = EfficientNetLite0.load(backbone_path)
    digest = backbone_digest(backbone_path)
    photos = list_photos(data_dir)
    log.info("computing features of %d photos", len(photos))
    features, mirrored = extract(
        backbone, [p.path for p in photos], CACHE_DIR / f"photos-{digest}.npz"
    )
    data = FeatureSet(photos, features, mirrored)
    ood = ood_paths(data_dir)
    log.info("computing features of %d out-of-domain photos", len(ood))
    ood_features, _ = extract(backbone, ood, CACHE_DIR / f"ood-{digest}.npz")
    ood_names = [p.parent.name for p in ood]
    dev = [i for i, p in enumerate(photos) if not p.held_out]
    test = [i for i, p in enumerate(photos) if p.held_out]
    folders = [p.folder for p in photos]

    log.info("cross-validating the head and the refusal rule")
    plain, averaged, similarity = _out_of_fold(data, dev, folders)
    truth = np.array([LABELS.index(p.label) for p in photos])[dev]
    threshold = choose_threshold(
        plain[dev].max(axis=1), plain[dev].argmax(axis=1) == truth, TARGET_PRECISION
    )
    min_similarity = float(np.quantile(similarity[dev], 1 - KEEP_SHARE))
    development = data.rows(dev)
    cv = accuracy_report(plain[dev], similarity[dev], development.photos, threshold, min_similarity)
    cv_mirror = accuracy_report(
        averaged[dev], similarity[dev], development.photos, threshold, min_similarity
    )

    log.info("fitting the evaluation model on the development photos")
    evaluation = to_classifier(
        fit_head(
            development.features, development.mirrored, [p.folder for p in development.photos]
        ),
        None,
        photos,
        development.features,
        threshold,
        min_similarity,
        version,
    )
    held_out = data.rows(test)
    held_report = accuracy_report(
        evaluation.label_probabilities(held_out.features),
        evaluation.similarity(held_out.features),
        held_out.photos,
        threshold,
        min_similarity,
    )
    metrics: dict[str, Any] = {
        "cross_validated_development": cv,
        "cross_validated_development_mirror_averaged": {
            k: cv_mirror[k] for k in ("top1", "top3", "caltech_top1", "caltech_top3")
        },
        "held_out": held_report,
        "out_of_domain": refusal_report(evaluation, ood_features, ood_names),
        "threshold": threshold,
        "min_similarity": min_similarity,
        "target_precision": TARGET_PRECISION,
        "keep_share": KEEP_SHARE,
        "C": C,
        "n_development": len(dev),
        "n_held_out": len(test),
        "feature_dimensions": int(features.shape[1]),
    }
    log.info("fitting the shipped model on all photos")
    final = fit_head(features, mirrored, folders)
    classifier = to_classifier(
        final, backbone, photos, features, threshold, min_similarity, version
    )
    parity_rows = _float32(held_out.features[:8])
    metrics["parity_fixture"] = {
        "features": parity_rows.astype(np.float32),
        "sklearn_proba": final.predict_proba(parity_rows),
    }
    return classifier, metrics


def save_classifier(classifier: ImageClassifier, path: Path) -> None:
    import json

    # Uncompressed: loads faster (cold start). The nearest-photo bank is stored as uint8 codes.
    np.savez(
        path,
        mean=classifier.mean.astype(np.float32),
        scale=classifier.scale.astype(np.float32),
        coef=classifier.coef.astype(np.float16),
        intercept=classifier.intercept.astype(np.float32),
        fine_to_label=classifier.fine_to_label.astype(np.int8),
        bank=classifier.bank_codes,
        bank_scale=np.float32(classifier.bank_scale),
    )
    meta = {
        "labels": list(classifier.labels),
        "threshold": classifier.threshold,
        "min_similarity": classifier.min_similarity,
        "version": classifier.version,
    }
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
