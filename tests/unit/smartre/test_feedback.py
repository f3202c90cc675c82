"""Feedback: labelled examples with the predictions and model versions, stored exactly once."""

from __future__ import annotations

import json
from typing import Any

import pytest
from chalice.test import Client

ANALYSIS_ID = "an_" + "B" * 22
ANALYSIS = {
    "analysisId": ANALYSIS_ID,
    "productCategory": {"label": "Lamp", "confidence": 0.9, "recognised": True, "top3": []},
    "outcome": {"fixed": 0.6, "repairable": 0.2, "endOfLife": 0.2, "predicted": "Fixed"},
    "barrier": None,
    "modelVersions": {"image": "img-1", "outcome": "out-1", "safety": "s-1"},
    "inputs": {"description": "lamp flickers", "language": "en"},
    "createdAt": "2026-11-27T10:00:00Z",
}


@pytest.fixture
def stored_analysis(aws: Any) -> None:
    from chalicelib import resources

    resources.analyses().put(
        {
            "analysisId": ANALYSIS_ID,
            "createdAt": ANALYSIS["createdAt"],
            "document": json.dumps(ANALYSIS),
        }
    )


def send(client: Client, auth: dict[str, str], body: Any, key: str = "repair-rp1-outcome") -> Any:
    return client.http.post(
        f"/api/analyses/{ANALYSIS_ID}/feedback",
        body=json.dumps(body),
        headers={"Content-Type": "application/json", "Idempotency-Key": key, **auth},
    )


def labels() -> list[dict[str, Any]]:
    from chalicelib import resources

    return resources.labels().query(partition=("analysisId", ANALYSIS_ID)).items


def test_feedback_is_stored_with_predictions_and_model_versions(
    client: Client, auth: dict[str, str], stored_analysis: None
) -> None:
    response = send(
        client,
        auth,
        {"outcome": "End of life", "barrier": "No way to open the product", "source": "repairapp"},
    )

    assert response.status_code == 201
    [label] = labels()
    assert label["truth"] == {
        "productCategory": None,
        "outcome": "End of life",
        "barrier": "No way to open product",
    }
    assert label["predicted"]["outcome"] == "Fixed"
    assert label["modelVersions"]["outcome"] == "out-1"
    assert label["inputs"]["description"] == "lamp flickers"


def test_a_retried_submission_is_stored_once(
    client: Client, auth: dict[str, str], stored_analysis: None
) -> None:
    first = send(client, auth, {"outcome": "Fixed"})
    again = send(client, auth, {"outcome": "Fixed"})

    assert first.status_code == again.status_code == 201
    assert first.json_body == again.json_body
    assert len(labels()) == 1


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "MissingInput"),
        ({"outcome": "Kaput"}, "UnknownOutcome"),
        ({"outcome": "Fixed", "barrier": "Too worn out"}, "BarrierWithoutEndOfLife"),
        ({"outcome": "End of life", "barrier": "Gremlins"}, "UnknownBarrier"),
        ({"productCategory": "Spaceship"}, "UnknownCategory"),
    ],
)
def test_invalid_feedback_is_refused_and_not_stored(
    client: Client, auth: dict[str, str], stored_analysis: None, body: Any, code: str
) -> None:
    response = send(client, auth, body)

    assert response.status_code == 400
    assert response.json_body["Code"] == code
    assert labels() == []


def test_feedback_on_an_unknown_analysis_is_404(
    client: Client, auth: dict[str, str], aws: Any
) -> None:
    response = send(client, auth, {"outcome": "Fixed"})
    assert response.status_code == 404
    assert response.json_body["Code"] == "AnalysisNotFound"


def _stored_document() -> dict[str, Any]:
    from chalicelib import resources

    item = resources.analyses().get({"analysisId": ANALYSIS_ID})
    document: dict[str, Any] = json.loads(item["document"])
    return document


def test_an_outcome_closes_the_repair_and_scrubs_the_persons_inputs(
    client: Client, auth: dict[str, str], aws: Any
) -> None:
    # Given an analysis of a photo the person uploaded, with their description
    from chalicelib import resources

    image_id = "img_" + "C" * 22
    resources.photos().put(
        f"uploads/{image_id}/photo", b"\xff\xd8 photo", content_type="image/jpeg"
    )
    analysis = {**ANALYSIS, "inputs": {**ANALYSIS["inputs"], "imageId": image_id}}
    resources.analyses().put(
        {
            "analysisId": ANALYSIS_ID,
            "createdAt": ANALYSIS["createdAt"],
            "document": json.dumps(analysis),
        }
    )

    # When RepairApp reports the real outcome (the repair closed), twice (a retry)
    assert send(client, auth, {"outcome": "Fixed"}).status_code == 201
    assert send(client, auth, {"outcome": "Fixed"}).status_code == 201

    # Then the photo is gone and the analysis keeps no description or photo reference
    from repaircore.errors import NotFound

    with pytest.raises(NotFound):
        resources.photos().head(f"uploads/{image_id}/photo")
    inputs = _stored_document()["inputs"]
    assert inputs["description"] is None
    assert inputs["imageId"] is None
    assert inputs["language"] == "en"
    read = client.http.get(f"/api/analyses/{ANALYSIS_ID}", headers=auth).json_body
    assert "lamp flickers" not in json.dumps(read)
    # And the training label was stored before, with the truth and the predictions
    [label] = labels()
    assert label["truth"]["outcome"] == "Fixed"


def test_a_category_correction_alone_scrubs_nothing(
    client: Client, auth: dict[str, str], stored_analysis: None
) -> None:
    assert send(client, auth, {"productCategory": "Lamp"}).status_code == 201

    assert _stored_document()["inputs"]["description"] == "lamp flickers"
