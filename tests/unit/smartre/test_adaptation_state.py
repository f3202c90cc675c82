"""The adaptation state: every feedback label with an outcome is counted once, atomically."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

ANALYSIS = {
    "productCategory": {"label": "Lamp", "confidence": 0.9, "recognised": True, "top3": []},
    "outcome": {"fixed": 0.6, "repairable": 0.2, "endOfLife": 0.2, "predicted": "Fixed"},
    "barrier": None,
    "modelVersions": {"outcome": "out-1"},
    "inputs": {"description": "lamp flickers", "productCategory": None, "language": "en"},
    "createdAt": "2026-11-27T10:00:00Z",
}


def store_analysis(analysis_id: str, **changes: Any) -> None:
    from chalicelib import resources

    document = {**ANALYSIS, "analysisId": analysis_id, **changes}
    resources.analyses().put(
        {
            "analysisId": analysis_id,
            "createdAt": ANALYSIS["createdAt"],
            "document": json.dumps(document),
        }
    )


def send(client: Client, auth: dict[str, str], analysis_id: str, body: Any, key: str) -> Any:
    return client.http.post(
        f"/api/analyses/{analysis_id}/feedback",
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Idempotency-Key": key, **auth},
    )


def counts(barriers: tuple[str, ...] = ()) -> Any:
    from chalicelib.services.adaptation import current_counts

    return current_counts(barriers)


def analysis_id(n: int) -> str:
    return "an_" + f"{n:022d}"


def test_before_any_label_the_state_is_empty(aws: Any) -> None:
    state = counts()
    assert state.labels == 0
    assert state.version == "labels-0"


def test_an_outcome_label_counts_overall_per_category_and_barrier(
    client: Client, auth: dict[str, str]
) -> None:
    store_analysis(analysis_id(1))

    response = send(
        client,
        auth,
        analysis_id(1),
        {"outcome": "End of life", "barrier": "Too worn out"},
        "repair-1-outcome",
    )

    assert response.status_code == 201
    state = counts(("Item too worn out",))
    assert state.labels == 1
    assert state.overall == {"End of life": 1.0}
    assert state.by_category == {"Lamp": {"End of life": 1.0}}
    # stored in the standard's spelling, read back in the model's
    assert state.barriers == {"Item too worn out": 1.0}


def test_the_repairers_category_beats_the_photos(client: Client, auth: dict[str, str]) -> None:
    store_analysis(analysis_id(2))

    send(
        client,
        auth,
        analysis_id(2),
        {"outcome": "Fixed", "productCategory": "Kettle"},
        "kettle-2-abc",
    )

    assert counts().by_category == {"Kettle": {"Fixed": 1.0}}


def test_a_retried_label_is_counted_once(client: Client, auth: dict[str, str]) -> None:
    store_analysis(analysis_id(3))

    for _ in range(3):
        assert (
            send(client, auth, analysis_id(3), {"outcome": "Fixed"}, "retry-3-x").status_code == 201
        )

    assert counts().labels == 1


def test_a_label_stored_twice_with_one_id_is_refused_and_counted_once(aws: Any) -> None:
    from chalicelib.services.adaptation import record_label
    from repaircore.errors import Conflict

    label = {"analysisId": analysis_id(4), "labelId": "lb_1", "truth": {"outcome": "Fixed"}}
    record_label(label, ANALYSIS)
    with pytest.raises(Conflict):
        record_label(label, ANALYSIS)

    assert counts().overall == {"Fixed": 1.0}


def test_a_category_only_label_is_stored_but_not_counted(
    client: Client, auth: dict[str, str]
) -> None:
    store_analysis(analysis_id(5))

    response = send(client, auth, analysis_id(5), {"productCategory": "Kettle"}, "cat-5-only")

    assert response.status_code == 201
    assert counts().labels == 0


UNADAPTED = {
    "category": "Lamp",
    "outcome": {"fixed": 0.5, "repairable": 0.2, "endOfLife": 0.3},
    "barriers": {"Item too worn out": 0.75, "Spare parts not available": 0.25},
}


def test_a_label_adds_the_models_pre_adaptation_probabilities(
    client: Client, auth: dict[str, str]
) -> None:
    # Given an analysis that stored what the model said before adaptation, for a lamp
    store_analysis(analysis_id(6), unadapted=UNADAPTED)

    # When the repair ends its life for a worn-out item
    send(
        client,
        auth,
        analysis_id(6),
        {"outcome": "End of life", "barrier": "Too worn out"},
        "unadapted-6-eol",
    )

    # Then its probabilities are summed overall, for the lamp and for the barriers
    state = counts(("Item too worn out", "Spare parts not available"))
    expected = {"Fixed": 0.5, "Repairable": 0.2, "End of life": 0.3}
    assert state.predicted == expected
    assert state.predicted_by_category == {"Lamp": expected}
    assert state.predicted_barriers == {
        "Item too worn out": 0.75,
        "Spare parts not available": 0.25,
    }


def test_a_corrected_category_gets_no_probabilities_predicted_for_another(
    client: Client, auth: dict[str, str]
) -> None:
    store_analysis(analysis_id(7), unadapted=UNADAPTED)

    send(
        client,
        auth,
        analysis_id(7),
        {"outcome": "Fixed", "productCategory": "Kettle"},
        "unadapted-7-kettle",
    )

    state = counts()
    assert state.predicted == {"Fixed": 0.5, "Repairable": 0.2, "End of life": 0.3}
    assert state.predicted_by_category == {}
    assert state.predicted_barriers == {}  # no barrier: the item did not end its life


def test_an_analysis_without_pre_adaptation_probabilities_only_counts(
    client: Client, auth: dict[str, str]
) -> None:
    store_analysis(analysis_id(8))

    send(client, auth, analysis_id(8), {"outcome": "Fixed"}, "no-unadapted-8")

    state = counts()
    assert state.overall == {"Fixed": 1.0}
    assert state.predicted == {}


def _store_with_clock(now: list[float]) -> Any:
    from chalicelib import resources
    from chalicelib.label_store import LabelStore
    from repaircore import clients

    return LabelStore(clients.client("dynamodb"), resources.labels(), clock=lambda: now[0])


def _label(n: int) -> dict[str, Any]:
    return {"analysisId": analysis_id(n), "labelId": f"lb_{n}", "truth": {"outcome": "Fixed"}}


def test_another_containers_label_is_seen_once_the_read_state_is_old_enough(aws: Any) -> None:
    # Given a container that has just read the state, and another one that records a label
    now = [100.0]
    reader, writer = _store_with_clock(now), _store_with_clock(now)
    assert reader.counts(max_age=2.0) == {}
    writer.add(_label(9), {"labels": 1, "status|Fixed": 1})

    # Then the reader reuses what it read for up to max_age seconds, then reads again
    now[0] += 1.9
    assert reader.counts(max_age=2.0) == {}
    now[0] += 0.1
    assert reader.counts(max_age=2.0)["labels"] == 1


def test_a_containers_own_label_is_seen_at_once(aws: Any) -> None:
    store = _store_with_clock([100.0])
    assert store.counts(max_age=2.0) == {}

    store.add(_label(10), {"labels": 1, "status|Fixed": 1})

    assert store.counts(max_age=2.0)["labels"] == 1
