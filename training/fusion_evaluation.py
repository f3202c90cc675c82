"""`python -m training.fusion_evaluation`: measure the photo + words category fusion on unseen data.

No licensed data pairs a photo with the problem text of the same item, so pairs are made: each
photo of the image model's held-out split (`image_data`, never trained on) is paired with
`TEXTS_PER_PHOTO` problem texts of the same ORDS category, drawn (seeded) from the records of
`LEFT_OUT_NETWORK`. The shipped text model was trained on every partner network, so a text model is
refitted here, exactly as the leave-one-network-out evaluation of `text_category_training` does,
without that network; the photo side is the image model's evaluation head (fitted on the
development photos only, with the shipped refusal thresholds from `metrics.json`).

Each pair is scored three ways: the photo alone (its top category), the words alone (their top
category), and the shipped rule (`services.category_fusion` via `merge.effective_category`:
a recognised photo is fused with the words, otherwise confident words decide). The photo
categories the words cannot name (the three "Unpowered" ones: no partner record has them) have no
texts and are left out. A second condition keeps only texts in which no lexicon term occurs
(“doesn't turn on”), which are common. Results go to
`metrics.json["text_category"]["fusion"]`; `python -m training.model_card` prints them.
"""

import json
import logging
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from chalicelib.merge import effective_category
from chalicelib.ml.efficientnet import EfficientNetLite0
from chalicelib.ml.text_category import Lexicon
from chalicelib.services.category_fusion import fused_category
from repaircore.vocabulary import PRODUCT_CATEGORIES
from training import TRAINING_THREADS
from training.image_data import LABELS, list_photos
from training.image_training import (
    CACHE_DIR,
    backbone_digest,
    extract,
    fit_head,
    to_classifier,
)
from training.ords import Record, partner_files, read_records
from training.text_category_training import (
    category_matrix,
    fit_category,
    read_lexicon,
    training_rows,
)

log = logging.getLogger(__name__)

SEED = 20250714
LEFT_OUT_NETWORK = "RepairCafeInternational"
TEXTS_PER_PHOTO = 5


def draw_texts(
    photo_labels: Sequence[str],
    pool: Mapping[str, Sequence[int]],
    per_photo: int,
    rng: np.random.Generator,
) -> list[tuple[int, int]]:
    """(photo index, text index) pairs: up to `per_photo` distinct texts of each photo's category
    from `pool` (category -> text indices); photos whose category has no text get no pair."""
    pairs: list[tuple[int, int]] = []
    for photo, label in enumerate(photo_labels):
        texts = pool.get(label, ())
        if not texts:
            continue
        chosen = rng.choice(len(texts), min(per_photo, len(texts)), replace=False)
        pairs.extend((photo, int(texts[i])) for i in chosen)
    return pairs


def summarise(
    truth: Sequence[str],
    photo: Sequence[str],
    words: Sequence[str],
    fused: Sequence[str | None],
) -> dict[str, Any]:
    """Top-1 of each answer, and how often the fused answer departs from the photo's, right or
    wrong (shares of all pairs). A fused answer of None (nothing committed) counts as wrong."""
    n = len(truth)
    if n == 0:
        return {"pairs": 0}
    t = np.array(truth, dtype=object)
    p = np.array(photo, dtype=object)
    w = np.array(words, dtype=object)
    f = np.array(fused, dtype=object)
    changed = f != p
    return {
        "pairs": n,
        "photo_top1": round(float((p == t).mean()), 4),
        "words_top1": round(float((w == t).mean()), 4),
        "fused_top1": round(float((f == t).mean()), 4),
        "changed": round(float(changed.mean()), 4),
        "changed_right": round(float((changed & (f == t)).mean()), 4),
        "changed_wrong": round(float((changed & (f != t)).mean()), 4),
        "changed_wrong_photo_was_right": round(float((changed & (p == t)).mean()), 4),
    }


def _report(
    truth: list[str], photo: list[str], words: list[str], fused: list[str | None]
) -> dict[str, Any]:
    report = summarise(truth, photo, words, fused)
    report["per_category"] = {}
    for label in sorted(set(truth)):
        rows = [i for i, t in enumerate(truth) if t == label]
        report["per_category"][label] = summarise(
            [truth[i] for i in rows],
            [photo[i] for i in rows],
            [words[i] for i in rows],
            [fused[i] for i in rows],
        )
    return report


def _photo_side(
    data_dir: Path, backbone_path: Path, image_metrics: Mapping[str, Any]
) -> tuple[list[str], np.ndarray[Any, Any], np.ndarray[Any, Any], list[bool], float]:
    """Held-out photos: category, probabilities, similarity, recognised flag, evaluation top-1."""
    photos = list_photos(data_dir)
    cache = CACHE_DIR / f"photos-{backbone_digest(backbone_path)}.npz"
    backbone = EfficientNetLite0.load(backbone_path)
    features, mirrored = extract(backbone, [p.path for p in photos], cache)
    dev = [i for i, p in enumerate(photos) if not p.held_out]
    test = [i for i, p in enumerate(photos) if p.held_out]
    threshold = float(image_metrics["threshold"])
    floor = float(image_metrics["min_similarity"])
    model = to_classifier(
        fit_head(features[dev], mirrored[dev], [photos[i].folder for i in dev]),
        None,
        photos,
        features[dev],
        threshold,
        floor,
        "evaluation",
    )
    probabilities = model.label_probabilities(features[test])
    similarity = model.similarity(features[test])
    truth = [photos[i].label for i in test]
    recognised = [
        bool(p.max() >= threshold and s >= floor)
        for p, s in zip(probabilities, similarity, strict=True)
    ]
    top1 = float(
        np.mean([LABELS[int(p.argmax())] == t for p, t in zip(probabilities, truth, strict=True)])
    )
    return truth, probabilities, similarity, recognised, top1


def _text_side(
    data_dir: Path, categories: list[str]
) -> tuple[list[Record], np.ndarray[Any, Any], Lexicon]:
    """Records of the left-out network and their probabilities under a model trained without it."""
    records: list[Record] = []
    for network, path in partner_files(data_dir).items():
        records.extend(read_records(path, network))
    entries = read_lexicon(data_dir, categories)
    lexicon = Lexicon(entries)
    usable, texts, targets, networks = training_rows(records, categories, entries)
    train = np.array([n != LEFT_OUT_NETWORK for n in networks])
    test = np.flatnonzero(~train)
    log.info("fusion: fitting the text model without %s", LEFT_OUT_NETWORK)
    model = fit_category(
        category_matrix([texts[i] for i in np.flatnonzero(train)], lexicon, len(categories)),
        targets[train],
        [n for n, t in zip(networks, train, strict=True) if t],
        len(categories),
    )
    proba = model.predict_proba(category_matrix([texts[i] for i in test], lexicon, len(categories)))
    return [usable[i] for i in test], proba, lexicon


def evaluate_fusion(
    data_dir: Path, backbone_path: Path, image_metrics: Mapping[str, Any]
) -> dict[str, Any]:
    categories = list(PRODUCT_CATEGORIES)
    truth, photo_proba, _, recognised, photo_top1 = _photo_side(
        data_dir, backbone_path, image_metrics
    )
    held_records, text_proba, lexicon = _text_side(data_dir, categories)
    named = [bool(lexicon.hits(r.problem)) for r in held_records]
    result: dict[str, Any] = {
        "left_out_network": LEFT_OUT_NETWORK,
        "left_out_records": len(held_records),
        "texts_per_photo": TEXTS_PER_PHOTO,
        "seed": SEED,
        "held_out_photos": len(truth),
        "held_out_photo_top1_check": round(photo_top1, 4),
        "held_out_photo_top1_recorded": image_metrics["held_out"]["top1"],
        "photo_categories_without_texts": sorted(
            {t for t in truth} - {r.category for r in held_records}
        ),
        "conditions": {},
    }
    conditions = {"all_texts": lambda i: True, "no_item_named": lambda i: not named[i]}
    for name, keep in conditions.items():
        pool: dict[str, list[int]] = {}
        for i, record in enumerate(held_records):
            if keep(i):
                pool.setdefault(record.category, []).append(i)
        pairs = draw_texts(truth, pool, TEXTS_PER_PHOTO, np.random.default_rng(SEED))
        truths: list[str] = []
        photos: list[str] = []
        words: list[str] = []
        shown_labels: list[str | None] = []
        committed = 0
        committed_right = 0
        for photo_i, text_i in pairs:
            photo_p = {
                label: float(v) for label, v in zip(LABELS, photo_proba[photo_i], strict=True)
            }
            text_p = {c: float(v) for c, v in zip(categories, text_proba[text_i], strict=True)}
            photo_label = max(photo_p, key=lambda k: photo_p[k])
            text_label = categories[int(text_proba[text_i].argmax())]
            photo_answer = {
                "status": "ok",
                "productCategory": {"label": photo_label, "recognised": recognised[photo_i]},
                "probabilities": photo_p,
            }
            text_answer = {
                "label": text_label,
                "confidence": float(text_proba[text_i].max()),
                "probabilities": text_p,
            }
            fused = fused_category(photo_answer, text_answer)
            # The answer's category: fused when the photo is recognised, else the words' top one.
            shown = str(fused[0]["label"]) if fused is not None else text_label
            chosen = effective_category({}, photo_answer, {"categoryFromText": text_answer})
            committed += chosen is not None
            committed_right += chosen == truth[photo_i]
            truths.append(truth[photo_i])
            photos.append(photo_label)
            words.append(text_label)
            shown_labels.append(shown)
        report = _report(truths, photos, words, shown_labels)
        report["photos"] = len({p for p, _ in pairs})
        report["texts_available"] = sum(len(v) for v in pool.values())
        report["photo_recognised"] = round(float(np.mean([recognised[p] for p, _ in pairs])), 4)
        report["committed_share"] = round(committed / max(len(pairs), 1), 4)
        report["committed_precision"] = round(committed_right / max(committed, 1), 4)
        result["conditions"][name] = report
        log.info("fusion, %s: %s", name, {k: v for k, v in report.items() if k != "per_category"})
    return result


def main() -> None:
    from training.train import ARTIFACTS

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    data_dir = Path(os.environ.get("DATA_DIR", "../shared/data")).resolve()
    path = ARTIFACTS / "metrics.json"
    metrics = json.loads(path.read_text(encoding="utf-8"))
    with threadpool_limits(limits=TRAINING_THREADS):
        fusion = evaluate_fusion(data_dir, ARTIFACTS / "efficientnet_lite0.npz", metrics["image"])
    metrics["text_category"]["fusion"] = fusion
    path.write_text(json.dumps(metrics, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
