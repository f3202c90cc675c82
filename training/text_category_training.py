"""Train, measure and export the text -> category model and the similar-records index.

Category from text: a multinomial logistic regression over the 40 powered Open Repair Data
categories, trained on every partner record with a problem text and on the ORDS item-type
translations (EN/NL/DE/FR; the only French the data has), each network weighted equally.
Measured leave one partner network out, against the majority class of the networks trained on.

Similar records: an LSA index (see `chalicelib.ml.similar_records`) over the records with a known
outcome and a problem text of a few words. Its relevance is measured on records held out of the
index: how often the nearest records of the same category share the held-out record's outcome
(and, for the crowd-labelled records of the `quests/`, its fault type), against records drawn at
random from the same category.
"""

import csv
import logging
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import LogisticRegression

from chalicelib.ml.similar_records import NO_BARRIER, SimilarRecordsIndex
from chalicelib.ml.text_category import Lexicon, TextCategoryModel, feature_row
from chalicelib.ml.text_features import text_buckets
from training.ords import STATUSES, Record

log = logging.getLogger(__name__)

SEED = 20250701
BUCKETS = 2**14  # text_features' 2**16 hashed columns folded: 40 x 16k float16 weights, 1.3 MB
C_CATEGORY = 4.0
MAX_ITER = 100
LEXICON_REPEATS = 3  # each item-type name counts as this many records of the network "lexicon"
LEXICON_FILE = (
    Path("open_repair_data") / "tools_extras" / "ords_product_category_item_type_translations.csv"
)
LANGUAGES = ("en", "nl", "de", "fr")
QUESTS_DIR = Path("open_repair_data") / "quests"

INDEX_DIMENSIONS = 64
INDEX_MIN_WORDS = 3  # "defekt." tells a visitor nothing
INDEX_MAX_PER_CATEGORY = 900
PROBLEM_MAX_CHARS = 280
INDEX_HOLDOUT_SHARE = 0.05
NETWORK_NAMES = {
    "FixitClinic": "Fixit Clinic",
    "RepairCafeDenmark": "Repair Café Denmark",
    "RepairCafeInternational": "Repair Café International",
    "RepairCafeToronto": "Repair Café Toronto",
    "RepairCafeWales": "Repair Café Wales",
    "RestartProject": "The Restart Project",
    "anstiftung": "anstiftung & ertomis",
}
ATTRIBUTION = (
    "Open Repair Data, CC BY-SA 4.0: Open Repair Alliance (openrepair.org), "
    "compiled by The Restart Project"
)
_UNKNOWN_BRANDS = {"", "unknown", "other", "onbekend", "unbekannt", "diverse", "n/a", "none"}
Array = NDArray[np.float64]


def read_lexicon(data_dir: Path, categories: Sequence[str]) -> list[tuple[str, int]]:
    """(item name, category index) for every translation of every item type; "A / B" is split."""
    index = {c: i for i, c in enumerate(categories)}
    entries = []
    with (data_dir / LEXICON_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            category = index.get(row["product_category"])
            if category is None:
                continue
            for language in LANGUAGES:
                for name in re.split(r"\s*/\s*", row.get(language) or ""):
                    if name.strip():
                        entries.append((name.strip(), category))
    return entries


def category_matrix(texts: Sequence[str], lexicon: Lexicon, categories: int) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[NDArray[np.intp]] = []
    values: list[Array] = []
    for text in texts:
        columns, data = feature_row(text, lexicon, BUCKETS)
        indices.append(columns)
        values.append(data)
        indptr.append(indptr[-1] + len(columns))
    return sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)),
        shape=(len(texts), BUCKETS + categories),
    )


def _weights(networks: Sequence[str]) -> Array:
    counts = Counter(networks)
    per_network = len(networks) / len(counts)
    return np.array([per_network / counts[n] for n in networks])


def fit_category(
    matrix: sparse.csr_matrix, targets: NDArray[np.intp], networks: Sequence[str], classes: int
) -> LogisticRegression:
    model = LogisticRegression(C=C_CATEGORY, max_iter=MAX_ITER, tol=1e-3, random_state=SEED)
    model.fit(matrix, targets, sample_weight=_weights(networks))
    if len(model.classes_) != classes:  # every category must be a column, trained or not
        coef = np.full((classes, matrix.shape[1]), 0.0)
        intercept = np.full(classes, -30.0)
        coef[model.classes_] = model.coef_
        intercept[model.classes_] = model.intercept_
        model.coef_, model.intercept_, model.classes_ = coef, intercept, np.arange(classes)
    # The shipped weights are float16 (the SmartRe package must stay small); round here, through
    # float32, so scikit-learn and numpy use the same numbers.
    model.coef_ = model.coef_.astype(np.float32).astype(np.float16).astype(np.float64)
    model.intercept_ = model.intercept_.astype(np.float32).astype(np.float64)
    return model


def _topk(proba: Array, truth: NDArray[np.intp]) -> tuple[float, float]:
    order = np.argsort(-proba, axis=1, kind="stable")[:, :3]
    return float((order[:, 0] == truth).mean()), float((order == truth[:, None]).any(axis=1).mean())


def training_rows(
    records: Sequence[Record], categories: Sequence[str], lexicon_entries: list[tuple[str, int]]
) -> tuple[list[Record], list[str], NDArray[np.intp], list[str]]:
    """The records used, and every training row's text, category index and network: each record
    with a problem text and a known category, then the lexicon names (network "lexicon")."""
    index = {c: i for i, c in enumerate(categories)}
    usable = [r for r in records if r.problem and r.category in index]
    texts = [r.problem for r in usable] + [name for name, _ in lexicon_entries] * LEXICON_REPEATS
    targets = np.array(
        [index[r.category] for r in usable] + [c for _, c in lexicon_entries] * LEXICON_REPEATS
    )
    networks = [r.network for r in usable] + ["lexicon"] * len(lexicon_entries) * LEXICON_REPEATS
    return usable, texts, targets, networks


def train_text_category(
    records: Sequence[Record],
    categories: Sequence[str],
    lexicon_entries: list[tuple[str, int]],
    *,
    run_evaluation: bool = True,
) -> tuple[TextCategoryModel, dict[str, Any]]:
    """Fit on everything; measure leave one network out. Records need a problem and a category."""
    usable, texts, targets, networks = training_rows(records, categories, lexicon_entries)
    lexicon = Lexicon(lexicon_entries)
    matrix = category_matrix(texts, lexicon, len(categories))
    log.info("text category: %d records, %d lexicon names", len(usable), len(lexicon_entries))
    metrics: dict[str, Any] = {
        "records": len(usable),
        "lexicon_names": len(lexicon_entries),
        "buckets": BUCKETS,
        "c": C_CATEGORY,
    }
    if run_evaluation:
        per_network: dict[str, Any] = {}
        is_record = np.array([n != "lexicon" for n in networks])
        for held_out in sorted({r.network for r in usable}):
            test = np.array([n == held_out for n in networks])
            train = ~test
            model = fit_category(
                matrix[train],
                targets[train],
                [n for n, t in zip(networks, train, strict=True) if t],
                len(categories),
            )
            proba = model.predict_proba(matrix[test])
            top1, top3 = _topk(proba, targets[test])
            majority = Counter(targets[train & is_record].tolist()).most_common(1)[0][0]
            lexicon_only = _lexicon_baseline(lexicon, [texts[i] for i in np.flatnonzero(test)])
            lexicon_hits = [p == t for p, t in zip(lexicon_only, targets[test], strict=True)]
            per_network[held_out] = {
                "records": int(test.sum()),
                "top1": round(top1, 4),
                "top3": round(top3, 4),
                "majority_class": categories[majority],
                "majority_top1": round(float((targets[test] == majority).mean()), 4),
                "lexicon_only_top1": round(float(np.mean(lexicon_hits)), 4),
            }
            log.info("text category, %s left out: %s", held_out, per_network[held_out])
        metrics["leave_one_network_out"] = per_network
        total = sum(v["records"] for v in per_network.values())
        metrics["pooled"] = {
            key: round(sum(v[key] * v["records"] for v in per_network.values()) / total, 4)
            for key in ("top1", "top3", "majority_top1", "lexicon_only_top1")
        }
    model = fit_category(matrix, targets, networks, len(categories))
    served = TextCategoryModel(
        categories=categories,
        coef=model.coef_.T.copy(),
        intercept=model.intercept_.copy(),
        lexicon=lexicon,
        buckets=BUCKETS,
        version="pending",
    )
    sample = np.arange(0, len(usable), max(len(usable) // 300, 1))
    metrics["parity_fixture"] = {
        "texts": np.array([usable[i].problem for i in sample]),
        "proba": model.predict_proba(matrix[sample]),
    }
    return served, metrics


def _lexicon_baseline(lexicon: Lexicon, texts: Sequence[str]) -> list[int]:
    """The first category whose item name the text contains (-1: none): the rule-only baseline."""
    return [min(lexicon.hits(t), default=-1) for t in texts]


def save_text_category(
    model: TextCategoryModel, entries: list[tuple[str, int]], target: Path
) -> None:
    np.savez_compressed(
        target,
        categories=np.array(model.categories),
        coef=model.coef.astype(np.float16),
        intercept=model.intercept.astype(np.float32),
        lexicon_names=np.array([name for name, _ in entries]),
        lexicon_categories=np.array([c for _, c in entries], dtype=np.int16),
        buckets=np.array(model.buckets),
        version=np.array(model.version),
    )


# --- similar records ---------------------------------------------------------------------------


def _bucket_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for i, text in enumerate(texts):
        folded: dict[int, float] = {}
        for key, value in text_buckets(text).items():
            folded[key % BUCKETS] = folded.get(key % BUCKETS, 0.0) + value
        rows.extend([i] * len(folded))
        cols.extend(folded)
        vals.extend(folded.values())
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), BUCKETS))


def _index_candidates(records: Sequence[Record], categories: Sequence[str]) -> list[Record]:
    """Records worth showing: known outcome, a problem of a few words, one per distinct text."""
    wanted = set(categories)
    seen: set[tuple[str, str]] = set()
    chosen = []
    for record in records:
        key = (record.category, " ".join(record.problem.casefold().split()))
        if (
            record.category in wanted
            and record.status in STATUSES
            and len(re.findall(r"\w+", record.problem)) >= INDEX_MIN_WORDS
            and key not in seen
        ):
            seen.add(key)
            chosen.append(record)
    return chosen


def build_similar_index(
    records: Sequence[Record], categories: Sequence[str], version: str
) -> tuple[dict[str, NDArray[Any]], list[Record]]:
    """The arrays of `similar_records.npz` and the records they hold (in row order)."""
    rng = np.random.default_rng(SEED)
    candidates = _index_candidates(records, categories)
    by_category: dict[str, list[Record]] = {c: [] for c in categories}
    for record in candidates:
        by_category[record.category].append(record)
    rows: list[Record] = []
    starts = [0]
    for category in categories:
        group = by_category[category]
        if len(group) > INDEX_MAX_PER_CATEGORY:
            keep = np.sort(rng.choice(len(group), INDEX_MAX_PER_CATEGORY, replace=False))
            group = [group[i] for i in keep]
        rows.extend(group)
        starts.append(len(rows))
    counts = _bucket_matrix([r.problem for r in candidates])
    document_frequency = np.asarray((counts > 0).sum(axis=0)).ravel()
    idf = np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1.0
    svd = TruncatedSVD(n_components=INDEX_DIMENSIONS, random_state=SEED, algorithm="randomized")
    svd.fit(counts @ sparse.diags(idf))
    projection = svd.components_.T.astype(np.float32)
    embedded = (_bucket_matrix([r.problem for r in rows]) @ sparse.diags(idf)) @ projection
    norms = np.linalg.norm(embedded, axis=1, keepdims=True)
    embedded = embedded / np.where(norms > 0, norms, 1.0)

    networks = sorted({r.network for r in rows})
    barriers = [NO_BARRIER, *sorted({r.barrier for r in rows if r.barrier} - {NO_BARRIER})]
    problems = [_shorten(r.problem).encode("utf-8") for r in rows]
    brands = [
        ("" if r.brand.casefold() in _UNKNOWN_BRANDS else r.brand[:40]).encode("utf-8")
        for r in rows
    ]
    arrays: dict[str, NDArray[Any]] = {
        "categories": np.array(categories),
        "category_starts": np.array(starts, dtype=np.int32),
        "networks": np.array([NETWORK_NAMES.get(n, n) for n in networks]),
        "statuses": np.array(STATUSES),
        "barriers": np.array(barriers),
        "network": np.array([networks.index(r.network) for r in rows], dtype=np.uint8),
        "year": np.array([_year(r.date) for r in rows], dtype=np.uint16),
        "status": np.array([STATUSES.index(r.status) for r in rows], dtype=np.uint8),
        "barrier": np.array(
            [barriers.index(r.barrier) if r.barrier else 0 for r in rows], dtype=np.uint8
        ),
        "problem_blob": np.frombuffer(b"".join(problems), dtype=np.uint8),
        "problem_offsets": np.cumsum([0] + [len(p) for p in problems]).astype(np.uint32),
        "brand_blob": np.frombuffer(b"".join(brands), dtype=np.uint8),
        "brand_offsets": np.cumsum([0] + [len(b) for b in brands]).astype(np.uint32),
        "embeddings": np.round(embedded * 127).astype(np.int8),
        "projection": projection.astype(np.float16),
        "idf": idf.astype(np.float16),
        "buckets": np.array(BUCKETS),
        "attribution": np.array(ATTRIBUTION),
        "version": np.array(version),
    }
    return arrays, rows


def _shorten(text: str) -> str:
    clean = " ".join(text.split())
    if len(clean) <= PROBLEM_MAX_CHARS:
        return clean
    return clean[: PROBLEM_MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _year(date: str) -> int:
    try:
        year = int(date[:4])
    except ValueError:
        return 0
    return year if 1990 <= year <= 2100 else 0


def read_fault_types(data_dir: Path) -> dict[str, str]:
    """ORDS record id -> crowd-labelled fault type, from every quest's main file."""
    faults: dict[str, str] = {}
    for path in sorted((data_dir / QUESTS_DIR).glob("*/*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or not {"id_ords", "fault_type"} <= set(reader.fieldnames):
                continue
            for row in reader:
                if row["fault_type"] and row["fault_type"].casefold() != "unknown":
                    faults[row["id_ords"]] = row["fault_type"]
    return faults


def evaluate_similar(
    records: Sequence[Record],
    categories: Sequence[str],
    faults: dict[str, str],
    k: int = 5,
) -> dict[str, Any]:
    """Relevance on records held out of the index: nearest-k vs random-k of the same category."""
    rng = np.random.default_rng(SEED + 1)
    candidates = _index_candidates(records, categories)
    held = rng.random(len(candidates)) < INDEX_HOLDOUT_SHARE
    # The quest records are the only ones with a fault type: hold half of them out, so the other
    # half in the index can be compared with them.
    quest = np.array([_ords_id(r) in faults for r in candidates])
    held |= quest & (rng.random(len(candidates)) < 0.5)
    kept = [r for r, h in zip(candidates, held, strict=True) if not h]
    arrays, rows = build_similar_index(kept, categories, "evaluation")
    index = SimilarRecordsIndex(arrays)
    outcome_near, outcome_random, fault_near, fault_random = [], [], [], []
    row_faults = [faults.get(_ords_id(r)) for r in rows]
    for record in (r for r, h in zip(candidates, held, strict=True) if h):
        span = index.category_range(record.category)
        if len(span) < k:
            continue
        near = [row for row, _ in index.query(record.problem, [record.category], k)]
        drawn = rng.choice(np.arange(span.start, span.stop), k, replace=False).tolist()
        outcome_near.append(np.mean([rows[i].status == record.status for i in near]))
        outcome_random.append(np.mean([rows[i].status == record.status for i in drawn]))
        fault = faults.get(_ords_id(record))
        if fault:
            near_f = [row_faults[i] for i in near if row_faults[i]]
            drawn_f = [row_faults[i] for i in drawn if row_faults[i]]
            if near_f and drawn_f:
                fault_near.append(np.mean([f == fault for f in near_f]))
                fault_random.append(np.mean([f == fault for f in drawn_f]))
    return {
        "k": k,
        "held_out_queries": len(outcome_near),
        "same_outcome_nearest": round(float(np.mean(outcome_near)), 4),
        "same_outcome_random": round(float(np.mean(outcome_random)), 4),
        "fault_queries": len(fault_near),
        "same_fault_nearest": round(float(np.mean(fault_near)), 4) if fault_near else None,
        "same_fault_random": round(float(np.mean(fault_random)), 4) if fault_random else None,
    }


def _ords_id(record: Record) -> str:
    """The id the quests use: `<data_provider>_<id>` unless the id already carries it."""
    return record.id if "_" in record.id else f"{record.network}_{record.id}"
