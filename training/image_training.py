"""Train, measure and export the photo -> category model.

Procedure (all seeds fixed):
1. decode every photo with the production loader and crop it with the production code;
2. learn the codebooks (k-means words; PCA + Gaussian mixtures for the two Fisher vectors) from the
   development photos only; every model below is trained on each photo, its mirror image and two
   random zoomed crops (70-90 % of the short side); each feature block gets its own logistic
   regression and their mean logits are the model's (a product of experts);
3. 3-fold cross-validation on the development photos gives out-of-fold confidences, from which the
   "not recognised" threshold is chosen (the lowest confidence that keeps the precision target);
4. a model fitted on all development photos is measured once on the held-out photos (these numbers
   go into the model card);
5. the shipped model is refitted on development + held-out photos with the same settings.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import MiniBatchKMeans
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from chalicelib.ml.image_features import (
    Codebooks,
    FisherCodebook,
    block_sizes,
    colour_descriptors,
    image_features,
    multiscale_sift,
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
# Fisher vectors: (PCA dimensions, Gaussian components) for the SIFT and the colour descriptors.
SIFT_FISHER = (64, 64)
COLOUR_FISHER = (32, 64)
FISHER_SAMPLE = 60  # descriptors per development photo for the PCA and for the mixture
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

    def rows(self, idx: list[int]) -> "FeatureSet":
        """The photos at positions `idx`, with all their views."""
        return FeatureSet(
            [self.photos[i] for i in idx],
            self.features[idx],
            self.mirrored[idx],
            self.augmented[:, idx],
        )


def decode(path: Path) -> Array:
    pixels: Array = square_pixels(load_photo(path.read_bytes()))
    return pixels


def learn_codebooks(pixels: list[Array], seed: int = SEED) -> Codebooks:
    rng = np.random.default_rng(seed)
    sift = []
    for rgb in pixels:
        desc, _, _ = sift_descriptors(rgb)
        sift.append(desc[rng.choice(len(desc), 40, replace=False)])
    return Codebooks(
        sift_centroids=_kmeans(np.vstack(sift), SIFT_WORDS, seed),
        sift_gmm=_fisher_codebook(pixels, multiscale_sift, *SIFT_FISHER, seed),
        colour_gmm=_fisher_codebook(pixels, colour_descriptors, *COLOUR_FISHER, seed),
    )


def _fisher_codebook(
    pixels: list[Array],
    describe: Callable[[Array], tuple[Array, Array]],
    dimensions: int,
    components: int,
    seed: int,
) -> FisherCodebook:
    """PCA of a sample of the descriptors, then a diagonal GMM on (reduced descriptor, y, x)."""
    rng = np.random.default_rng(seed)
    sample, positions = [], []
    for rgb in pixels:
        desc, pos = describe(rgb)
        pick = rng.choice(len(desc), FISHER_SAMPLE, replace=False)
        sample.append(desc[pick])
        positions.append(pos[pick])
    descriptors = np.vstack(sample)
    pca_mean = descriptors.mean(axis=0)
    _, eigenvectors = np.linalg.eigh(np.cov(descriptors - pca_mean, rowvar=False))
    pca = np.ascontiguousarray(eigenvectors[:, ::-1][:, :dimensions])
    # Stored as float32: round now so training features equal the shipped ones.
    pca_mean, pca = _float32(pca_mean), _float32(pca)
    points = np.hstack([(descriptors - pca_mean) @ pca, np.vstack(positions)])
    gmm = GaussianMixture(
        components, covariance_type="diag", reg_covar=1e-4, max_iter=100, random_state=seed
    ).fit(points)
    return FisherCodebook(
        pca_mean=pca_mean,
        pca=pca,
        weights=_float32(gmm.weights_),
        means=_float32(gmm.means_),
        variances=_float32(gmm.covariances_),
    )


def _float32(values: Array) -> Array:
    rounded: Array = np.asarray(values).astype(np.float32).astype(np.float64)
    return rounded


def _kmeans(points: Array, k: int, seed: int) -> Array:
    model = MiniBatchKMeans(k, random_state=seed, batch_size=4096, n_init=3).fit(points)
    # Stored as float32: round now so training features equal the shipped ones.
    return _float32(model.cluster_centers_)


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
    features: Array,
    mirrored: Array,
    folders: list[str],
    augmented: Array | None = None,
    sizes: tuple[int, ...] | None = None,
) -> list[Pipeline]:
    """One logistic regression per feature block (`sizes`; default: one block), each trained on
    every photo, its mirror image and crops."""
    views = np.vstack([features, mirrored, *([] if augmented is None else list(augmented))])
    targets = folders * (len(views) // len(features))
    pipelines, start = [], 0
    for size in sizes or (features.shape[1],):
        pipeline = make_pipeline(
            StandardScaler(),
            LogisticRegression(C=C, max_iter=500, class_weight="balanced", random_state=SEED),
        )
        pipeline.fit(views[:, start : start + size], targets)
        start += size
        # The shipped weights are float16 and the scaler float32; round here so scikit-learn
        # and numpy use the same numbers.
        scaler: StandardScaler = pipeline.named_steps["standardscaler"]
        scaler.mean_ = _float32(scaler.mean_)
        scaler.scale_ = _float32(scaler.scale_)
        model: LogisticRegression = pipeline.named_steps["logisticregression"]
        model.coef_ = model.coef_.astype(np.float16).astype(np.float64)
        model.intercept_ = _float32(model.intercept_)
        pipelines.append(pipeline)
    return pipelines


def fit_on(part: FeatureSet, codebooks: Codebooks) -> list[Pipeline]:
    """`fit_classifier` on every view of `part`'s photos, one regression per feature block."""
    return fit_classifier(
        part.features,
        part.mirrored,
        [photo.folder for photo in part.photos],
        part.augmented,
        block_sizes(codebooks),
    )


def fused_predict_proba(pipelines: list[Pipeline], features: Array) -> Array:
    """scikit-learn's reference for the shipped model: the normalised geometric mean of the block
    models' predict_proba."""
    log_sum, start = np.zeros(1), 0
    for pipeline in pipelines:
        size = pipeline.named_steps["standardscaler"].n_features_in_
        log_sum = log_sum + np.log(pipeline.predict_proba(features[:, start : start + size]))
        start += size
    mean = log_sum / len(pipelines)
    weights = np.exp(mean - mean.max(axis=1, keepdims=True))
    result: Array = weights / weights.sum(axis=1, keepdims=True)
    return result


def fine_to_label(fine_classes: list[str], photos: list[Photo]) -> Array:
    label_of = {p.folder: p.label for p in photos}
    matrix = np.zeros((len(fine_classes), len(LABELS)))
    for row, folder in enumerate(fine_classes):
        matrix[row, LABELS.index(label_of[folder])] = 1.0
    return matrix


def to_classifier(
    pipelines: list[Pipeline],
    codebooks: Codebooks,
    photos: list[Photo],
    threshold: float,
    version: str,
) -> ImageClassifier:
    scalers: list[StandardScaler] = [p.named_steps["standardscaler"] for p in pipelines]
    models: list[LogisticRegression] = [p.named_steps["logisticregression"] for p in pipelines]
    classes = list(models[0].classes_)
    assert all(list(m.classes_) == classes for m in models)
    return ImageClassifier(
        codebooks=codebooks,
        mean=np.concatenate([s.mean_ for s in scalers]).astype(np.float64),
        scale=np.concatenate([s.scale_ for s in scalers]).astype(np.float64),
        coef=np.hstack([m.coef_ for m in models]).astype(np.float64),
        intercept=np.stack([m.intercept_ for m in models]).astype(np.float64),
        block_sizes=tuple(int(s.n_features_in_) for s in scalers),
        fine_to_label=fine_to_label(classes, photos),
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
    model = to_classifier(
        fit_on(data.rows(train), codebooks), codebooks, photos, threshold, "unseen"
    )

    def probabilities(idx: list[int]) -> Array:
        return label_probabilities(model, data.rows(idx))

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

    log.info("cross-validating the threshold")
    out_of_fold = np.zeros((len(photos), len(LABELS)))
    folds = StratifiedKFold(3, shuffle=True, random_state=SEED)
    dev_array = np.array(dev)
    for train_pos, valid_pos in folds.split(dev_array, [folders[i] for i in dev]):
        train_idx, valid_idx = list(dev_array[train_pos]), list(dev_array[valid_pos])
        fold_model = to_classifier(
            fit_on(data.rows(train_idx), codebooks), codebooks, photos, 0.0, version
        )
        out_of_fold[valid_idx] = label_probabilities(fold_model, data.rows(valid_idx))
    dev_truth = np.array([LABELS.index(photos[i].label) for i in dev])
    dev_probs = out_of_fold[dev]
    threshold = choose_threshold(
        dev_probs.max(axis=1), dev_probs.argmax(axis=1) == dev_truth, TARGET_PRECISION
    )
    log.info("fitting the evaluation model")
    development = data.rows(dev)
    evaluation_model = to_classifier(
        fit_on(development, codebooks), codebooks, photos, threshold, version
    )
    held_out = data.rows(test)
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
    final = fit_on(data, codebooks)
    classifier = to_classifier(final, codebooks, photos, threshold, version)
    parity_rows = held_out.features[:8].astype(np.float32).astype(np.float64)
    fixture: dict[str, Array] = {
        "features": parity_rows.astype(np.float32),
        "sklearn_proba": fused_predict_proba(final, parity_rows),
    }
    start = 0
    for block, pipeline in enumerate(final):
        size = classifier.block_sizes[block]
        fixture[f"sklearn_block_{block}"] = pipeline.predict_proba(
            parity_rows[:, start : start + size]
        )
        start += size
    metrics["parity_fixture"] = fixture
    return classifier, metrics


def save_classifier(classifier: ImageClassifier, path: Path) -> None:
    import json

    books = classifier.codebooks
    fisher = {
        f"{prefix}_{name}": getattr(gmm, name).astype(np.float32)
        for prefix, gmm in (("sift", books.sift_gmm), ("colour", books.colour_gmm))
        for name in ("pca_mean", "pca", "weights", "means", "variances")
    }
    # Uncompressed: loads in a third of the time (cold start), for about 1 MB more.
    np.savez(
        path,
        sift_centroids=books.sift_centroids.astype(np.float32),
        **fisher,
        mean=classifier.mean.astype(np.float32),
        scale=classifier.scale.astype(np.float32),
        coef=classifier.coef.astype(np.float16),
        intercept=classifier.intercept.astype(np.float32),
        block_sizes=np.array(classifier.block_sizes),
        fine_to_label=classifier.fine_to_label,
    )
    meta = {
        "labels": list(classifier.labels),
        "threshold": classifier.threshold,
        "version": classifier.version,
    }
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
