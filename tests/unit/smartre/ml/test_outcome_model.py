"""OutcomeModel: the committed model's contract, parity with scikit-learn, leakage masking."""

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse

from chalicelib.ml.outcome_model import STATUSES, OutcomeModel, OutcomePrediction
from chalicelib.ml.text_features import MASK, FeatureLayout, normalise
from training.ords import Record
from training.outcome_training import feature_matrix, fit_logistic, network_weights, ordered_proba

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def model() -> OutcomeModel:
    return OutcomeModel.load()


def _total(p: OutcomePrediction) -> float:
    return p.fixed + p.repairable + p.end_of_life


def test_prediction_is_a_distribution_over_the_three_statuses(model: OutcomeModel) -> None:
    prediction = model.predict("Kettle does not switch on", "Kettle", "Philips", 4.0, "en")
    assert _total(prediction) == pytest.approx(1.0)
    assert prediction.predicted in STATUSES
    assert (
        prediction.predicted
        == max(
            zip(
                STATUSES,
                (prediction.fixed, prediction.repairable, prediction.end_of_life),
                strict=True,
            ),
            key=lambda pair: pair[1],
        )[0]
    )


@pytest.mark.parametrize(
    ("description", "category", "brand", "age"),
    [
        (None, None, None, None),
        ("", "Not a category", "", float("nan")),
        ("Stofzuiger zuigt niet meer", "vacuum", "Unknown", -3.0),
        ("Le grille-pain ne chauffe plus", "Unpowered - Textile", None, 200.0),
    ],
)
def test_unknown_or_missing_inputs_still_give_a_distribution(
    model: OutcomeModel,
    description: str | None,
    category: str | None,
    brand: str | None,
    age: float | None,
) -> None:
    assert _total(model.predict(description, category, brand, age, None)) == pytest.approx(1.0)


def test_predict_for_categories_equals_one_predict_per_category(model: OutcomeModel) -> None:
    categories = ["Lamp", "Laptop", "Unpowered - Furniture", "Mobile"]
    many = model.predict_for_categories("Screen cracked", categories, "Apple", 3.0, "en")
    assert list(many) == categories
    for category in categories:
        single = model.predict("Screen cracked", category, "Apple", 3.0, "en")
        assert many[category].fixed == pytest.approx(single.fixed, abs=1e-12)
        assert many[category].end_of_life == pytest.approx(single.end_of_life, abs=1e-12)


def test_category_changes_the_prediction(model: OutcomeModel) -> None:
    many = model.predict_for_categories(
        "does not work", ["Laptop", "Unpowered - Textile"], None, None
    )
    assert many["Laptop"].fixed != pytest.approx(many["Unpowered - Textile"].fixed, abs=1e-3)


def test_the_barrier_and_its_top3_are_given_whatever_the_outcome(model: OutcomeModel) -> None:
    barrier_probs = np.linspace(1.0, 2.0, len(model.barriers))
    barrier_probs = barrier_probs / barrier_probs.sum()
    for probabilities in (np.array([0.1, 0.1, 0.8]), np.array([0.8, 0.15, 0.05])):
        prediction = model._prediction(probabilities, barrier_probs)
        assert [name for name, _ in prediction.barrier_top3] == list(model.barriers[::-1][:3])
        assert prediction.barrier == prediction.barrier_top3[0]
        assert prediction.barrier_top3[0][1] >= prediction.barrier_top3[1][1]


def test_a_neutral_description_agrees_with_the_category_history(model: OutcomeModel) -> None:
    """The prior correction: the model's share of End of life for a category is its history's."""
    import json

    from chalicelib.ml.similar import DEFAULT_PATH

    history = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))["categories"]
    for category in ("Laptop", "Kettle", "Lamp", "Mobile"):
        prediction = model.predict("it does not work", category, None, None)
        assert prediction.end_of_life == pytest.approx(history[category]["end_of_life"], abs=0.08)


def test_the_two_spellings_of_no_way_to_open_are_one_barrier(model: OutcomeModel) -> None:
    assert "No way to open product" in model.barriers
    assert "No way to open the product" not in model.barriers


def test_numpy_equals_sklearn_predict_proba_on_validation_rows(model: OutcomeModel) -> None:
    with np.load(FIXTURES / "outcome_parity.npz") as fixture:
        indptr, indices, values = fixture["indptr"], fixture["indices"], fixture["data"]
        status_expected = fixture["sklearn_proba"]
        barrier_expected = fixture["sklearn_barrier_proba"]
    for row in range(len(indptr) - 1):
        columns = indices[indptr[row] : indptr[row + 1]]
        data = values[indptr[row] : indptr[row + 1]]
        status = model.status_probabilities(columns, data)
        barrier = model.barrier_probabilities(columns, data)
        assert np.abs(status - status_expected[row]).max() < 1e-9
        assert np.abs(barrier - barrier_expected[row]).max() < 1e-9


def test_numpy_equals_a_freshly_fitted_sklearn_model() -> None:
    layout = FeatureLayout(["Lamp", "Laptop"])
    rng = np.random.default_rng(0)
    words = ["kapot", "broken", "kaputt", "cassé", "screen", "fuse", "lamp", "motor"]
    records = [
        Record(
            id=str(i),
            network=f"n{i % 3}",
            category=("Lamp", "Laptop", "")[i % 3],
            brand="",
            age_years=float(i % 12),
            status=STATUSES[i % 3],
            barrier="",
            date="",
            problem=" ".join(rng.choice(words, 4)),
        )
        for i in range(120)
    ]
    matrix = feature_matrix(records, layout)
    sklearn_model = fit_logistic(
        matrix[:90],
        [r.status for r in records[:90]],
        network_weights([r.network for r in records[:90]]),
        1.0,
    )
    order = [list(sklearn_model.classes_).index(s) for s in STATUSES]
    numpy_model = OutcomeModel(
        layout=layout,
        coef=sklearn_model.coef_[order],
        intercept=sklearn_model.intercept_[order],
        barrier_coef=np.zeros((1, layout.width)),
        barrier_intercept=np.zeros(1),
        barriers=("x",),
        category_offsets={},
        barrier_min_probability=0.5,
        version="t",
    )
    expected = ordered_proba(sklearn_model, matrix[90:], STATUSES)
    for row, record in enumerate(records[90:]):
        prediction = numpy_model.predict(
            record.problem, record.category, record.brand, record.age_years
        )
        got = np.array([prediction.fixed, prediction.repairable, prediction.end_of_life])
        assert np.abs(got - expected[row]).max() < 1e-9
    assert isinstance(matrix, sparse.csr_matrix)


@pytest.mark.parametrize(
    "text",
    [
        "Replaced fuse - fixed",
        "Schakelaar vervangen, gerepareerd",
        "Kabel ersetzt, repariert",
        "Interrupteur remplacé, réparé",
        "Kontakt udskiftet",
    ],
)
def test_outcome_words_are_masked(text: str) -> None:
    masked = normalise(text)
    assert MASK in masked
    for word in (
        "fixed",
        "gerepareerd",
        "repariert",
        "réparé",
        "replaced",
        "vervangen",
        "udskiftet",
    ):
        assert word not in masked


def test_problem_words_are_kept() -> None:
    assert normalise("Lamp flickers, switch broken") == "lamp flickers, switch broken"


def test_version_is_a_string(model: OutcomeModel) -> None:
    assert isinstance(model.version, str)
    assert model.version


def test_an_adapted_prediction_keeps_the_models_own_answer_beside_it(model: OutcomeModel) -> None:
    from chalicelib.ml.adaptation import OutcomeCounts, apply_label

    counts = OutcomeCounts()
    for _ in range(50):
        counts = apply_label(counts, "Laptop", "End of life", model.barriers[0])
    bare = model.predict("does not start", "Laptop", None, 4.0)

    adapted = model.predict("does not start", "Laptop", None, 4.0, counts=counts)

    assert adapted.end_of_life > bare.end_of_life
    assert adapted.unadapted == pytest.approx((bare.fixed, bare.repairable, bare.end_of_life))
    assert dict(adapted.unadapted_barriers) == pytest.approx(dict(bare.unadapted_barriers))
