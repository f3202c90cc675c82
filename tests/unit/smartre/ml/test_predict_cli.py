"""The acceptance CLIs: exact CSV headers, one row per input, numpy inference underneath."""

import csv
import io
import itertools
from pathlib import Path

import numpy as np
from PIL import Image

from training.predict import main

V021 = (
    "id,data_provider,country,partner_product_category,product_category,brand,"
    "year_of_manufacture,repair_status,repair_barrier_if_end_of_life,group_identifier,event_date,problem\n"
    "a1,X,NLD,y,Lamp,Unknown,2010,Fixed,,g,2019-01-01,Lamp gaat niet aan\n"
)
V03 = (
    "id,data_provider,country,partner_product_category,product_category,product_category_id,brand,"
    "year_of_manufacture,product_age,repair_status,repair_barrier_if_end_of_life,group_identifier,"
    "event_date,problem\n"
    "b1,X,BEL,y,Kettle,14,Philips,,5,Unknown,,g,2022-01-01,Bouilloire ne chauffe plus\n"
    "b2,X,BEL,y,,,,,,Fixed,,g,2022-01-01,\n"
)


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_predict_images_writes_one_row_per_listed_path(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.fromarray(np.full((120, 160, 3), 90, dtype=np.uint8)).save(photo)
    broken = tmp_path / "broken.jpg"
    broken.write_text("not a photo", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{photo}\n{broken}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    main(["images", "--list", str(listing), "--out", str(out)])
    header, first, second = _rows(out)
    assert header == ["path", "category", "confidence", "top3"]
    assert first[0] == str(photo)
    assert 0.0 <= float(first[2]) <= 1.0
    assert len(first[3].split(";")) == 3
    assert second == [str(broken), "not recognised", "0.000000", ""]


def test_predict_outcomes_reads_v021_and_v03_columns(tmp_path: Path) -> None:
    for name, text, ids in (("old.csv", V021, ["a1"]), ("new.csv", V03, ["b1", "b2"])):
        source = tmp_path / name
        source.write_text(text, encoding="utf-8")
        out = tmp_path / f"out-{name}"
        main(["outcomes", "--csv", str(source), "--out", str(out)])
        header, *rows = _rows(out)
        assert header == [
            "id",
            "p_fixed",
            "p_repairable",
            "p_end_of_life",
            "predicted_status",
            "predicted_barrier",
            "barrier_top3",
        ]
        assert [r[0] for r in rows] == ids
        for row in rows:
            assert abs(sum(float(x) for x in row[1:4]) - 1) < 1e-5
            assert row[4] in {"Fixed", "Repairable", "End of life"}
            top3 = row[6].split(";")
            assert len(top3) == 3
            assert row[5] == top3[0]


REPLAY = (
    "id,data_provider,country,partner_product_category,product_category,product_category_id,brand,"
    "year_of_manufacture,product_age,repair_status,repair_barrier_if_end_of_life,group_identifier,"
    "event_date,problem\n"
    + "".join(
        f"r{i},X,BEL,y,Lamp,1,,,,End of life,Spare parts not available,g,2022-01-{28 - i:02d},"
        "lamp does not work\n"
        for i in range(25)
    )
)


def test_replay_predicts_each_row_before_learning_from_it(tmp_path: Path) -> None:
    from training.replay import COLUMNS
    from training.replay import main as replay

    source = tmp_path / "records.csv"
    source.write_text(REPLAY, encoding="utf-8")
    out = tmp_path / "replay.csv"
    replay(["--csv", str(source), "--out", str(out)])
    header, *rows = _rows(out)

    assert header == list(COLUMNS)
    # event_date order: the last row of the file happened first
    assert [r[0] for r in rows] == [f"r{i}" for i in reversed(range(25))]
    end_of_life = [float(r[3]) for r in rows]
    # every row was predicted from the earlier rows only: the first from the global model,
    # then End of life grows as the deployment's End of life labels accumulate
    assert end_of_life[0] < 0.5
    assert all(b > a for a, b in itertools.pairwise(end_of_life))
    assert rows[-1][4] == "End of life"
    assert rows[-1][5] == "Spare parts not available"


def test_predict_categories_names_the_item_from_each_problem_text(tmp_path: Path) -> None:
    source = tmp_path / "records.csv"
    source.write_text(V03, encoding="utf-8")
    out = tmp_path / "categories.csv"
    main(["categories", "--csv", str(source), "--out", str(out)])
    header, kettle, empty = _rows(out)
    assert header == ["id", "category", "confidence", "top3"]
    assert kettle[0] == "b1"
    assert kettle[1] == "Kettle"  # "Bouilloire ne chauffe plus": French, which no partner writes
    assert 0.0 < float(kettle[2]) <= 1.0
    assert len(kettle[3].split(";")) == 3
    assert empty == ["b2", "not recognised", "0.000000", ""]
