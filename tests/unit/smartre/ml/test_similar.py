"""similar_repairs: what past repairs of the same category looked like, with attribution."""

import pytest

from chalicelib.ml.similar import similar_repairs, version


def test_known_category_gives_outcome_shares_and_barriers() -> None:
    stats = similar_repairs("Laptop")
    assert stats is not None
    assert stats.category == "Laptop"
    assert stats.records > 100
    assert stats.fixed + stats.repairable + stats.end_of_life == pytest.approx(1.0, abs=1e-3)
    assert 1 <= len(stats.top_barriers) <= 3
    assert "CC BY-SA 4.0" in stats.attribution


def test_lookup_ignores_case_and_spaces() -> None:
    assert similar_repairs("  laptop ") == similar_repairs("Laptop")


def test_unpowered_categories_from_the_photo_model_have_statistics() -> None:
    stats = similar_repairs("Unpowered - Textile")
    assert stats is not None
    assert stats.records > 0
    assert stats.top_barriers == ()


@pytest.mark.parametrize("category", [None, "", "Spaceship"])
def test_unknown_category_gives_none(category: str | None) -> None:
    assert similar_repairs(category) is None


def test_version_is_a_string() -> None:
    assert version().startswith("similar-")
