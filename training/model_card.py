"""Write `docs/model-card.md` from the metrics `training.train` measured (never typed by hand)."""

import datetime
from pathlib import Path
from typing import Any

from training import TRAINING_THREADS
from training.image_data import CALTECH_TO_CATEGORY, LABELS
from training.image_training import COLOUR_FISHER, SIFT_FISHER, TARGET_PRECISION
from training.image_training import C as IMAGE_C
from training.outcome_training import BARRIER_MIN_PROBABILITY, C_STATUS, DATE_CUTOFF

# Development-CV figures of the designs compared for the current image model (see the card).
DESIGN_COMPARISON = (
    (
        "previous model: histograms + bag of words + Coates patches, one regression",
        "84.7 % | 95.0 % | 72.9 % | 90.5 %",
    ),
    (
        "SIFT Fisher vector alone (K=64, PCA 64 + position, 2 scales)",
        "84.2 % | 95.1 % | 70.2 % | 90.4 %",
    ),
    ("SIFT Fisher vector, K=128", "84.7 % | 95.3 % | 70.7 % | 90.7 %"),
    ("SIFT Fisher vector, 3 scales (adds 24 px windows)", "85.2 % | 95.8 % | 72.8 % | 91.9 %"),
    ("colour Fisher vector alone", "79.3 % | 93.3 % | 62.8 % | 86.8 %"),
    ("one regression: previous blocks + SIFT Fisher vector", "87.0 % | 96.1 % | 75.4 % | 92.7 %"),
    ("one regression: previous blocks + both Fisher vectors", "86.5 % | 96.0 % | 74.9 % | 92.5 %"),
    ("one regression: histograms + both Fisher vectors", "86.9 % | 96.0 % | 75.7 % | 92.5 %"),
    ("product of experts: previous three blocks", "85.6 % | 95.5 % | 73.7 % | 91.4 %"),
    ("product of experts: all five blocks", "87.8 % | 96.7 % | 76.6 % | 93.5 %"),
    (
        "product of experts: histograms, bag of words, both Fisher vectors, 3-scale SIFT FV",
        "88.2 % | 97.1 % | 77.1 % | 94.5 %",
    ),
    (
        "**product of experts: histograms, bag of words, both Fisher vectors (shipped; "
        "this run's own figure is the development row below)**",
        "88.2 % | 97.2 % | 77.1 % | 94.6 %",
    ),
)


def _pct(value: float) -> str:
    return f"{100 * value:.1f} %"


def _num(value: float) -> str:
    return f"{value:.3f}"


def _image_section(m: dict[str, Any]) -> list[str]:
    held, cv = m["held_out"], m["cross_validated_development"]
    lines = [
        "## 1. Photo → product category (`image_model.npz`, version `" + m["version"] + "`)",
        "",
        "**Labels** (12, Open Repair Data names): " + ", ".join(f"`{x}`" for x in LABELS) + ".",
        "Folder mapping: "
        + "; ".join(f"{k} → {v}" for k, v in CALTECH_TO_CATEGORY.items())
        + "; every clothing folder → Unpowered - Textile.",
        "",
        "**Model.** The photo is decoded small (JPEG `draft()`), EXIF-rotated, center-cropped to a "
        "square and resized to 128×128, so no feature depends on the upload's pixel size or "
        "aspect ratio. Four feature blocks (numpy): (1) gradient-orientation pyramids at two "
        "scales, HSV colour and LBP texture histograms (Hellinger); (2) a 400-word dense-SIFT bag "
        "of visual words with a 1/2×2/4×4 spatial pyramid; (3) a Fisher vector of dense SIFT-like "
        "descriptors every 4 px at two scales (16 and 32 px windows), PCA-reduced to "
        f"{SIFT_FISHER[0]} dimensions plus the descriptor's position, {SIFT_FISHER[1]}-component "
        "diagonal Gaussian mixture, signed square root and L2 normalisation; (4) the same kind of "
        "Fisher vector over local opponent-colour statistics (mean and spread per 4 px cell in "
        f"16 px windows, PCA to {COLOUR_FISHER[0]}, {COLOUR_FISHER[1]} components) "
        f"({m['feature_dimensions']} dimensions in all). Each block has its own standardised "
        f"multinomial logistic regression (C={IMAGE_C}, balanced class weights) on the 35 photo "
        "folders, trained on each photo, its mirror image and two random zoomed crops (70–90 % "
        "of the short side); the folder probabilities are the normalised geometric mean of the "
        "four models' probabilities (product of experts = softmax of the mean logits, one "
        "matrix product at inference); a category's probability is the sum of its folders' "
        "probabilities. Weights are stored as float16, scaler statistics as float32 (the "
        "scikit-learn reference in the parity test uses the same rounded numbers).",
        "",
        "**How measured.** A fixed hash of each file path holds out 25 % of every Caltech folder "
        "and 50 % of the clothing `validation/` folder "
        f"({m['n_held_out']} photos); the remaining {m['n_development']} photos are the "
        "development set. Codebooks, hyper-parameters and the threshold come from the development "
        "set only (threshold: 3-fold cross-validation). The held-out photos were scored once by a "
        "model fitted on the development set. The shipped model is then refitted on all photos "
        "with the same settings (so it has seen the held-out photos; its own accuracy on unseen "
        "photos is not separately measured). Every design choice of this version (feature "
        "blocks, Fisher-vector sizes, fusion, C) was made on the 3-fold development "
        "cross-validation below; the held-out photos were scored once, for the final "
        "configuration. (The previous version's held-out figures had been read after several "
        "training runs; it scored 84.3 % top-1, 94.2 % top-3, Caltech 77.0 % on them.)",
        "",
        "Alternatives compared on the 3-fold development cross-validation while designing this "
        "version (measured by the development scripts, not re-measured by `make train`; "
        "±0.9 points is one standard error of a top-1 figure here):",
        "",
        "| configuration | top-1 | top-3 | Caltech top-1 | Caltech top-3 |",
        "|---|---|---|---|---|",
        *(f"| {name} | {row} |" for name, row in DESIGN_COMPARISON),
        "",
        "| split | photos | top-1 | top-3 | Caltech top-1 | Caltech top-3 | clothing top-1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in (("held-out (never trained or tuned on)", held), ("3-fold CV, development", cv)):
        lines.append(
            f"| {name} | {r['n']} ({r['n_caltech']} Caltech) | {_pct(r['top1'])} | "
            f"{_pct(r['top3'])} | {_pct(r['caltech_top1'])} | {_pct(r['caltech_top3'])} | "
            f"{_pct(r['clothing_top1'])} |"
        )
    lines += [
        "",
        "Held-out top-1 per category:",
        "",
        "| category | photos | top-1 |",
        "|---|---|---|",
    ]
    for label, r in held["per_label"].items():
        lines.append(f"| {label} | {r['n']} | {_pct(r['top1'])} |")
    lines += [
        "",
        f"**Not recognised.** Threshold {m['threshold']:.3f} on the top category's probability: "
        f"the lowest confidence at which the cross-validated development predictions are still "
        f"{_pct(TARGET_PRECISION)} correct. On the held-out photos "
        f"{_pct(held['recognised_share'])} are recognised "
        f"(Caltech {_pct(held['caltech_recognised_share'])}), and those are "
        f"{_pct(held['precision_when_recognised'])} correct.",
        "",
        "**Unseen products.** The data has no kettles, vacuums or bikes, so unseen products are "
        "simulated: a model is trained on the development photos without the folders "
        + ", ".join(f"`{f}`" for f in m["unseen_folders"]["folders"])
        + f" and scores all {m['unseen_folders']['n_unseen']} photos of those folders: "
        f"{_pct(m['unseen_folders']['unseen_not_recognised'])} come back *not recognised* (the "
        "rest get a confident, necessarily wrong, category), while "
        f"{_pct(m['unseen_folders']['known_held_out_recognised'])} of the held-out photos of "
        "the remaining folders are recognised, "
        f"{_pct(m['unseen_folders']['known_held_out_precision_when_recognised'])} of them "
        "correctly.",
        "",
        "Synthetic out-of-domain probes, share answered *not recognised*:",
        "",
    ]
    for name, share in m["out_of_domain_rejected"].items():
        lines.append(f"- {name}: {_pct(share)}")
    lines += [
        "",
        "Limitation: no real photo of an out-of-domain product was available; the left-out "
        "folders are the closest measurement. Expect a share of real kettle or vacuum photos to "
        "come back as a confident wrong category, which is why the UI always shows the top 3 "
        "and lets the person pick.",
        "",
    ]
    return lines


def _outcome_table(rows: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "| held out | rows | accuracy (majority) | macro-F1 (majority) | log-loss (prior) "
        "| ECE (prior) | target's own majority |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, r in rows.items():
        lines.append(
            f"| {name} | {r['n']} | {_pct(r['accuracy'])} ({_pct(r['majority_accuracy'])}) | "
            f"{_num(r['macro_f1'])} ({_num(r['majority_macro_f1'])}) | {_num(r['log_loss'])} "
            f"({_num(r['prior_log_loss'])}) | {_num(r['ece'])} ({_num(r['prior_ece'])}) | "
            f"{_pct(r['oracle_target_majority_accuracy'])} |"
        )
    return lines


def _outcome_section(m: dict[str, Any]) -> list[str]:
    lono = m["leave_one_network_out"]
    lines = [
        "## 2. Problem → repair outcome and barrier (`outcome_model.npz`, version `"
        + m["version"]
        + "`)",
        "",
        f"**Data.** {m['n_records']} partner-file records with status Fixed / Repairable / End of "
        f"life ({m['n_with_text']} with problem text) from: "
        + ", ".join(f"{k} ({v})" for k, v in m["networks"].items())
        + ". Status `Unknown` is dropped. Barriers ("
        + ", ".join(m["barrier_classes"])
        + "; the two spellings of “No way to open (the) product” merged) from "
        + f"{m['n_barrier_records']} "
        "end-of-life records.",
        "",
        "**Model.** Features: hashed word + character 3–5-gram features of the problem text "
        "(2^16 buckets, sublinear tf, L2; language-agnostic, no vocabulary file), hashed brand, "
        "product category one-hot (40 ORDS categories + unknown), product-age bin (age from "
        "`product_age` or `year_of_manufacture`), and a no-text flag. Multinomial logistic "
        f"regression (C={C_STATUS}); every network gets the same total sample weight so the "
        "biggest network's class balance does not become the prior. A second logistic regression "
        "predicts the barrier; it is returned when P(End of life) ≥ "
        f"{BARRIER_MIN_PROBABILITY}. For the photo model's unpowered categories, the status "
        "logits get the log-ratio of that category's status shares (Open Repair Data unpowered "
        "counts) to the powered records' shares. Weights are stored as float32.",
        "",
        "**Calibration for a new network.** Three options were compared leave-one-network-out: "
        "none, a temperature, and a temperature plus per-class bias on the logits, each fitted "
        "(network-balanced log-loss) on the out-of-network predictions of the *other* networks. "
        "The one with the lowest mean held-out log-loss is shipped: "
        f"**{m['calibration']['kind']}** (T = {m['calibration']['temperature']:.2f}, bias = "
        + ", ".join(f"{b:+.2f}" for b in m["calibration"]["bias"])
        + " for Fixed, Repairable, End of life).",
        "",
        "| calibration | mean log-loss | mean accuracy | mean macro-F1 | mean ECE |",
        "|---|---|---|---|---|",
        *[
            f"| {kind} | {_num(r['mean_log_loss'])} | {_pct(r['mean_accuracy'])} | "
            f"{_num(r['mean_macro_f1'])} | {_num(r['mean_ece'])} |"
            for kind, r in m["calibration_comparison"].items()
        ],
        "",
        "**Leakage.** Problem texts often report the fix (“replaced fuse – fixed”). Words that "
        "announce the outcome (fixed, repaired, replaced, soldered, gerepareerd, vervangen, "
        "opgelost, repariert, ersetzt, getauscht, réparé, remplacé, repareret, udskiftet, … "
        "see `text_features.py`) are replaced by one mask token in training and at inference; "
        f"{_pct(m['masked_text_share'])} of the problem texts contain at least one. A new "
        "request is written before the repair, so it cannot contain them; masking keeps the "
        "model from relying on them. The effect on the historical records is measured below "
        "(the unmasked table against the uncalibrated masked one): on held-out networks it is "
        "small, because the masked words are rare and network-specific.",
        "",
        "**How measured.** Never random rows. (a) Leave one partner network out: train on the "
        "other networks, score the one left out. Baselines use only the training networks: the "
        "majority class (accuracy, macro-F1) and the class prior (log-loss, ECE). The last column "
        "is the accuracy of always answering the *held-out* network's own majority class, which "
        "no model can know in advance. Macro-F1 averages over the classes present in the held-out "
        f"network. ECE: 10 equal-width confidence bins. (b) By date: train on events before "
        f"{DATE_CUTOFF}, score events from then on.",
        "",
        "### Leave one network out (masked text, the shipped configuration)",
        "",
        *_outcome_table(lono),
        "",
    ]
    if m["calibration"]["kind"] != "none":
        lines += [
            "### Leave one network out, uncalibrated (masked text)",
            "",
            *_outcome_table(m["uncalibrated_leave_one_network_out"]),
            "",
        ]
    lines += [
        "### Leave one network out, uncalibrated, without masking outcome words "
        "(leakage comparison; networks with problem text)",
        "",
        *_outcome_table(m["unmasked_leave_one_network_out"]),
        "",
        "### By date (shipped calibration, fitted on records before the cut-off only)",
        "",
        *_outcome_table({f"events ≥ {DATE_CUTOFF}": m["by_date"]}),
        "",
    ]
    barrier = m.get("barrier_leave_one_network_out", {})
    if barrier:
        lines += [
            "### Barrier, leave one network out (end-of-life records with a barrier)",
            "",
            "| held out | rows | accuracy | majority barrier of training networks |",
            "|---|---|---|---|",
        ]
        for name, r in barrier.items():
            lines.append(
                f"| {name} | {r['n']} | {_pct(r['accuracy'])} | {_pct(r['majority_accuracy'])} |"
            )
        lines.append("")
    lines += [
        "Limitations: the Repair Connects (Belgium) file is reserved for acceptance and was not "
        "seen; Dutch text comes mostly from Repair Café International (2020 and earlier) and "
        "French text is rare in the training data. Repair Café Denmark records no 'Repairable' "
        "and has no problem text; Repair Café Toronto has no problem text. Predictions are "
        "suggestions: agreement with the recorded outcome is far from perfect (see the tables).",
        "",
    ]
    return lines


def _text_category_section(m: dict[str, Any]) -> list[str]:
    """Category from the words and the similar-records index (`text_category_training.py`)."""
    lines = [
        "## 4. Category from the words (`text_category.py`) and similar records "
        "(`similar_records.py`)",
        "",
        f"Version `{m['version']}`. A multinomial logistic regression (C = {m['c']}) over all 40 "
        f"powered ORDS categories, trained on the {m['records']:,} partner records with a "
        f"problem text and on {m['lexicon_names']:,} item-type names in EN/NL/DE/FR from the ORDS "
        "tools' translation list (`tools_extras/`, GPL-3.0; each name counts as a record of its "
        "own network, and a text that names one sets that category's lexicon column). Features: "
        f"the outcome model's hashed word and character n-grams folded into {m['buckets']:,} "
        "columns, plus the lexicon columns. No partner writes French; French comes from the "
        "lexicon and the shared n-grams only. Every network gets the same total weight; the "
        "weights ship as float16.",
        "",
    ]
    if "leave_one_network_out" in m:
        lines += [
            "Leave one partner network out (trained on the others and the lexicon, measured on "
            "every record of the one left out), against the majority class of the networks "
            "trained on and against the lexicon alone (the first category whose item name the "
            "text contains):",
            "",
            "| network left out | records | top-1 | top-3 | majority class | majority top-1 | "
            "lexicon only top-1 |",
            "|---|---:|---:|---:|---|---:|---:|",
        ]
        for network, row in m["leave_one_network_out"].items():
            lines.append(
                f"| {network} | {row['records']:,} | {_pct(row['top1'])} | {_pct(row['top3'])} "
                f"| {row['majority_class']} | {_pct(row['majority_top1'])} "
                f"| {_pct(row['lexicon_only_top1'])} |"
            )
        pooled = m["pooled"]
        lines += [
            f"| **all (pooled)** | | **{_pct(pooled['top1'])}** | **{_pct(pooled['top3'])}** | "
            f"| {_pct(pooled['majority_top1'])} | {_pct(pooled['lexicon_only_top1'])} |",
            "",
            "Many problem texts never name the item (“defekt.”, “won't turn "
            "on”), so top-1 on real records is far below what a visitor who names the item "
            "gets; the unit tests check one named item per language.",
            "",
        ]
    lines += [
        "**Fused with the photo** (`services/category_fusion.py`): score = (P_photo + 0.02) × "
        "(P_text + 0.02), normalised over both label sets, when the photo is recognised; an "
        "unrecognised photo is left out and the words decide when their confidence is ≥ 0.5. "
        "The fused accuracy is not measured: no licensed data pairs a photo with a problem text "
        "of the same item; the unit tests check the rule's behaviour.",
        "",
    ]
    similar = m.get("similar_records", {})
    if similar:
        lines += [
            f"**Similar records** (`{similar['version']}`): {similar['records']:,} records with a "
            "known outcome and a problem of at least three words, one per distinct text, at most "
            "900 per category; each problem text summarised by 64 numbers (idf-weighted hashed "
            "n-grams projected by a truncated SVD, unit length, int8), "
            f"{similar['bytes'] / 1e6:.1f} MB on disk. A query ranks the chosen category's records "
            "by cosine similarity, then the words' next categories.",
            "",
        ]
        relevance = similar.get("relevance")
        if relevance:
            lines += [
                f"Relevance, on {relevance['held_out_queries']:,} records held out of the index "
                "(5 % at random plus half of the quest records): the "
                f"{relevance['k']} nearest records of the same category against "
                f"{relevance['k']} drawn at random from that category.",
                "",
                "| share of the k records that | nearest | random, same category |",
                "|---|---:|---:|",
                f"| share the held-out record's outcome | "
                f"{_pct(relevance['same_outcome_nearest'])} | "
                f"{_pct(relevance['same_outcome_random'])} |",
            ]
            if relevance.get("same_fault_nearest") is not None:
                lines.append(
                    f"| share its crowd-labelled fault type (`quests/`, "
                    f"{relevance['fault_queries']:,} queries) | "
                    f"{_pct(relevance['same_fault_nearest'])} | "
                    f"{_pct(relevance['same_fault_random'])} |"
                )
            lines.append("")
    return lines


def write_model_card(path: Path, metrics: dict[str, Any]) -> None:
    lines = [
        "# SmartRe model card",
        "",
        "Generated by `make train` (`python -m training.train`) on "
        f"{datetime.date.today().isoformat()} with scikit-learn {metrics['sklearn_version']} "
        f"and numpy {metrics['numpy_version']}. Every number below was measured by that run "
        "(also in `smartre/chalicelib/ml/artifacts/metrics.json`). Inference uses numpy + "
        "Pillow only; a parity test checks it against scikit-learn's `predict_proba`. Seeds are "
        f"fixed and training runs on exactly {TRAINING_THREADS} threads, so a second run on the "
        "same data with the same library versions writes byte-identical artifacts.",
        "",
        "## Data sources and licences",
        "",
        "- **Open Repair Data** (ORDS v0.2.1/v0.3 partner files, 2025-10 snapshot): CC BY-SA 4.0, "
        "“Open Repair Alliance (openrepair.org), compiled by The Restart Project”. The outcome "
        "model's weights and `similar_repairs.json` are derived from it and shared under the same "
        "licence (ShareAlike).",
        "- **Caltech 101** (25 classes): CC BY 4.0, Li, Andreeto, Ranzato & Perona, Caltech 101, "
        "CaltechDATA, doi:10.22002/D1.20086.",
        "- **Clothing dataset (small)**, alexeygrigorev/clothing-dataset-small: CC0 1.0.",
        "",
        "Intended use: suggestions for repair-café triage (category, likely outcome, safety "
        "warnings), always shown with their confidence and overridable by people. Not for "
        "deciding whether a repair is attempted.",
        "",
        *_image_section(metrics["image"]),
        *_outcome_section(metrics["outcome"]),
        "## 3. Safety screen (`safety.py`)",
        "",
        "Hand-written multilingual rules (en/nl/fr/de, some Danish) for swollen or leaking "
        "batteries, burning smell, smoke or sparks, damaged mains cables, water damage, gas "
        "appliances and microwaves; tested per language including negated and look-alike texts. "
        "Not learned, so it has no accuracy figure; it errs towards warning.",
        "",
        *(_text_category_section(metrics["text_category"]) if "text_category" in metrics else []),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    """Rewrite the model card from the committed metrics (no retraining)."""
    import json

    from training.train import ARTIFACTS, CARD

    write_model_card(CARD, json.loads((ARTIFACTS / "metrics.json").read_text(encoding="utf-8")))


if __name__ == "__main__":
    main()
