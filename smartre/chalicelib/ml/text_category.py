"""Problem description -> Open Repair Data product category, over all 40 powered categories.

People name their item in words more often than they photograph it (DESIGN decision 11). A
multinomial logistic regression trained by `training/text_category_training.py` on the partner
files' problem texts (Open Repair Data, CC BY-SA 4.0, Open Repair Alliance, compiled by The Restart
Project) and on the ORDS item-type translations (EN/NL/DE/FR, openrepair tools, GPL-3.0) is
exported to `artifacts/text_category.npz` and applied here with numpy.

Features: the hashed word and character n-grams of `text_features` folded into `buckets` columns
(small enough to ship), plus one column per category that is set when the text names an item
type of that category in any of the four languages ("waterkoker", "bouilloire", "Wasserkocher",
"kettle"); the last match also looks at word endings, so German compounds ("Elektrowasserkocher")
find their item.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chalicelib.ml.text_features import text_buckets

DEFAULT_PATH = Path(__file__).resolve().parent / "artifacts" / "text_category.npz"
MIN_SUFFIX = 5  # a compound's tail names an item only when it is a real word, not "ter"
_WORD_RE = re.compile(r"\w+")

Array = NDArray[np.float64]


def lexicon_key(name: str) -> str:
    """The form item names and texts are compared in: NFKC, lower case, words joined by spaces."""
    return " ".join(_WORD_RE.findall(unicodedata.normalize("NFKC", name).casefold()))


class Lexicon:
    """Item-type names (any language) -> the categories they belong to."""

    def __init__(self, entries: Iterable[tuple[str, int]]) -> None:
        self.names: dict[str, set[int]] = {}
        for name, category in entries:
            key = lexicon_key(name)
            if len(key) >= 3:
                self.names.setdefault(key, set()).add(category)

    def hits(self, text: str | None) -> set[int]:
        """Categories whose item names occur in the text (1-3 word phrases, compound endings)."""
        words = _WORD_RE.findall(unicodedata.normalize("NFKC", text or "").casefold())
        found: set[int] = set()
        for i, word in enumerate(words):
            for n in (1, 2, 3):
                found |= self.names.get(" ".join(words[i : i + n]), set())
            for start in range(1, len(word) - MIN_SUFFIX + 1):
                found |= self.names.get(word[start:], set())
        return found


def feature_row(text: str | None, lexicon: Lexicon, buckets: int) -> tuple[NDArray[np.intp], Array]:
    """Column indices (sorted) and values of one text's non-zero features."""
    values: dict[int, float] = {}
    for key, value in text_buckets(text).items():
        column = key % buckets
        values[column] = values.get(column, 0.0) + value
    for category in lexicon.hits(text):
        values[buckets + category] = 1.0
    ordered = sorted(values)
    return np.array(ordered, dtype=np.intp), np.array([values[c] for c in ordered])


@dataclass(frozen=True)
class CategoryPrediction:
    label: str
    confidence: float
    top3: tuple[tuple[str, float], ...]
    probabilities: Mapping[str, float]


def _softmax(logits: Array) -> Array:
    exp = np.exp(logits - logits.max())
    result: Array = exp / exp.sum()
    return result


class TextCategoryModel:
    """Loads the exported weights once; `predict` is then pure numpy."""

    def __init__(
        self,
        *,
        categories: Sequence[str],
        coef: Array,
        intercept: Array,
        lexicon: Lexicon,
        buckets: int,
        version: str,
    ) -> None:
        self.categories = tuple(categories)
        self.coef = coef  # (features, categories): one row gathered per non-zero feature
        self.intercept = intercept
        self.lexicon = lexicon
        self.buckets = buckets
        self.version = version

    @classmethod
    def load(cls, path: Path | None = None) -> TextCategoryModel:
        with np.load(path or DEFAULT_PATH, allow_pickle=False) as arrays:
            categories = [str(c) for c in arrays["categories"]]
            lexicon = Lexicon(
                zip(
                    (str(n) for n in arrays["lexicon_names"]),
                    (int(c) for c in arrays["lexicon_categories"]),
                    strict=True,
                )
            )
            return cls(
                categories=categories,
                coef=arrays["coef"].astype(np.float64),
                intercept=arrays["intercept"].astype(np.float64),
                lexicon=lexicon,
                buckets=int(arrays["buckets"]),
                version=str(arrays["version"]),
            )

    def probabilities(self, text: str | None) -> Array:
        """What scikit-learn's predict_proba gives for the text (in `categories` order)."""
        columns, values = feature_row(text, self.lexicon, self.buckets)
        return _softmax(values @ self.coef[columns] + self.intercept)

    def predict(self, text: str | None) -> CategoryPrediction | None:
        """The most likely categories, or None when there are no words to go on."""
        if not text or not _WORD_RE.search(text):
            return None
        probabilities = self.probabilities(text)
        order = np.argsort(-probabilities, kind="stable")
        top3 = tuple((self.categories[i], float(probabilities[i])) for i in order[:3])
        return CategoryPrediction(
            label=top3[0][0],
            confidence=top3[0][1],
            top3=top3,
            probabilities={
                c: float(p) for c, p in zip(self.categories, probabilities, strict=True)
            },
        )
