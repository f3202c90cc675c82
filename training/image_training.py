"""Train, measure and export the photo -> category model.

Procedure (all seeds fixed):
1. decode every photo with the production loader and crop it with the production code;
2. learn the two codebooks (k-means) from the development photos only; every model below is
   trained on each photo, its mirror image and two random zoomed crops (70-90 % of the short side);
3. 3-fold cross-validation on the development photos gives out-of-fold confidences, from which the
   "not recognised" threshold is chosen (the lowest confidence that keeps the precision target);
4. a model fitted on all development photos is measured once on the held-out photos (these numbers
   go into the model card);
5. the shipped model is refitted on development + held-out photos with the same settings.
"""

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import MiniBatchKMeans
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from chalicelib.ml.image_features import (
    Codebooks,
    colour_patches,
    image_features,
    sift_descriptors,
    square_pixels,
)
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.photo import load_photo
from training.image_data import LABELS, Photo, list_photos

log = logging.getLogger(__name__)

SEED = 20250701
C = 0.1
SIFT_WORDS = 400
PATCH_WORDS = 400
AUGMENTED_VIEWS = 2
TARGET_PRECISION = 0.95
# Stand-ins for products the data has no photos of: each is left out of training entirely while
# its category keeps other folders, and its photos should then come back "not recognised".
UNSEEN_FOLDERS = (
    "caltech/metronome",
    "caltech/cup",
    "caltech/wrench",
    "caltech/windsor_chair",
    "caltech/chandelier",
    "caltech/saxophone",
)
Array = NDArray[np.float64]


@dataclass
class FeatureSet:
    photos: list[Photo]
    features: Array  # (n, d) original
    mirrored: Array  # (n, d) horizontal flip
    augmented: Array  # (AUGMENTED_VIEWS, n, d) random zoomed crops, for training only


def decode(path: Path) -> Array:
    pixels: Array = square_pixels(load_photo(path.read_bytes()))
    return pixels


def learn_codebooks(pixels: list[Array], seed: int = SEED) -> Codebooks:
    rng = np.random.default_rng(seed)
    sift, patches = [], []
    for rgb in pixels:
        desc, _, _ = sift_descriptors(rgb)
        sift.append(desc[rng.choice(len(desc), 40, replace=False)])
        patch, _, _ = colour_patches(rgb)
        patches.append(patch[rng.choice(len(patch), 60, replace=False)])
    sift_words = _kmeans(np.vstack(sift), SIFT_WORDS, seed)
    sample = np.vstack(patches)
    mean = sample.mean(axis=0)
    eigenvalues, eigenvectors = np.linalg.eigh(np.cov(sample - mean, rowvar=False))
    whitening = (eigenvectors / np.sqrt(eigenvalues + 0.1)) @ eigenvectors.T
    patch_words = _kmeans((sample - mean) @ whitening, PATCH_WORDS, seed)
    return Codebooks(
        sift_centroids=sift_words,
        patch_mean=mean,
        patch_whitening=whitening,
        patch_centroids=patch_words,
    )


def _kmeans(points: Array, k: int, seed: int) -> Array:
    model = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=3).fit(points)
    # Stored as float32: round now so training features equal the shipped ones.
    centres: Array = model.cluster_centers_.astype(np.float32).astype(np.float64)
    return centres


def featurise(photos: list[Photo], pixels: list[Array], codebooks: Codebooks) -> FeatureSet:
    original = np.stack([image_features(rgb, codebooks) for rgb in pixels])
    mirrored = np.stack(
        [image_features(np.ascontiguousarray(rgb[:, ::-1]), codebooks) for rgb in pixels]
    )
    augmented = np.stack(
        [
            np.stack([image_features(view, codebooks) for view in zoomed_views(p.path, index)])
            for index, p in enumerate(photos)
        ],
        axis=1,
    )
    return FeatureSet(photos, original, mirrored, augmented)


def zoomed_views(path: Path, index: int) -> list[Array]:
    """AUGMENTED_VIEWS random square crops (70-90 % of the short side), half of them mirrored."""
    rng = np.random.default_rng([SEED, index])
    image = load_photo(path.read_bytes())
    width, height = image.size
    views = []
    for _ in range(AUGMENTED_VIEWS):
        side = int(min(width, height) * rng.uniform(0.7, 0.9))
        left = int(rng.integers(0, width - side + 1))
        top = int(rng.integers(0, height - side + 1))
        crop = image.crop((left, top, left + side, top + side))
        pixels = square_pixels(crop)
        views.append(np.ascontiguousarray(pixels[:, ::-1]) if rng.random() < 0.5 else pixels)
    return views


def fit_classifier(
    features: Array, mirrored: Array, folders: list[str], augmented: Array | None = None
) -> Pipeline:
    """Logistic regression on the folders, trained on each photo, its mirror image and crops."""
    pipeline = make_pipeline(
        StandardScaler(),
        LogisticRegression(C=C, max_iter=500, class_weight="balanced", random_state=SEED),
    )
    views = [features, mirrored, *([] if augmented is None else list(augmented))]
    pipeline.fit(np.vstack(views), folders * len(views))
    # The shipped weights are float32; round here so scikit-learn and numpy use the same numbers.
    model: LogisticRegression = pipeline.named_steps["logisticregression"]
    model.coef_ = model.coef_.astype(np.float32).astype(np.float64)
    model.intercept_ = model.intercept_.astype(np.float32).astype(np.float64)
    return pipeline


def fine_to_label(fine_classes: list[str], photos: list[Photo]) -> Array:
    label_of = {p.folder: p.label for p in photos}
    matrix = np.zeros((len(fine_classes), len(LABELS)))
    for row, folder in enumerate(fine_classes):
        matrix[row, LABELS.index(label_of[folder])] = 1.0
    return matrix


def to_classifier(
    pipeline: Pipeline, codebooks: Codebooks, photos: list[Photo], threshold: float, version: str
) -> ImageClassifier:
    scaler: StandardScaler = pipeline.named_steps["standardscaler"]
    model: LogisticRegression = pipeline.named_steps["logisticregression"]
    return ImageClassifier(
        codebooks=codebooks,
        mean=np.asarray(scaler.mean_, dtype=np.float64),
        scale=np.asarray(scaler.scale_, dtype=np.float64),
        coef=np.asarray(model.coef_, dtype=np.float64),
        intercept=np.asarray(model.intercept_, dtype=np.float64),
        fine_to_label=fine_to_label(list(model.classes_), photos),
        labels=LABELS,
        threshold=threshold,
        version=version,
    )


def label_probabilities(classifier: ImageClassifier, data: FeatureSet) -> Array:
    result: Array = classifier.fine_probabilities(data.features) @ classifier.fine_to_label
    return result


def choose_threshold(confidence: Array, correct: NDArray[np.bool_], precision: float) -> float:
    """The lowest confidence at which the accepted predictions are still `precision` correct."""
    order = np.argsort(-confidence)
    running = np.cumsum(correct[order]) / np.arange(1, len(order) + 1)
    ok = np.nonzero(running >= precision)[0]
    if len(ok) == 0:
        return float(confidence.max())
    return float(confidence[order][ok[-1]])


def accuracy_report(probabilities: Array, photos: list[Photo], threshold: float) -> dict[str, Any]:
    truth = np.array([LABELS.index(p.label) for p in photos])
    order = np.argsort(-probabilities, axis=1)
    top1 = order[:, 0] == truth
    top3 = (order[:, :3] == truth[:, None]).any(axis=1)
    confidence = probabilities.max(axis=1)
    accepted = confidence >= threshold
    caltech = np.array([p.source == "caltech" for p in photos])

    def share(mask: NDArray[np.bool_], values: NDArray[np.bool_]) -> float:
        return float(values[mask].mean()) if mask.any() else float("nan")

    every = np.ones(len(photos), dtype=bool)
    per_label = {
        label: {
            "n": int((truth == i).sum()),
            "top1": share(truth == i, top1),
        }
        for i, label in enumerate(LABELS)
    }
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
        "per_label": per_label,
    }


def out_of_domain_probes(pixels: list[Array], seed: int = SEED) -> dict[str, Array]:
    """Synthetic photos of nothing in the label set (the data holds no kettles or bikes)."""
    rng = np.random.default_rng(seed)
    size = pixels[0].shape[0]
    noise = [rng.random((size, size, 3)) for _ in range(100)]
    yy, xx = np.mgrid[0:size, 0:size] / size
    gradients = []
    for _ in range(100):
        a, b = rng.random(3), rng.random(3)
        angle = rng.random() * np.pi
        t = (np.cos(angle) * xx + np.sin(angle) * yy)[..., None]
        gradients.append(np.clip(a * (1 - t) + b * t, 0, 1))
    tile = size // 8
    shuffled = []
    for index in rng.choice(len(pixels), 100, replace=False):
        tiles = pixels[index].reshape(8, tile, 8, tile, 3).swapaxes(1, 2).reshape(64, tile, tile, 3)
        tiles = tiles[rng.permutation(64)]
        shuffled.append(tiles.reshape(8, 8, tile, tile, 3).swapaxes(1, 2).reshape(size, size, 3))
    return {
        "uniform noise": np.stack(noise),
        "smooth colour gradients": np.stack(gradients),
        "real photos cut into 8x8 shuffled tiles": np.stack(shuffled),
    }


def probe_report(classifier: ImageClassifier, probes: dict[str, Array]) -> dict[str, float]:
    report = {}
    for name, images in probes.items():
        rejected = 0
        for rgb in images:
            feats = image_features(rgb, classifier.codebooks)[None, :]
            prediction = classifier.predict_from_probabilities(
                classifier.label_probabilities(feats)
            )
            rejected += not prediction.recognised
        report[name] = rejected / len(images)
    return report


def unseen_folder_report(
    data: FeatureSet,
    folders: list[str],
    dev: list[int],
    test: list[int],
    codebooks: Codebooks,
    threshold: float,
) -> dict[str, Any]:
    """Train without UNSEEN_FOLDERS; how often are their photos (all of them) not recognised?"""
    photos = data.photos
    train = [i for i in dev if folders[i] not in UNSEEN_FOLDERS]
    unseen = [i for i, f in enumerate(folders) if f in UNSEEN_FOLDERS]
    known = [i for i in test if folders[i] not in UNSEEN_FOLDERS]
    pipeline = fit_classifier(
        data.features[train],
        data.mirrored[train],
        [folders[i] for i in train],
        data.augmented[:, train],
    )
    model = to_classifier(pipeline, codebooks, photos, threshold, "unseen")

    def probabilities(idx: list[int]) -> Array:
        part = FeatureSet(
            [photos[i] for i in idx],
            data.features[idx],
            data.mirrored[idx],
            data.augmented[:, idx],
        )
        return label_probabilities(model, part)

    unseen_confidence = probabilities(unseen).max(axis=1)
    known_report = accuracy_report(probabilities(known), [photos[i] for i in known], threshold)
    return {
        "folders": list(UNSEEN_FOLDERS),
        "n_unseen": len(unseen),
        "unseen_not_recognised": float((unseen_confidence < threshold).mean()),
        "known_held_out_recognised": known_report["recognised_share"],
        "known_held_out_precision_when_recognised": known_report["precision_when_recognised"],
    }


def train_image_model(data_dir: Path, version: str) -> tuple[ImageClassifier, dict[str, Any]]:
    photos = list_photos(data_dir)
    log.info("decoding %d photos", len(photos))
    pixels = [decode(p.path) for p in photos]
    dev = [i for i, p in enumerate(photos) if not p.held_out]
    test = [i for i, p in enumerate(photos) if p.held_out]
    codebooks = learn_codebooks([pixels[i] for i in dev])
    log.info("computing features")
    data = featurise(photos, pixels, codebooks)
    folders = [p.folder for p in photos]

    def subset(idx: list[int]) -> FeatureSet:
        return FeatureSet(
            [photos[i] for i in idx],
            data.features[idx],
            data.mirrored[idx],
            data.augmented[:, idx],
        )

    log.info("cross-validating the threshold")
    out_of_fold = np.zeros((len(photos), len(LABELS)))
    folds = StratifiedKFold(3, shuffle=True, random_state=SEED)
    dev_array = np.array(dev)
    for train_pos, valid_pos in folds.split(dev_array, [folders[i] for i in dev]):
        train_idx, valid_idx = list(dev_array[train_pos]), list(dev_array[valid_pos])
        part = subset(train_idx)
        pipeline = fit_classifier(
            part.features, part.mirrored, [folders[i] for i in train_idx], part.augmented
        )
        fold_model = to_classifier(pipeline, codebooks, photos, 0.0, version)
        out_of_fold[valid_idx] = label_probabilities(fold_model, subset(valid_idx))
    dev_truth = np.array([LABELS.index(photos[i].label) for i in dev])
    dev_probs = out_of_fold[dev]
    threshold = choose_threshold(
        dev_probs.max(axis=1), dev_probs.argmax(axis=1) == dev_truth, TARGET_PRECISION
    )
    log.info("fitting the evaluation model")
    development = subset(dev)
    pipeline = fit_classifier(
        development.features, development.mirrored, [folders[i] for i in dev], development.augmented
    )
    evaluation_model = to_classifier(pipeline, codebooks, photos, threshold, version)
    held_out = subset(test)
    metrics: dict[str, Any] = {
        "cross_validated_development": accuracy_report(dev_probs, development.photos, threshold),
        "held_out": accuracy_report(
            label_probabilities(evaluation_model, held_out), held_out.photos, threshold
        ),
        "threshold": threshold,
        "target_precision": TARGET_PRECISION,
        "out_of_domain_rejected": probe_report(evaluation_model, out_of_domain_probes(pixels)),
        "n_development": len(dev),
        "n_held_out": len(test),
        "feature_dimensions": int(data.features.shape[1]),
    }
    log.info("measuring rejection of object classes never seen in training")
    metrics["unseen_folders"] = unseen_folder_report(data, folders, dev, test, codebooks, threshold)
    log.info("fitting the shipped model on all photos")
    final = fit_classifier(data.features, data.mirrored, folders, data.augmented)
    classifier = to_classifier(final, codebooks, photos, threshold, version)
    parity_rows = held_out.features[:8].astype(np.float32).astype(np.float64)
    metrics["parity_fixture"] = {
        "features": parity_rows.astype(np.float32),
        "sklearn_proba": final.predict_proba(parity_rows),
    }
    return classifier, metrics


def save_classifier(classifier: ImageClassifier, path: Path) -> None:
    import json

    # Uncompressed: loads in a third of the time (cold start), for about 1 MB more.
    np.savez(
        path,
        sift_centroids=classifier.codebooks.sift_centroids.astype(np.float32),
        patch_mean=classifier.codebooks.patch_mean,
        patch_whitening=classifier.codebooks.patch_whitening,
        patch_centroids=classifier.codebooks.patch_centroids.astype(np.float32),
        mean=classifier.mean,
        scale=classifier.scale,
        coef=classifier.coef.astype(np.float32),
        intercept=classifier.intercept.astype(np.float32),
        fine_to_label=classifier.fine_to_label,
    )
    meta = {
        "labels": list(classifier.labels),
        "threshold": classifier.threshold,
        "version": classifier.version,
    }
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
