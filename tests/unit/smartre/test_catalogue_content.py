"""The committed product catalogue: one entry per ORDS category, complete in all four languages."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from repaircore.vocabulary import ALL_CATEGORIES

CATALOGUE = Path(__file__).resolve().parents[3] / "smartre/catalogue/products.json"
LANGUAGES = ("en", "nl", "fr", "de")
PRODUCT_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
FIELDS = {"productId", "category", "name", "typicalRepair", "commonFaults"}
MAX_REPAIR_CHARS = 400
MAX_FAULT_CHARS = 80
MIN_FAULTS, MAX_FAULTS = 3, 5


def load_catalogue() -> list[dict[str, Any]]:
    entries = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    return entries


ENTRIES = load_catalogue()


def entry_id(entry: dict[str, Any]) -> str:
    return str(entry.get("productId"))


def test_every_ords_category_appears_exactly_once() -> None:
    categories = [entry["category"] for entry in ENTRIES]

    duplicates = [name for name, count in Counter(categories).items() if count > 1]
    assert duplicates == []
    assert set(categories) == set(ALL_CATEGORIES)
    assert len(categories) == len(ALL_CATEGORIES)


def test_product_ids_are_unique_slugs() -> None:
    ids = [entry["productId"] for entry in ENTRIES]

    assert len(set(ids)) == len(ids)
    assert [i for i in ids if not PRODUCT_ID.fullmatch(i)] == []


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_entry_has_exactly_the_catalogue_fields(entry: dict[str, Any]) -> None:
    assert set(entry) == FIELDS


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_name_and_typical_repair_are_non_empty_in_every_language(entry: dict[str, Any]) -> None:
    for field in ("name", "typicalRepair"):
        texts = entry[field]
        assert set(texts) == set(LANGUAGES), field
        for language in LANGUAGES:
            text = texts[language]
            assert isinstance(text, str)
            assert text.strip() == text
            assert text, f"{field}.{language}"


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_typical_repair_fits_the_length_limit(entry: dict[str, Any]) -> None:
    too_long = {
        language: len(text)
        for language, text in entry["typicalRepair"].items()
        if len(text) > MAX_REPAIR_CHARS
    }
    assert too_long == {}


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_common_faults_are_short_and_parallel_across_languages(entry: dict[str, Any]) -> None:
    faults = entry["commonFaults"]
    assert set(faults) == set(LANGUAGES)

    counts = {language: len(faults[language]) for language in LANGUAGES}
    assert len(set(counts.values())) == 1, counts
    assert MIN_FAULTS <= counts["en"] <= MAX_FAULTS
    for language in LANGUAGES:
        for fault in faults[language]:
            assert isinstance(fault, str)
            assert fault.strip() == fault
            assert 0 < len(fault) <= MAX_FAULT_CHARS, f"{language}: {fault!r}"


@pytest.mark.parametrize("entry", ENTRIES, ids=entry_id)
def test_dutch_advice_says_je_like_the_interface(entry: dict[str, Any]) -> None:
    texts = [entry["name"]["nl"], entry["typicalRepair"]["nl"], *entry["commonFaults"]["nl"]]

    assert [t for t in texts if re.search(r"\b(?:u|uw)\b", t, re.IGNORECASE)] == []
