"""Hand-made image features computed with numpy only, shared by training and inference.

The same function runs in `training/` and in the Lambda, so the model sees exactly the features it
was trained on. The photo is first center-cropped to a square and resized to a fixed size: no
feature can depend on the pixel dimensions or the aspect ratio of the upload (in the training data
the image size alone would give away the clothing photos). Four complementary blocks follow, each
classified by its own linear model (see `image_model`):

1. shape and texture histograms: gradient orientations (two scales), HSV colour and local binary
   patterns, pooled over a spatial pyramid and square-rooted (Hellinger);
2. a bag of visual words: dense SIFT-like gradient descriptors assigned to a learned codebook and
   pooled over a 1x1, 2x2 and 4x4 pyramid;
3. a Fisher vector (Perronnin et al. 2010) of dense SIFT-like descriptors at two scales,
   PCA-reduced, with each descriptor's position appended (Sanchez et al. 2012) instead of a
   spatial pyramid;
4. a Fisher vector of local colour statistics (mean and spread of the opponent colour channels).
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from PIL import Image

SIZE = 128
_HOG_BINS = 9
_HOG_CELL = 8
_SIFT_BINS = 8
_SIFT_CELL = 4
_HSV_BINS = (8, 3, 3)
_COLOUR_CELL = 4
_LUMA = np.array([0.299, 0.587, 0.114])

Array = NDArray[np.float64]


@dataclass(frozen=True)
class FisherCodebook:
    """A PCA projection and a diagonal Gaussian mixture over (reduced descriptor, y, x)."""

    pca_mean: Array  # (D,)
    pca: Array  # (D, d)
    weights: Array  # (K,)
    means: Array  # (K, d + 2)
    variances: Array  # (K, d + 2)

    @property
    def log_constants(self) -> Array:
        """Per component: log weight - 0.5 * (log det + mean' inv(var) mean)."""
        result: Array = np.log(self.weights) - 0.5 * (
            np.log(self.variances).sum(axis=1) + (self.means**2 / self.variances).sum(axis=1)
        )
        return result


@dataclass(frozen=True)
class Codebooks:
    """What the feature extractor learned from the training photos."""

    sift_centroids: Array  # (K, 128)
    sift_gmm: FisherCodebook
    colour_gmm: FisherCodebook


def square_pixels(image: Image.Image, size: int = SIZE) -> NDArray[np.float64]:
    """The central square of `image`, resized to size x size, as RGB floats in [0, 1]."""
    width, height = image.size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    square = image.crop((left, top, left + side, top + side))
    resized = square.resize((size, size), Image.Resampling.BILINEAR)
    return np.asarray(resized, dtype=np.float64) / 255.0


def _region_index(height: int, width: int, levels: tuple[int, ...]) -> list[NDArray[np.intp]]:
    """For each pyramid level, every pixel's region number (row-major within the level)."""
    rows, cols = np.indices((height, width))
    return [(rows * level // height) * level + (cols * level // width) for level in levels]


def _pyramid_counts(
    codes: NDArray[np.intp], weights: Array | None, bins: int, levels: tuple[int, ...]
) -> Array:
    """Weighted counts of `codes` in each spatial-pyramid region: (regions, bins)."""
    height, width = codes.shape
    parts = []
    for level, region in zip(levels, _region_index(height, width, levels), strict=True):
        flat = (region * bins + codes).ravel()
        counts = np.bincount(
            flat,
            weights=None if weights is None else weights.ravel(),
            minlength=level * level * bins,
        )
        parts.append(counts.reshape(level * level, bins))
    return np.concatenate(parts, axis=0)


def _hellinger(counts: Array) -> Array:
    """Each row L1-normalised then square-rooted, flattened."""
    return np.sqrt(counts / np.maximum(counts.sum(axis=1, keepdims=True), 1e-12)).ravel()


def _gradients(gray: Array) -> tuple[Array, Array]:
    gx = np.zeros_like(gray)
    gy = np.zeros_like(gray)
    gx[:, 1:-1] = gray[:, 2:] - gray[:, :-2]
    gy[1:-1, :] = gray[2:, :] - gray[:-2, :]
    return gx, gy


def _orientation_votes(
    gray: Array, bins: int, signed: bool
) -> tuple[NDArray[np.intp], Array, Array]:
    """Per pixel: the lower orientation bin, its weight share and the gradient magnitude."""
    gx, gy = _gradients(gray)
    magnitude = np.hypot(gx, gy)
    period = 2 * np.pi if signed else np.pi
    position = np.mod(np.arctan2(gy, gx), period) / period * bins
    lower = np.floor(position)
    share = position - lower
    return lower.astype(np.intp) % bins, share, magnitude


def _hog_pyramid(gray: Array) -> Array:
    lower, share, magnitude = _orientation_votes(gray, _HOG_BINS, signed=False)
    levels = (1, 2, 4)
    low = _pyramid_counts(lower, magnitude * (1 - share), _HOG_BINS, levels)
    high = _pyramid_counts((lower + 1) % _HOG_BINS, magnitude * share, _HOG_BINS, levels)
    return _hellinger(low + high)


def _hsv_codes(rgb: Array) -> NDArray[np.intp]:
    high = rgb.max(axis=-1)
    low = rgb.min(axis=-1)
    spread = high - low
    safe = np.maximum(spread, 1e-12)
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    hue = np.where(
        high == red,
        np.mod((green - blue) / safe, 6),
        np.where(high == green, (blue - red) / safe + 2, (red - green) / safe + 4),
    )
    hue = np.where(spread == 0, 0, hue) / 6
    saturation = np.where(high == 0, 0, spread / np.maximum(high, 1e-12))
    hue_bins, sat_bins, val_bins = _HSV_BINS
    h = np.minimum((hue * hue_bins).astype(np.intp), hue_bins - 1)
    s = np.minimum((saturation * sat_bins).astype(np.intp), sat_bins - 1)
    v = np.minimum((high * val_bins).astype(np.intp), val_bins - 1)
    codes: NDArray[np.intp] = (h * sat_bins + s) * val_bins + v
    return codes


def _lbp_codes(gray: Array) -> NDArray[np.intp]:
    centre = gray[1:-1, 1:-1]
    height, width = gray.shape
    codes = np.zeros(centre.shape, dtype=np.intp)
    neighbours = ((-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1))
    for bit, (dy, dx) in enumerate(neighbours):
        shifted = gray[1 + dy : height - 1 + dy, 1 + dx : width - 1 + dx]
        codes |= (shifted >= centre + 0.01).astype(np.intp) << bit
    return codes


def histogram_features(rgb: Array) -> Array:
    """Block 1: gradient, colour and texture histograms over spatial pyramids."""
    gray = rgb @ _LUMA
    half = gray.reshape(gray.shape[0] // 2, 2, gray.shape[1] // 2, 2).mean(axis=(1, 3))
    hsv_bins = int(np.prod(_HSV_BINS))
    return np.concatenate(
        [
            _hog_pyramid(gray),
            _hog_pyramid(half),
            _hellinger(_pyramid_counts(_hsv_codes(rgb), None, hsv_bins, (1, 2))),
            _hellinger(_pyramid_counts(_lbp_codes(gray), None, 256, (1, 2))),
        ]
    )


def _dense_sift(gray: Array) -> tuple[Array, int, int]:
    """4x4-cell, 8-orientation descriptors (RootSIFT-style) at every cell (stride _SIFT_CELL)."""
    lower, share, magnitude = _orientation_votes(gray, _SIFT_BINS, signed=True)
    height, width = gray.shape
    cells_y, cells_x = height // _SIFT_CELL, width // _SIFT_CELL
    cell = (np.arange(height)[:, None] // _SIFT_CELL) * cells_x + (
        np.arange(width)[None, :] // _SIFT_CELL
    )
    total = cells_y * cells_x * _SIFT_BINS
    votes = np.bincount(
        (cell * _SIFT_BINS + lower).ravel(), (magnitude * (1 - share)).ravel(), total
    ) + np.bincount(
        (cell * _SIFT_BINS + (lower + 1) % _SIFT_BINS).ravel(), (magnitude * share).ravel(), total
    )
    grid = votes.reshape(cells_y, cells_x, _SIFT_BINS)
    windows = sliding_window_view(grid, (4, 4), axis=(0, 1))
    rows, cols = windows.shape[:2]
    desc = windows.reshape(rows * cols, -1)
    desc = desc / (np.linalg.norm(desc, axis=1, keepdims=True) + 1e-3)
    desc = np.minimum(desc, 0.2)
    desc = desc / (np.linalg.norm(desc, axis=1, keepdims=True) + 1e-6)
    return np.sqrt(desc), rows, cols


def _grid_positions(rows: int, cols: int, cells_y: int, cells_x: int) -> Array:
    """Each 4x4-cell window's centre as (y, x) in [-0.5, 0.5), row-major."""
    ys = (np.arange(rows) + 2) / cells_y - 0.5
    xs = (np.arange(cols) + 2) / cells_x - 0.5
    return np.stack(np.meshgrid(ys, xs, indexing="ij"), axis=-1).reshape(-1, 2)


def _every_other(desc: Array, rows: int, cols: int) -> tuple[Array, int, int]:
    """The descriptors on the 8 px grid (every other window in both directions)."""
    grid = desc.reshape(rows, cols, -1)[::2, ::2]
    return grid.reshape(-1, desc.shape[1]), grid.shape[0], grid.shape[1]


def sift_descriptors(rgb: Array) -> tuple[Array, int, int]:
    """Dense SIFT-like descriptors on a grid with 8 px stride (the bag-of-words input)."""
    return _every_other(*_dense_sift(rgb @ _LUMA))


def _multiscale(gray: Array) -> tuple[tuple[Array, int, int], Array, Array]:
    """The full-size dense descriptors (with their grid shape), then every descriptor of both
    scales and their positions."""
    half = gray.reshape(gray.shape[0] // 2, 2, gray.shape[1] // 2, 2).mean(axis=(1, 3))
    fine = _dense_sift(gray)
    descs, positions = [], []
    for image, (desc, rows, cols) in ((gray, fine), (half, _dense_sift(half))):
        descs.append(desc)
        positions.append(
            _grid_positions(rows, cols, image.shape[0] // _SIFT_CELL, image.shape[1] // _SIFT_CELL)
        )
    return fine, np.vstack(descs), np.vstack(positions)


def multiscale_sift(rgb: Array) -> tuple[Array, Array]:
    """Dense descriptors every 4 px (16 px windows) and every 8 px on the half-size image (32 px
    windows), with each window's centre position."""
    _, descs, positions = _multiscale(rgb @ _LUMA)
    return descs, positions


def colour_descriptors(rgb: Array) -> tuple[Array, Array]:
    """Local colour statistics: the mean and spread of the opponent colour channels in each 4 px
    cell, over windows of 4x4 cells every 4 px (96 numbers each), with each window's centre."""
    red, green, blue = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    opponent = np.stack(
        [
            (red - green) / np.sqrt(2),
            (red + green - 2 * blue) / np.sqrt(6),
            (red + green + blue) / np.sqrt(3),
        ],
        axis=-1,
    )
    height, width = rgb.shape[:2]
    cells_y, cells_x = height // _COLOUR_CELL, width // _COLOUR_CELL
    cells = opponent.reshape(cells_y, _COLOUR_CELL, cells_x, _COLOUR_CELL, 3)
    mean = cells.mean(axis=(1, 3))
    spread = np.sqrt(np.maximum((cells**2).mean(axis=(1, 3)) - mean**2, 0.0))
    grid = np.concatenate([mean, spread], axis=-1)
    windows = sliding_window_view(grid, (4, 4), axis=(0, 1))
    rows, cols = windows.shape[:2]
    return windows.reshape(rows * cols, -1), _grid_positions(rows, cols, cells_y, cells_x)


def _nearest(points: Array, centroids: Array) -> NDArray[np.intp]:
    distances = (centroids**2).sum(axis=1) - 2 * points @ centroids.T
    return np.argmin(distances, axis=1)


def _word_pyramid(desc: Array, rows: int, cols: int, centroids: Array) -> Array:
    words = _nearest(desc, centroids).reshape(rows, cols)
    return _hellinger(_pyramid_counts(words, None, len(centroids), (1, 2, 4)))


def bag_of_words(rgb: Array, centroids: Array) -> Array:
    """Block 2: visual-word histograms over a 1x1, 2x2, 4x4 pyramid."""
    return _word_pyramid(*sift_descriptors(rgb), centroids)


def project(descriptors: Array, positions: Array, gmm: FisherCodebook) -> Array:
    """PCA-reduced descriptors with their (y, x) position appended (the GMM's input space)."""
    reduced = (descriptors - gmm.pca_mean) @ gmm.pca
    return np.hstack([reduced, positions])


def fisher_vector(points: Array, gmm: FisherCodebook) -> Array:
    """Improved Fisher vector (Perronnin et al. 2010): the normalised gradients of the
    log-likelihood of `points` with respect to the GMM's means and variances, then signed square
    root and L2 normalisation."""
    inverse = 1.0 / gmm.variances
    log_likelihood = (
        -0.5 * ((points**2) @ inverse.T - 2 * points @ (gmm.means * inverse).T) + gmm.log_constants
    )
    log_likelihood -= log_likelihood.max(axis=1, keepdims=True)
    posteriors = np.exp(log_likelihood)
    posteriors /= posteriors.sum(axis=1, keepdims=True)
    count = len(points)
    s0 = posteriors.sum(axis=0)[:, None]
    s1 = posteriors.T @ points
    s2 = posteriors.T @ (points**2)
    means, variances = gmm.means, gmm.variances
    weights = gmm.weights[:, None]
    d_means = (s1 - s0 * means) / np.sqrt(variances) / (count * np.sqrt(weights))
    d_vars = (s2 - 2 * s1 * means + s0 * (means**2 - variances)) / variances
    d_vars /= count * np.sqrt(2 * weights)
    vector = np.concatenate([d_means.ravel(), d_vars.ravel()])
    vector = np.sign(vector) * np.sqrt(np.abs(vector))
    result: Array = vector / (np.linalg.norm(vector) + 1e-12)
    return result


def sift_fisher(rgb: Array, gmm: FisherCodebook) -> Array:
    """Block 3: Fisher vector of the multi-scale dense SIFT descriptors (position-augmented)."""
    return fisher_vector(project(*multiscale_sift(rgb), gmm), gmm)


def colour_fisher(rgb: Array, gmm: FisherCodebook) -> Array:
    """Block 4: Fisher vector of the local opponent-colour statistics (position-augmented)."""
    return fisher_vector(project(*colour_descriptors(rgb), gmm), gmm)


def block_sizes(codebooks: Codebooks) -> tuple[int, ...]:
    """The length of each feature block, in the order of `image_features`."""
    hsv_bins = int(np.prod(_HSV_BINS))
    histogram = 2 * 21 * _HOG_BINS + 5 * hsv_bins + 5 * 256
    words = 21 * len(codebooks.sift_centroids)
    return (
        histogram,
        words,
        codebooks.sift_gmm.means.size * 2,
        codebooks.colour_gmm.means.size * 2,
    )


def image_features(rgb: Array, codebooks: Codebooks) -> Array:
    """The full feature vector of one square SIZE x SIZE RGB array (the blocks of `block_sizes`;
    the full-size SIFT descriptors are computed once for the bag of words and the Fisher
    vector)."""
    fine, sift, positions = _multiscale(rgb @ _LUMA)
    return np.concatenate(
        [
            histogram_features(rgb),
            _word_pyramid(*_every_other(*fine), codebooks.sift_centroids),
            fisher_vector(project(sift, positions, codebooks.sift_gmm), codebooks.sift_gmm),
            colour_fisher(rgb, codebooks.colour_gmm),
        ]
    )
