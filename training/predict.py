"""Batch predictions with the production (numpy) inference code, for acceptance runs.

    python -m training.predict images --list paths.txt --out images.csv
    python -m training.predict outcomes --csv records.csv --out outcomes.csv
    python -m training.predict categories --csv records.csv --out categories.csv

The photo CSV has `path,category,confidence,top3` (`category` is `not recognised` below the
threshold, `top3` joins three labels with `;`); an unreadable photo is reported on stderr and
gets `not recognised`, confidence 0 and an empty `top3`. The outcome CSV has
`id,p_fixed,p_repairable,p_end_of_life,predicted_status,predicted_barrier,barrier_top3` for every
row of an Open Repair Data file (v0.2.1 or v0.3 columns): `predicted_barrier` is the most likely
barrier if the item ends its life, for every row, and `barrier_top3` joins the three most likely
with `;`. `python -m training.replay` is the same with this deployment's learning replayed.
The category CSV has `id,category,confidence,top3`
from each row's `problem` text alone (a row without words gets `not recognised`, 0 and no top3).
"""

import argparse
import csv
import sys
from pathlib import Path

from chalicelib.ml.errors import InvalidImage
from chalicelib.ml.image_model import ImageClassifier
from chalicelib.ml.outcome_model import OutcomeModel, OutcomePrediction
from chalicelib.ml.photo import load_photo
from chalicelib.ml.text_category import TextCategoryModel
from training.ords import read_records

NOT_RECOGNISED = "not recognised"


def predict_images(list_file: Path, out: Path) -> int:
    classifier = ImageClassifier.load()
    paths = [
        line.strip() for line in list_file.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "category", "confidence", "top3"])
        for path in paths:
            try:
                prediction = classifier.classify(load_photo(Path(path).read_bytes()))
            except (InvalidImage, OSError) as exc:
                code = exc.code if isinstance(exc, InvalidImage) else "Unreadable"
                print(f"{path}: {code}", file=sys.stderr)
                writer.writerow([path, NOT_RECOGNISED, f"{0.0:.6f}", ""])
                continue
            writer.writerow(
                [
                    path,
                    prediction.label if prediction.recognised else NOT_RECOGNISED,
                    f"{prediction.confidence:.6f}",
                    ";".join(label for label, _ in prediction.top3),
                ]
            )
    return len(paths)


OUTCOME_COLUMNS = (
    "id",
    "p_fixed",
    "p_repairable",
    "p_end_of_life",
    "predicted_status",
    "predicted_barrier",
    "barrier_top3",
)
"""One outcome prediction a row (`predict outcomes` and `training.replay` write the same file)."""


def outcome_row(record_id: str, prediction: OutcomePrediction) -> list[str]:
    return [
        record_id,
        f"{prediction.fixed:.6f}",
        f"{prediction.repairable:.6f}",
        f"{prediction.end_of_life:.6f}",
        prediction.predicted,
        prediction.barrier[0],
        ";".join(name for name, _ in prediction.barrier_top3),
    ]


def predict_outcomes(records_csv: Path, out: Path) -> int:
    model = OutcomeModel.load()
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(OUTCOME_COLUMNS)
        for record in read_records(records_csv):
            prediction = model.predict(
                record.problem, record.category, record.brand, record.age_years, None
            )
            writer.writerow(outcome_row(record.id, prediction))
            count += 1
    return count


def predict_categories(records_csv: Path, out: Path) -> int:
    model = TextCategoryModel.load()
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "category", "confidence", "top3"])
        for record in read_records(records_csv):
            prediction = model.predict(record.problem)
            if prediction is None:
                writer.writerow([record.id, NOT_RECOGNISED, f"{0.0:.6f}", ""])
            else:
                top3 = ";".join(label for label, _ in prediction.top3)
                writer.writerow([record.id, prediction.label, f"{prediction.confidence:.6f}", top3])
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    images = commands.add_parser("images", help="classify the photos listed in a file")
    images.add_argument("--list", type=Path, required=True)
    images.add_argument("--out", type=Path, required=True)
    outcomes = commands.add_parser("outcomes", help="predict outcomes for an ORDS csv")
    outcomes.add_argument("--csv", type=Path, required=True)
    outcomes.add_argument("--out", type=Path, required=True)
    categories = commands.add_parser(
        "categories", help="name the product category from each problem text of an ORDS csv"
    )
    categories.add_argument("--csv", type=Path, required=True)
    categories.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.command == "images":
        count = predict_images(args.list, args.out)
    elif args.command == "categories":
        count = predict_categories(args.csv, args.out)
    else:
        count = predict_outcomes(args.csv, args.out)
    print(f"wrote {count} predictions to {args.out}")


if __name__ == "__main__":
    main()
