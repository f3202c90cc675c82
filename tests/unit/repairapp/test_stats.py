"""GET /api/stats: counts kept with every write, and the impact of what was fixed."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from chalice.test import Client

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]
FACTORS = json.loads(
    (
        Path(__file__).resolve().parents[3] / "repairapp/chalicelib/data/impact_factors.json"
    ).read_text(encoding="utf-8")
)


def _close(submit: Submit, patch_repair: Patch, category: str, status: str, **extra: Any) -> None:
    created = submit(inputs={"productCategory": category})
    for step in ("accepted", "in_repair"):
        patch_repair(created["repairId"], status=step)
    assert patch_repair(created["repairId"], status=status, **extra).status_code == 200


def test_counts_by_status_and_category_follow_every_change(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch, no_scans: None
) -> None:
    # Given two fixed laptops, an end-of-life laptop, a repairable kettle and an open request
    _close(submit, patch_repair, "Laptop", "fixed")
    _close(submit, patch_repair, "Laptop", "fixed")
    _close(submit, patch_repair, "Laptop", "end_of_life", barrier="Spare parts not available")
    _close(submit, patch_repair, "Kettle", "repairable")
    submit(inputs={"productCategory": "Kettle"})

    stats = client.http.get("/api/stats", headers=repairer).json_body

    assert stats["byStatus"] == {
        "submitted": 1,
        "accepted": 0,
        "in_repair": 0,
        "fixed": 2,
        "repairable": 1,
        "end_of_life": 1,
        "cancelled": 0,
    }
    assert stats["byCategory"] == [
        {"category": "Laptop", "total": 3, "fixed": 2, "repairable": 0, "endOfLife": 1},
        {"category": "Kettle", "total": 2, "fixed": 0, "repairable": 1, "endOfLife": 0},
    ]
    assert stats["shareFixed"] == 0.5


def test_the_impact_of_fixed_items_uses_the_cited_factors(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    _close(submit, patch_repair, "Laptop", "fixed")
    _close(submit, patch_repair, "Laptop", "fixed")
    _close(submit, patch_repair, "Kettle", "repairable")

    impact = client.http.get("/api/stats", headers=repairer).json_body["impact"]

    laptop = FACTORS["categories"]["Laptop"]
    assert impact["kgWasteAvoided"] == round(2 * laptop["kgWeight"], 1)
    assert impact["kgCo2eAvoided"] == round(2 * laptop["kgCo2ePreUse"] * 0.5, 1)
    assert "Restart Project" in impact["source"]
    assert impact["sourceUrl"].startswith("https://github.com/TheRestartProject/")


def test_fixed_items_without_published_factors_are_named_not_guessed(
    client: Client, repairer: dict[str, str], submit: Submit, patch_repair: Patch
) -> None:
    _close(submit, patch_repair, "Misc", "fixed")

    impact = client.http.get("/api/stats", headers=repairer).json_body["impact"]

    assert impact["kgCo2eAvoided"] == 0
    assert impact["notEstimated"] == ["Misc"]


def test_no_outcomes_yet_is_a_share_of_zero(client: Client, repairer: dict[str, str]) -> None:
    stats = client.http.get("/api/stats", headers=repairer).json_body

    assert stats["shareFixed"] == 0
    assert stats["byCategory"] == []


@pytest.mark.parametrize("category", sorted(FACTORS["categories"]))
def test_every_factor_names_an_open_repair_data_category(category: str) -> None:
    from repaircore.vocabulary import ALL_CATEGORIES

    assert category in ALL_CATEGORIES
    assert FACTORS["categories"][category]["kgWeight"] > 0
