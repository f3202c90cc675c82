"""SimilarRecordsIndex: real Open Repair Data records most like this repair, with attribution."""

import pytest

from chalicelib.ml.similar_records import SimilarRecordsIndex


@pytest.fixture(scope="module")
def index() -> SimilarRecordsIndex:
    return SimilarRecordsIndex.load()


def test_the_closest_records_of_the_category_come_first(index: SimilarRecordsIndex) -> None:
    records = index.similar("kettle switch does not stay on", ["Kettle"])

    assert len(records) == 5
    assert {r.category for r in records} == {"Kettle"}
    assert [r.similarity for r in records] == sorted((r.similarity for r in records), reverse=True)
    assert any("switch" in r.problem.casefold() for r in records)
    for record in records:
        assert record.outcome in {"Fixed", "Repairable", "End of life"}
        assert record.network
        assert record.year is None or 1990 <= record.year <= 2100
        assert record.barrier is None or record.outcome == "End of life" or record.barrier


def test_a_short_category_is_filled_up_from_the_next_one(index: SimilarRecordsIndex) -> None:
    records = index.similar("zuigt niet meer", ["Spaceship", "Vacuum"], limit=3)
    assert [r.category for r in records] == ["Vacuum"] * 3


def test_records_in_other_languages_are_found_by_their_words(index: SimilarRecordsIndex) -> None:
    records = index.similar("Wasserkocher schaltet nicht ab", ["Kettle"])
    assert any(r.network == "anstiftung & ertomis" for r in records)


def test_the_index_carries_the_open_repair_data_attribution(index: SimilarRecordsIndex) -> None:
    assert "CC BY-SA 4.0" in index.attribution
    assert "Open Repair Alliance" in index.attribution
    assert "Restart Project" in index.attribution
    assert len(index) > 10_000
