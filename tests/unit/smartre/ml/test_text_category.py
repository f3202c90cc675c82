"""TextCategoryModel: the item named in any of four languages, parity with scikit-learn."""

import numpy as np
import pytest

from chalicelib.ml.text_category import Lexicon, TextCategoryModel
from repaircore.vocabulary import PRODUCT_CATEGORIES

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def model() -> TextCategoryModel:
    return TextCategoryModel.load()


def test_the_model_knows_every_powered_category(model: TextCategoryModel) -> None:
    assert model.categories == PRODUCT_CATEGORIES
    assert model.version.startswith("text-category-")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Mijn waterkoker slaat niet meer aan", "Kettle"),
        ("Ma bouilloire ne chauffe plus", "Kettle"),
        ("My kettle switch does not stay on", "Kettle"),
        ("Mein Wasserkocher schaltet nicht mehr ein", "Kettle"),
        ("De stofzuiger zuigt niet meer", "Vacuum"),
        ("Mon grille-pain ne descend plus", "Toaster"),
        ("Die Kaffeemaschine tropft", "Coffee maker"),
        ("The lamp flickers", "Lamp"),
    ],
)
def test_an_item_named_in_any_of_four_languages_is_found(
    model: TextCategoryModel, text: str, category: str
) -> None:
    prediction = model.predict(text)
    assert prediction is not None
    assert prediction.label == category
    assert prediction.top3[0][0] == category
    assert sum(prediction.probabilities.values()) == pytest.approx(1.0)


@pytest.mark.parametrize("text", [None, "", "   ", "?!"])
def test_no_words_give_no_category(model: TextCategoryModel, text: str | None) -> None:
    assert model.predict(text) is None


def test_numpy_inference_equals_scikit_learn(model: TextCategoryModel) -> None:
    with np.load(FIXTURES / "text_category_parity.npz") as fixture:
        texts, expected = fixture["texts"], fixture["proba"]
    got = np.array([model.probabilities(str(text)) for text in texts])
    np.testing.assert_allclose(got, expected, atol=1e-9)


def test_the_lexicon_finds_item_names_inside_german_compounds() -> None:
    lexicon = Lexicon([("Wasserkocher", 13), ("coffee maker", 35)])
    assert lexicon.hits("Der Elektrowasserkocher ist kaputt") == {13}
    assert lexicon.hits("old Coffee  Maker leaks") == {35}
    assert lexicon.hits("Der Kocher ist kaputt") == set()
