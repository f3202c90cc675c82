"""Problem description + category + age + brand -> a sparse feature vector (numpy only).

Shared by training and inference so both see identical features. Text features are hashed
character n-grams (3 to 5 characters inside word boundaries) plus whole words: they work the same
for English, Dutch, German, French and Danish and need no vocabulary file. Before hashing, words
that report the outcome rather than the problem ("fixed", "gerepareerd", "repariert", "réparé",
"replaced", ...) are masked, because repair cafés often write the result into the problem field
and a model that learns those words is useless on a new request.
"""

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

TEXT_BUCKETS = 2**16
AGE_EDGES = (1.0, 3.0, 6.0, 11.0, 21.0)  # bins: <1, 1-3, 3-6, 6-11, 11-21, >=21, unknown
MASK = "outcomeword"

# Word stems that announce the outcome of the repair (en, nl, de, fr, da). Matched at the start
# of a word, case-insensitively, after accents are kept (the texts use them).
_OUTCOME_STEMS = (
    # English
    "fixed", "repaired", "replaced", "replacing", "resolved", "solved", "soldered", "resoldered",
    "reconnected", "reattached", "glued", "now work", "working now", "works now", "unrepairable",
    "irrepairable", "irreparable", "beyond repair", "not repairable", "end of life", "success",
    # Dutch
    "gerepareerd", "gemaakt", "vervangen", "opgelost", "gesoldeerd", "gelijmd", "hersteld",
    "werkt weer", "doet het weer", "niet te repareren", "onherstelbaar", "niet repareerbaar",
    # German
    "repariert", "ersetzt", "getauscht", "ausgetauscht", "gewechselt", "behoben", "gelötet",
    "geklebt", "funktioniert wieder", "geht wieder", "läuft wieder", "nicht reparierbar",
    "irreparabel", "erfolgreich",
    # French
    "réparé", "reparé", "remplacé", "changé", "résolu", "soudé", "ressoudé", "collé",
    "fonctionne à nouveau", "marche à nouveau", "irréparable", "pas réparable",
    # Danish
    "repareret", "udskiftet", "skiftet", "ordnet", "loddet", "limet", "virker igen",
    "kan ikke repareres",
)  # fmt: skip
_OUTCOME_RE = re.compile(
    r"\b(?:"
    + "|".join(re.escape(s) for s in sorted(_OUTCOME_STEMS, key=len, reverse=True))
    + r")\w*",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"\w+")
_DIGIT_RE = re.compile(r"\d")


def normalise(text: str | None, *, mask_outcome: bool = True) -> str:
    """Lower case, NFKC, digits folded to 0, outcome words masked."""
    if not text:
        return ""
    clean = unicodedata.normalize("NFKC", text).lower()
    if mask_outcome:
        clean = _OUTCOME_RE.sub(MASK, clean)
    return _DIGIT_RE.sub("0", clean)


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % TEXT_BUCKETS


def text_buckets(text: str | None, *, mask_outcome: bool = True) -> dict[int, float]:
    """Hashed word and character n-gram features, sublinear tf, L2-normalised."""
    counts: dict[int, float] = {}
    for word in _WORD_RE.findall(normalise(text, mask_outcome=mask_outcome)):
        grams = [f"w:{word}"]
        padded = f" {word} "
        for n in (3, 4, 5):
            grams.extend(padded[i : i + n] for i in range(max(len(padded) - n + 1, 1)))
        for gram in grams:
            key = _bucket(gram)
            counts[key] = counts.get(key, 0.0) + 1.0
    if not counts:
        return {}
    weighted = {key: 1.0 + math.log(value) for key, value in counts.items()}
    norm = math.sqrt(sum(v * v for v in weighted.values()))
    return {key: value / norm for key, value in weighted.items()}


def age_bin(age_years: float | None) -> int:
    if age_years is None or not math.isfinite(age_years) or age_years < 0 or age_years > 150:
        return len(AGE_EDGES) + 1
    return sum(age_years >= edge for edge in AGE_EDGES)


class FeatureLayout:
    """Column positions: [text buckets | brand buckets | category one-hot | age bin | no text]."""

    def __init__(self, categories: Sequence[str], brand_buckets: int = 2**10) -> None:
        self.categories = tuple(categories)
        self.category_index = {c.casefold(): i for i, c in enumerate(self.categories)}
        self.brand_buckets = brand_buckets
        self.brand_start = TEXT_BUCKETS
        self.category_start = self.brand_start + brand_buckets
        self.age_start = self.category_start + len(self.categories) + 1
        self.no_text_column = self.age_start + len(AGE_EDGES) + 2
        self.width = self.no_text_column + 1

    def category_column(self, category: str | None) -> int:
        index = self.category_index.get((category or "").strip().casefold(), len(self.categories))
        return self.category_start + index

    def brand_column(self, brand: str | None) -> int | None:
        name = (brand or "").strip().casefold()
        if not name or name in {"unknown", "other", "onbekend", "unbekannt", "diverse", "n/a"}:
            return None
        return self.brand_start + zlib.crc32(name.encode("utf-8")) % self.brand_buckets

    def row(
        self,
        description: str | None,
        category: str | None,
        brand: str | None,
        age_years: float | None,
        *,
        mask_outcome: bool = True,
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        """Column indices and values of one record's non-zero features (indices sorted)."""
        values = dict(text_buckets(description, mask_outcome=mask_outcome))
        brand_col = self.brand_column(brand)
        if brand_col is not None:
            values[brand_col] = 1.0
        values[self.category_column(category)] = 1.0
        values[self.age_start + age_bin(age_years)] = 1.0
        if not description or not description.strip():
            values[self.no_text_column] = 1.0
        ordered = sorted(values)
        columns = np.array(ordered, dtype=np.intp)
        data = np.array([values[c] for c in ordered], dtype=np.float64)
        return columns, data
