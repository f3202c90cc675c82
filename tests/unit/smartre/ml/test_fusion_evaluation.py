"""The fused-category evaluation's pure helpers: pairing photos with texts, and the summary."""

from __future__ import annotations

import numpy as np

from training.fusion_evaluation import draw_texts, summarise


def test_draw_texts_pairs_each_photo_with_distinct_texts_of_its_category() -> None:
    pool = {"Lamp": [3, 4, 5], "Fan": [7]}
    pairs = draw_texts(["Lamp", "Fan", "Unpowered - Textile"], pool, 2, np.random.default_rng(1))
    lamp = [text for photo, text in pairs if photo == 0]
    assert len(set(lamp)) == len(lamp) == 2
    assert set(lamp) <= {3, 4, 5}
    assert [text for photo, text in pairs if photo == 1] == [7]  # fewer texts than asked
    assert all(photo != 2 for photo, _ in pairs)  # no text of its category: no pair
    assert pairs == draw_texts(
        ["Lamp", "Fan", "Unpowered - Textile"], pool, 2, np.random.default_rng(1)
    )


def test_summarise_counts_changes_against_the_photo() -> None:
    truth = ["Lamp", "Lamp", "Fan", "Fan"]
    photo = ["Lamp", "Fan", "Fan", "Lamp"]
    words = ["Lamp", "Lamp", "Mobile", "Fan"]
    fused = ["Lamp", "Lamp", "Mobile", None]
    report = summarise(truth, photo, words, fused)
    assert report["pairs"] == 4
    assert report["photo_top1"] == 0.5
    assert report["words_top1"] == 0.75
    assert report["fused_top1"] == 0.5
    assert report["changed"] == 0.75  # pairs 2, 3 and 4
    assert report["changed_right"] == 0.25  # pair 2: the words fixed the photo
    assert report["changed_wrong"] == 0.5  # pairs 3 and 4 (None counts as wrong)
    assert report["changed_wrong_photo_was_right"] == 0.25  # pair 3: the words spoilt it
    assert summarise([], [], [], []) == {"pairs": 0}


def test_training_rows_keep_records_with_text_and_category_then_the_lexicon() -> None:
    from training.ords import Record
    from training.text_category_training import LEXICON_REPEATS, training_rows

    def record(network: str, category: str, problem: str) -> Record:
        return Record("1", network, category, "", None, "Fixed", "", "2020-01-01", problem)

    records = [record("A", "Lamp", "flickers"), record("B", "Lamp", ""), record("B", "Chair", "x")]
    usable, texts, targets, networks = training_rows(records, ["Fan", "Lamp"], [("kettle", 0)])
    assert usable == records[:1]
    assert texts == ["flickers"] + ["kettle"] * LEXICON_REPEATS
    assert targets.tolist() == [1] + [0] * LEXICON_REPEATS
    assert networks == ["A"] + ["lexicon"] * LEXICON_REPEATS
