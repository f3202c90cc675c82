"""The real past repairs most like this one: a small nearest-neighbour index over Open Repair Data.

Built by `training/text_category_training.py` from the partner files (Open Repair Data, CC BY-SA
4.0, "Open Repair Alliance (openrepair.org), compiled by The Restart Project") and shipped as
`artifacts/similar_records.npz`. Each record keeps its year, network, brand, problem text, outcome
and barrier, and a 64-number summary of its problem text: the idf-weighted hashed n-grams of
`text_features` projected by a truncated SVD fitted on every problem text (latent semantic
analysis), unit length, stored as int8. Records are sorted by category, so a query ranks one
category's slice by cosine similarity and fills up from the next category it is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chalicelib.ml.text_features import text_buckets

DEFAULT_PATH = Path(__file__).resolve().parent / "artifacts" / "similar_records.npz"
NO_BARRIER = ""

FloatArray = NDArray[np.float32]


@dataclass(frozen=True)
class SimilarRecord:
    year: int | None
    network: str
    category: str
    brand: str | None
    problem: str
    outcome: str
    barrier: str | None
    similarity: float


def _strings(blob: NDArray[np.uint8], offsets: NDArray[np.uint32], index: int) -> str:
    return bytes(blob[offsets[index] : offsets[index + 1]]).decode("utf-8")


class SimilarRecordsIndex:
    """Loads the index once; `query` is then a few numpy dot products."""

    def __init__(self, arrays: dict[str, NDArray[np.generic]]) -> None:
        self.categories = tuple(str(c) for c in arrays["categories"])
        self._category_index = {c.casefold(): i for i, c in enumerate(self.categories)}
        self.networks = tuple(str(n) for n in arrays["networks"])
        self.statuses = tuple(str(s) for s in arrays["statuses"])
        self.barriers = tuple(str(b) for b in arrays["barriers"])
        self.category_starts = arrays["category_starts"].astype(np.int64)
        self.network = arrays["network"]
        self.year = arrays["year"]
        self.status = arrays["status"]
        self.barrier = arrays["barrier"]
        self.problem_blob = arrays["problem_blob"].astype(np.uint8)
        self.problem_offsets = arrays["problem_offsets"].astype(np.uint32)
        self.brand_blob = arrays["brand_blob"].astype(np.uint8)
        self.brand_offsets = arrays["brand_offsets"].astype(np.uint32)
        self.embeddings = arrays["embeddings"].astype(np.float32) / 127.0  # int8 -> unit length
        self.projection = arrays["projection"].astype(np.float32)
        self.idf = arrays["idf"].astype(np.float32)
        self.buckets = int(arrays["buckets"])
        self.attribution = str(arrays["attribution"])
        self.version = str(arrays["version"])

    @classmethod
    def load(cls, path: Path | None = None) -> SimilarRecordsIndex:
        with np.load(path or DEFAULT_PATH, allow_pickle=False) as arrays:
            return cls({name: arrays[name] for name in arrays.files})

    def __len__(self) -> int:
        return int(self.embeddings.shape[0])

    def embed(self, text: str | None) -> FloatArray:
        """The text's unit-length summary (zeros when it has no words)."""
        values: dict[int, float] = {}
        for key, value in text_buckets(text).items():
            column = key % self.buckets
            values[column] = values.get(column, 0.0) + value
        vector = np.zeros(self.projection.shape[1], dtype=np.float32)
        if values:
            columns = np.fromiter(values, dtype=np.intp, count=len(values))
            weights = np.fromiter(values.values(), dtype=np.float32, count=len(values))
            vector = ((weights * self.idf[columns]) @ self.projection[columns]).astype(np.float32)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm > 0 else vector

    def category_range(self, category: str) -> range:
        index = self._category_index.get(category.strip().casefold())
        if index is None:
            return range(0)
        return range(int(self.category_starts[index]), int(self.category_starts[index + 1]))

    def query(
        self,
        text: str | None,
        categories: Sequence[str],
        limit: int = 5,
        exclude: Sequence[int] = (),
    ) -> list[tuple[int, float]]:
        """Up to `limit` (row, similarity) pairs: the first category's closest records first,
        then the next category's, and so on; all categories when none is given."""
        vector = self.embed(text)
        ranges = [self.category_range(c) for c in categories] or [range(len(self))]
        skip = set(exclude)
        found: list[tuple[int, float]] = []
        for rows in ranges:
            if len(found) >= limit or not rows:
                continue
            scores = self.embeddings[rows.start : rows.stop] @ vector
            order = np.argsort(-scores, kind="stable")[: limit + len(skip)]
            for position in order:
                row = rows.start + int(position)
                if row not in skip and len(found) < limit:
                    found.append((row, float(scores[position])))
        return found

    def record(self, row: int, similarity: float) -> SimilarRecord:
        barrier = self.barriers[int(self.barrier[row])]
        year = int(self.year[row])
        category = int(np.searchsorted(self.category_starts, row, side="right")) - 1
        return SimilarRecord(
            year=year or None,
            network=self.networks[int(self.network[row])],
            category=self.categories[category],
            brand=_strings(self.brand_blob, self.brand_offsets, row) or None,
            problem=_strings(self.problem_blob, self.problem_offsets, row),
            outcome=self.statuses[int(self.status[row])],
            barrier=barrier if barrier != NO_BARRIER else None,
            similarity=round(similarity, 4),
        )

    def similar(
        self, text: str | None, categories: Sequence[str], limit: int = 5
    ) -> list[SimilarRecord]:
        return [self.record(row, score) for row, score in self.query(text, categories, limit)]
