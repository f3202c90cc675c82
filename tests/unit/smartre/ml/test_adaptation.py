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


def test_labels_the_model_already_predicted_on_average_change_nothing(shift: PriorShift) -> None:
    # Given ten labels whose frequencies are exactly the model's own mean prediction
    predicted = np.array([0.2, 0.1, 0.7])
    counts = OutcomeCounts()
    for outcome in ["Fixed"] * 2 + ["Repairable"] + ["End of life"] * 7:
        counts = apply_label(counts, "Laptop", outcome, None, predicted)

    # Then the shift the texts already explain is not applied a second time
    assert shift.status_ratio(counts, None) == pytest.approx(np.ones(3))
    p = np.array([0.3, 0.3, 0.4])
    assert shift.adjust_status(p, counts, None) == pytest.approx(p)


def test_the_same_labels_without_predictions_would_shift_the_prior(shift: PriorShift) -> None:
    counts = OutcomeCounts()
    for outcome in ["Fixed"] * 2 + ["Repairable"] + ["End of life"] * 7:
        counts = apply_label(counts, "Laptop", outcome, None)

    assert shift.status_ratio(counts, None)[2] > 1.5


def test_a_category_is_corrected_until_its_mean_prediction_is_its_frequency(
    shift: PriorShift,
) -> None:
    # Given many laptops the model called 40/20/40 that ended 60 % Fixed, 40 % End of life
    predicted = np.array([0.4, 0.2, 0.4])
    counts = OutcomeCounts()
    for n in range(2000):
        outcome = "Fixed" if n % 5 < 3 else "End of life"
        counts = apply_label(counts, "Laptop", outcome, None, predicted)

    adjusted = shift.adjust_status(predicted, counts, "Laptop")

    assert adjusted == pytest.approx([0.6, 0.0, 0.4], abs=0.01)


def test_a_barrier_the_model_already_predicts_is_not_boosted(shift: PriorShift) -> None:
    barriers = {"a": 0.1, "b": 0.1, "c": 0.8}
    counts = OutcomeCounts()
    for barrier in ["a"] + ["b"] + ["c"] * 8:
        counts = apply_label(counts, "Lamp", "End of life", barrier, None, barriers)

    assert shift.barrier_ratio(counts) == pytest.approx(np.ones(3))
