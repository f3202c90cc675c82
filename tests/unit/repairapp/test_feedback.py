"""The real outcome reaches SmartRe's feedback route exactly once, whatever is retried."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chalice.test import Client

from tests.unit.repairapp.fake_smartre import FakeSmartRe

Patch = Callable[..., Any]
Submit = Callable[..., dict[str, Any]]


def _to_in_repair(submit: Submit, patch_repair: Patch, **analysis: Any) -> dict[str, Any]:
    created = submit(**analysis)
    for status in ("accepted", "in_repair"):
        assert patch_repair(created["repairId"], status=status).status_code == 200
    return created


def _run_schedule(client: Client) -> dict[str, Any]:
    event = client.events.generate_cw_event(
        source="aws.events", detail_type="Scheduled Event", detail={}, resources=[]
    )
    response = client.lambda_.invoke("send_pending_feedback", event)
    payload: dict[str, Any] = response.payload
    return payload


def test_closing_sends_the_outcome_once_with_a_deterministic_key(
    submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    # Given a request the citizen filed under "Laptop"
    created = _to_in_repair(submit, patch_repair, inputs={"productCategory": "Laptop"})

    # When the repairer closes it as end of life
    response = patch_repair(created["repairId"], status="end_of_life", barrier="Too worn out")

    # Then SmartRe got the real outcome, once, under the request's own key
    assert response.json_body["feedbackStatus"] == "sent"
    [call] = fake_smartre.calls("feedback")
    assert call.headers["idempotency-key"] == f"repair-{created['repairId']}-outcome"
    assert json.loads(call.body) == {
        "outcome": "End of life",
        "barrier": "Too worn out",
        "productCategory": "Laptop",
        "source": "repairer",
        "reference": created["repairId"],
    }


def test_a_retried_closing_patch_sends_nothing_more(
    client: Client, submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    created = _to_in_repair(submit, patch_repair)
    patch_repair(created["repairId"], version=3, status="fixed")

    retried = patch_repair(created["repairId"], version=3, status="fixed")
    _run_schedule(client)

    assert retried.status_code == 412
    assert len(fake_smartre.calls("feedback")) == 1


def test_an_outcome_smartre_could_not_take_is_delivered_once_it_recovers(
    client: Client, submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    # Given SmartRe is down when the request closes
    created = _to_in_repair(submit, patch_repair)
    fake_smartre.fail("feedback", 503)
    closed = patch_repair(created["repairId"], status="fixed")
    assert closed.status_code == 200
    assert closed.json_body["feedbackStatus"] == "pending"

    # When the schedule runs while it is still down, then after it recovers, then again
    assert _run_schedule(client) == {"sent": 0}
    fake_smartre.recover()
    assert _run_schedule(client) == {"sent": 1}
    assert _run_schedule(client) == {"sent": 0}

    # Then SmartRe stored exactly one label, always asked with the same key
    assert len(fake_smartre.labels) == 1
    keys = {c.headers["idempotency-key"] for c in fake_smartre.calls("feedback")}
    assert keys == {f"repair-{created['repairId']}-outcome"}


def test_a_feedback_smartre_refuses_is_not_retried_forever(
    client: Client,
    repairer: dict[str, str],
    submit: Submit,
    patch_repair: Patch,
    fake_smartre: FakeSmartRe,
) -> None:
    created = _to_in_repair(submit, patch_repair)
    fake_smartre.fail("feedback", 404, {"Code": "NotFound", "Message": "analysis expired"})

    closed = patch_repair(created["repairId"], status="repairable")
    _run_schedule(client)

    assert closed.json_body["feedbackStatus"] == "failed"
    assert len(fake_smartre.calls("feedback")) == 1


def test_a_cancelled_request_sends_no_outcome(
    submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    created = _to_in_repair(submit, patch_repair)

    patch_repair(created["repairId"], status="cancelled")

    assert fake_smartre.calls("feedback") == []


def test_a_category_only_the_model_guessed_is_not_sent_as_truth(
    submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    # Given the category came from the photo model, not from a person
    created = _to_in_repair(
        submit,
        patch_repair,
        inputs={"imageId": "img_" + "M" * 22},
        productCategory={"label": "Laptop", "confidence": 0.9, "recognised": True, "top3": []},
    )

    patch_repair(created["repairId"], status="fixed")

    [call] = fake_smartre.calls("feedback")
    assert "productCategory" not in json.loads(call.body)


def test_a_category_the_repairer_confirms_is_sent(
    submit: Submit, patch_repair: Patch, fake_smartre: FakeSmartRe
) -> None:
    created = _to_in_repair(submit, patch_repair)

    patch_repair(created["repairId"], status="fixed", productCategory="Toaster")

    [call] = fake_smartre.calls("feedback")
    assert json.loads(call.body)["productCategory"] == "Toaster"
