"""Hand-made image features computed with numpy only, shared by training and inference.

The same function runs in `training/` and in the Lambda, so the model sees exactly the features it
was trained on. The photo is first center-cropped to a square and resized to a fixed size: no
feature can depend on the pixel dimensions or the aspect ratio of the upload (in the training data
the image size alone would give away the clothing photos). Three complementary blocks follow:

1. shape and texture histograms: gradient orientations (two scales), HSV colour and local binary
   patterns, pooled over a spatial pyramid and square-rooted (Hellinger);
2. a bag of visual words: dense SIFT-like gradient descriptors assigned to a learned codebook and
   pooled over a 1x1, 2x2 and 4x4 pyramid;
3. single-layer learned filters (Coates & Ng 2011): whitened colour patches compared with k-means
   centroids ("triangle" activation), averaged over the four quadrants.
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
_PATCH = 6
_COATES_SIZE = 64
_COATES_STRIDE = 2
_LUMA = np.array([0.299, 0.587, 0.114])

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Codebooks:
    """What the feature extractor learned from the training photos."""

    sift_centroids: Array  # (K, 128)
    patch_mean: Array  # (108,)
    patch_whitening: Array  # (108, 108)
    patch_centroids: Array  # (K, 108)


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


def sift_descriptors(rgb: Array) -> tuple[Array, int, int]:
    """Dense 4x4-cell, 8-orientation descriptors (RootSIFT-style), on a grid with 8 px stride."""
    gray = rgb @ _LUMA
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
    windows = sliding_window_view(grid, (4, 4), axis=(0, 1))[::2, ::2]
    rows, cols = windows.shape[:2]
    desc = windows.reshape(rows * cols, -1)
    desc = desc / (np.linalg.norm(desc, axis=1, keepdims=True) + 1e-3)
    desc = np.minimum(desc, 0.2)
    desc = desc / (np.linalg.norm(desc, axis=1, keepdims=True) + 1e-6)
    return np.sqrt(desc), rows, cols


def _nearest(points: Array, centroids: Array) -> NDArray[np.intp]:
    distances = (centroids**2).sum(axis=1) - 2 * points @ centroids.T
    return np.argmin(distances, axis=1)


def bag_of_words(rgb: Array, centroids: Array) -> Array:
    """Block 2: visual-word histograms over a 1x1, 2x2, 4x4 pyramid."""
    desc, rows, cols = sift_descriptors(rgb)
    words = _nearest(desc, centroids).reshape(rows, cols)
    return _hellinger(_pyramid_counts(words, None, len(centroids), (1, 2, 4)))


def colour_patches(rgb: Array) -> tuple[Array, int, int]:
    """6x6 colour patches of the 64 px image (stride 2), contrast-normalised (0-255 scale)."""
    small = rgb.reshape(_COATES_SIZE, 2, _COATES_SIZE, 2, 3).mean(axis=(1, 3)) * 255.0
    windows = sliding_window_view(small, (_PATCH, _PATCH, 3))[::_COATES_STRIDE, ::_COATES_STRIDE, 0]
    rows, cols = windows.shape[:2]
    patches = windows.reshape(rows * cols, -1)
    patches = patches - patches.mean(axis=1, keepdims=True)
    patches = patches / np.sqrt(patches.var(axis=1, keepdims=True) + 10.0)
    return patches, rows, cols


def learned_filters(rgb: Array, codebooks: Codebooks) -> Array:
    """Block 3: triangle activations of whitened patches, averaged per image quadrant."""
    patches, rows, cols = colour_patches(rgb)
    # float32 for the two matrix products: they dominate the photo latency, and the result is
    # identical in training and inference because both run this function.
    centred = (patches - codebooks.patch_mean).astype(np.float32)
    white = centred @ codebooks.patch_whitening.astype(np.float32)
    centroids = codebooks.patch_centroids.astype(np.float32)
    squared = (white**2).sum(axis=1, keepdims=True) - 2 * white @ centroids.T
    distances = np.sqrt(np.maximum(squared + (centroids**2).sum(axis=1), 0.0)).astype(np.float64)
    active = np.maximum(distances.mean(axis=1, keepdims=True) - distances, 0.0)
    grid = active.reshape(rows, cols, -1)
    mid_r, mid_c = rows // 2, cols // 2
    quadrants = (
        grid[:mid_r, :mid_c],
        grid[:mid_r, mid_c:],
        grid[mid_r:, :mid_c],
        grid[mid_r:, mid_c:],
    )
    return np.concatenate([q.mean(axis=(0, 1)) for q in quadrants])


def image_features(rgb: Array, codebooks: Codebooks) -> Array:
    """The full feature vector of one square SIZE x SIZE RGB array."""
    return np.concatenate(
        [
            histogram_features(rgb),
            bag_of_words(rgb, codebooks.sift_centroids),
            learned_filters(rgb, codebooks),
        ]
    )
