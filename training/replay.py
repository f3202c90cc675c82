"""Replay an Open Repair Data file the way a deployment lives through it.

    python -m training.replay --csv records.csv --out replay.csv

Rows are taken in `event_date` order (undated rows last, in file order). Each row is predicted
from the adaptation state built so far, written, and only then is its real outcome applied as a
label, with the same code SmartRe runs (`chalicelib.ml.adaptation`): nothing a row is scored with
has seen that row. Like SmartRe's label update, each label adds the row's pre-adaptation
probabilities to the state's sums. The CSV has `id,p_fixed,p_repairable,p_end_of_life,
predicted_status,predicted_barrier,barrier_top3` (`barrier_top3` joins three barriers with `;`).

`replay_scores` is the same loop over precomputed probabilities, used by the model card's
leave-one-network-out evaluation.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from chalicelib.ml.adaptation import OutcomeCounts, PriorShift, apply_label
from chalicelib.ml.outcome_model import OutcomeModel
from training.ords import Record, read_records
from training.predict import OUTCOME_COLUMNS, outcome_row

Array = NDArray[np.float64]
COLUMNS = OUTCOME_COLUMNS


def in_date_order(records: Sequence[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (not r.date, r.date))


@dataclass(frozen=True)
class Replayed:
    """Per row, in replay order: the adapted model and the two priors-so-far baselines."""

    status: Array
    barrier: Array
    prior_so_far: Array
    category_prior_so_far: Array
    barrier_prior_so_far: Array


def replay_scores(
    records: Sequence[Record], status: Array, barrier: Array, shift: PriorShift
) -> Replayed:
    """Adapt precomputed (static) probabilities row by row; `records` must be in replay order."""
    counts = OutcomeCounts()
    out_status = np.empty_like(status)
    out_barrier = np.empty_like(barrier)
    prior = np.empty_like(status)
    category_prior = np.empty_like(status)
    barrier_prior = np.empty_like(barrier)
    for i, record in enumerate(records):
        out_status[i] = shift.adjust_status(status[i], counts, record.category)
        out_barrier[i] = shift.adjust_barriers(barrier[i], counts)
        # The baselines are the smoothed label counts alone (no model, so no predicted sums).
        counted = replace(counts, predicted={}, predicted_by_category={}, predicted_barriers={})
        prior[i] = shift.overall_prior(counts)
        category_train = shift._category_train_prior(record.category)
        ratio = shift.status_ratio(counted, record.category)
        category_prior[i] = category_train * ratio / (category_train * ratio).sum()
        barrier_prior[i] = shift.barrier_prior * shift.barrier_ratio(counted)
        counts = apply_label(
            counts,
            record.category,
            record.status,
            record.barrier,
            status[i],
            dict(zip(shift.barriers, barrier[i], strict=True)),
        )
    return Replayed(out_status, out_barrier, prior, category_prior, barrier_prior)


def replay_file(records_csv: Path, out: Path, model: OutcomeModel | None = None) -> int:
    model = model or OutcomeModel.load()
    counts = OutcomeCounts()
    count = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in in_date_order(list(read_records(records_csv))):
            prediction = model.predict(
                record.problem, record.category, record.brand, record.age_years, counts=counts
            )
            writer.writerow(outcome_row(record.id, prediction))
            counts = apply_label(
                counts,
                record.category,
                record.status,
                record.barrier,
                prediction.unadapted,
                dict(prediction.unadapted_barriers),
            )
            count += 1
    return count


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    count = replay_file(args.csv, args.out)
    print(f"replayed {count} records into {args.out}")


if __name__ == "__main__":
    main()
