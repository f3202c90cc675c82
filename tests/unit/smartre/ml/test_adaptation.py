"""Prior-shift adaptation: nothing changes without labels, and labels move the prediction."""

import numpy as np
import pytest

from chalicelib.ml.adaptation import OutcomeCounts, PriorShift, apply_label

TRAIN = np.array([0.5, 0.2, 0.3])
LAPTOP = np.array([0.4, 0.2, 0.4])


@pytest.fixture
def shift() -> PriorShift:
    return PriorShift(
        train_prior=TRAIN,
        category_priors={"Laptop": LAPTOP},
        barrier_prior=np.array([0.5, 0.3, 0.2]),
        barriers=("a", "b", "c"),
        k=10.0,
        k_category=5.0,
        k_barrier=10.0,
    )


def counts_of(*labels: tuple[str | None, str, str | None]) -> OutcomeCounts:
    counts = OutcomeCounts()
    for category, outcome, barrier in labels:
        counts = apply_label(counts, category, outcome, barrier)
    return counts


def test_without_labels_the_model_is_unchanged(shift: PriorShift) -> None:
    p = np.array([0.6, 0.1, 0.3])
    assert shift.adjust_status(p, OutcomeCounts(), "Laptop") == pytest.approx(p)
    assert shift.adjust_status(p, OutcomeCounts(), None) == pytest.approx(p)
    assert shift.adjust_barriers(np.array([0.2, 0.3, 0.5]), OutcomeCounts()) == pytest.approx(
        [0.2, 0.3, 0.5]
    )


def test_the_overall_prior_is_the_smoothed_count(shift: PriorShift) -> None:
    counts = counts_of(*[(None, "End of life", None)] * 10)
    # pi_local = (n_y + K pi_train) / (n + K) = ([0, 0, 10] + 10 [.5, .2, .3]) / 20
    expected_local = np.array([0.25, 0.1, 0.65])
    assert shift.status_ratio(counts, None) == pytest.approx(expected_local / TRAIN)


def test_a_category_without_labels_follows_the_overall_shift(shift: PriorShift) -> None:
    counts = counts_of(*[("Kettle", "End of life", None)] * 10)
    adjusted = shift.adjust_status(LAPTOP, counts, "Laptop")
    target = LAPTOP * shift.status_ratio(counts, None)
    assert adjusted == pytest.approx(target / target.sum())
    assert adjusted[2] > LAPTOP[2]


def test_a_category_with_many_labels_follows_its_own_counts(shift: PriorShift) -> None:
    counts = counts_of(*[("Laptop", "Fixed", None)] * 500)
    adjusted = shift.adjust_status(LAPTOP, counts, "Laptop")
    assert adjusted[0] > 0.98


def test_end_of_life_labels_shift_the_barriers(shift: PriorShift) -> None:
    counts = counts_of(*[("Lamp", "End of life", "c")] * 20)
    adjusted = shift.adjust_barriers(np.array([0.5, 0.3, 0.2]), counts)
    assert int(np.argmax(adjusted)) == 2


def test_a_label_without_a_known_outcome_only_counts_as_seen() -> None:
    counts = counts_of(("Lamp", "Unknown", None))
    assert counts.labels == 1
    assert counts.overall == {}
    assert counts.version == "labels-1"
