"""POST /api/repairs and GET /api/repairs/{id} (X-Tracking-Token): citizens' requests, private."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import pytest
from chalice.test import Client

from tests.unit.repairapp.conftest import new_key, repair_body
from tests.unit.repairapp.fake_smartre import FakeSmartRe


def _post(client: Client, headers: dict[str, str], body: Any, key: str | None = None) -> Any:
    return client.http.post(
        "/api/repairs",
        headers={**headers, "Idempotency-Key": key or new_key()},
        body=json.dumps(body),
    )


def _stored_repairs(aws: dict[str, Any]) -> list[dict[str, Any]]:
    table = aws["env"]["REPAIRS_TABLE_NAME"]
    return list(boto3.client("dynamodb").scan(TableName=table)["Items"])


def test_a_request_is_created_with_an_unguessable_id_and_token(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    # Given an analysis SmartRe made
    analysis = fake_smartre.add_analysis()

    # When the citizen asks for a repair
    response = _post(client, origin, repair_body(analysis["analysisId"]))

    # Then the request exists, named by 128+ random bits and reachable with its token
    assert response.status_code == 201
    created = response.json_body
    assert created["repairId"].startswith("rp_")
    assert len(created["repairId"]) == 25
    assert len(created["trackingToken"]) >= 43
    assert created["trackingUrl"] == (
        f"/repairs/{created['repairId']}#token={created['trackingToken']}"
    )


def test_only_a_hash_of_the_tracking_token_is_stored(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, aws: dict[str, Any]
) -> None:
    analysis = fake_smartre.add_analysis()

    created = _post(client, origin, repair_body(analysis["analysisId"])).json_body

    [item] = _stored_repairs(aws)
    token = created["trackingToken"]
    assert token not in json.dumps(item)
    assert item["trackingTokenHash"]["S"] == hashlib.sha256(token.encode()).hexdigest()


def test_the_owner_tracks_the_request_with_its_token(
    client: Client, origin: dict[str, str], submit: Callable[..., dict[str, Any]]
) -> None:
    created = submit()

    response = client.http.get(
        f"/api/repairs/{created['repairId']}",
        headers={**origin, "X-Tracking-Token": created["trackingToken"]},
    )

    assert response.status_code == 200
    tracked = response.json_body
    assert tracked["status"] == "submitted"
    assert [h["status"] for h in tracked["history"]] == ["submitted"]
    assert tracked["analysis"]["analysisId"].startswith("an_")
    assert "contact" not in tracked
    assert "postcode" not in tracked


@pytest.mark.parametrize(
    "token",
    [None, "", "A" * 43, "short"],
    ids=["no-token", "empty-token", "wrong-token", "malformed-token"],
)
def test_a_wrong_or_missing_token_looks_like_no_request_at_all(
    client: Client, origin: dict[str, str], submit: Callable[..., dict[str, Any]], token: str | None
) -> None:
    created = submit()
    headers = origin if token is None else {**origin, "X-Tracking-Token": token}

    response = client.http.get(f"/api/repairs/{created['repairId']}", headers=headers)

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"


def test_a_token_in_the_url_opens_nothing(
    client: Client, origin: dict[str, str], submit: Callable[..., dict[str, Any]]
) -> None:
    # URLs end up in access logs: the API does not read a token from one
    created = submit()

    response = client.http.get(
        f"/api/repairs/{created['repairId']}?token={created['trackingToken']}", headers=origin
    )

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"


def test_an_unknown_request_is_the_same_404(client: Client, origin: dict[str, str]) -> None:
    response = client.http.get(
        f"/api/repairs/rp_{'B' * 22}", headers={**origin, "X-Tracking-Token": "A" * 43}
    )

    assert response.status_code == 404
    assert response.json_body["Code"] == "NotFound"


def test_an_unknown_id_and_a_wrong_token_do_the_same_work(
    client: Client,
    origin: dict[str, str],
    submit: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given every DynamoDB read and every token comparison the lookup makes, recorded
    from chalicelib import identifiers
    from chalicelib.services import repair_requests
    from repaircore import clients

    work: list[str] = []
    compare = identifiers.token_matches

    def counted(token: str, digest: str) -> bool:
        work.append("compare")
        return compare(token, digest)

    def read(params: dict[str, Any], **kwargs: Any) -> None:
        work.append(f"GetItem {sorted(params.get('ProjectionExpression', '*').split(', '))}")

    monkeypatch.setattr(repair_requests, "token_matches", counted)
    created = submit()
    dynamodb = clients.client("dynamodb")
    dynamodb.meta.events.register("before-parameter-build.dynamodb.GetItem", read)
    wrong = {**origin, "X-Tracking-Token": "A" * 43}

    # When a known id is asked with a wrong token, then an unknown id
    work.clear()
    client.http.get(f"/api/repairs/{created['repairId']}", headers=wrong)
    known_id = list(work)
    work.clear()
    client.http.get(f"/api/repairs/rp_{'B' * 22}", headers=wrong)
    unknown_id = list(work)
    dynamodb.meta.events.unregister("before-parameter-build.dynamodb.GetItem", read)

    # Then both made one small read of the digest and one comparison, nothing else
    assert known_id == unknown_id == ["GetItem ['#n0']", "compare"]


def test_an_analysis_smartre_does_not_know_is_refused(
    client: Client, origin: dict[str, str], aws: dict[str, Any]
) -> None:
    response = _post(client, origin, repair_body("an_" + "Z" * 22))

    assert response.status_code == 422
    assert response.json_body["Code"] == "AnalysisNotFound"
    assert _stored_repairs(aws) == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"consent": None}, "ConsentRequired"),
        ({"consent": False}, "ConsentRequired"),
        ({"consent": "yes"}, "ConsentRequired"),
        ({"postcode": "0999"}, "InvalidPostcode"),
        ({"postcode": "9993"}, "InvalidPostcode"),
        ({"postcode": "75001"}, "InvalidPostcode"),
        ({"postcode": "B-9000"}, "InvalidPostcode"),
        ({"postcode": 9000}, "InvalidType"),
        ({"contact": {"name": "Mira", "email": "mira@"}}, "InvalidEmail"),
        ({"contact": {"name": "Mira", "email": "mira at example.be"}}, "InvalidEmail"),
        ({"contact": {"name": "Mira", "email": "a" * 250 + "@x.be"}}, "TooLong"),
        ({"contact": {"name": "M" * 5000, "email": "mira@example.be"}}, "TooLong"),
        ({"contact": {"email": "mira@example.be"}}, "MissingField"),
        ({"contact": None}, "MissingField"),
        ({"analysisId": "../../etc"}, "InvalidAnalysisId"),
        ({"phone": "0470 00 00 00"}, "UnknownField"),
    ],
    ids=[
        "consent-missing",
        "consent-false",
        "consent-not-a-boolean",
        "postcode-below-1000",
        "postcode-above-9992",
        "postcode-french",
        "postcode-with-prefix",
        "postcode-a-number",
        "email-no-domain",
        "email-with-spaces",
        "email-too-long",
        "name-5kB",
        "name-missing",
        "contact-missing",
        "analysis-id-malformed",
        "unknown-field",
    ],
)
def test_bad_input_is_refused_with_a_specific_code_and_nothing_is_stored(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    aws: dict[str, Any],
    change: dict[str, Any],
    code: str,
) -> None:
    body = repair_body(fake_smartre.add_analysis()["analysisId"], **change)
    body = {k: v for k, v in body.items() if v is not None}

    response = _post(client, origin, body)

    assert response.status_code == 400
    assert response.json_body["Code"] == code
    assert _stored_repairs(aws) == []


def test_the_same_key_and_body_return_the_first_result_and_create_one_request(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, aws: dict[str, Any]
) -> None:
    body = repair_body(fake_smartre.add_analysis()["analysisId"])
    key = new_key()

    first = _post(client, origin, body, key)
    again = _post(client, origin, body, key)

    assert again.status_code == 201
    assert again.json_body == first.json_body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(_stored_repairs(aws)) == 1


def test_the_same_key_with_another_body_is_refused(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, aws: dict[str, Any]
) -> None:
    analysis_id = fake_smartre.add_analysis()["analysisId"]
    key = new_key()
    _post(client, origin, repair_body(analysis_id), key)

    response = _post(client, origin, repair_body(analysis_id, postcode="1000"), key)

    assert response.status_code == 422
    assert response.json_body["Code"] == "IdempotencyKeyReused"
    assert len(_stored_repairs(aws)) == 1


def test_a_missing_idempotency_key_is_refused(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    body = repair_body(fake_smartre.add_analysis()["analysisId"])

    response = client.http.post("/api/repairs", headers=origin, body=json.dumps(body))

    assert response.status_code == 400
    assert response.json_body["Code"] == "InvalidIdempotencyKey"


def test_smartre_down_gives_503_with_a_retry_hint_and_writes_nothing(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, aws: dict[str, Any]
) -> None:
    # Given SmartRe fails while the request is being created
    analysis_id = fake_smartre.add_analysis()["analysisId"]
    fake_smartre.fail("analysis", 502)
    key = new_key()

    # When the citizen submits
    response = _post(client, origin, repair_body(analysis_id), key)

    # Then they are told to retry later, and nothing half-done remains
    assert response.status_code == 503
    assert response.json_body["Code"] == "ServiceUnavailable"
    assert int(response.headers["Retry-After"]) >= 1
    assert _stored_repairs(aws) == []
    # and the same retry succeeds once SmartRe is back
    fake_smartre.recover()
    assert _post(client, origin, repair_body(analysis_id), key).status_code == 201


def test_smartre_timing_out_gives_503_and_writes_nothing(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    aws: dict[str, Any],
    short_smartre_timeouts: None,
) -> None:
    analysis_id = fake_smartre.add_analysis()["analysisId"]
    fake_smartre.delays["analysis"] = 1.0

    response = _post(client, origin, repair_body(analysis_id))

    assert response.status_code == 503
    assert response.json_body["Code"] == "ServiceUnavailable"
    assert "Retry-After" in response.headers
    assert _stored_repairs(aws) == []


def test_smartre_unreachable_gives_503(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe, monkeypatch: Any
) -> None:
    analysis_id = fake_smartre.add_analysis()["analysisId"]
    monkeypatch.setenv("SMARTRE_API_URL", "http://127.0.0.1:9")  # nothing listens there
    from chalicelib import resources

    resources.reset()

    response = _post(client, origin, repair_body(analysis_id))

    assert response.status_code == 503
    assert response.json_body["Code"] == "ServiceUnavailable"


def test_contact_details_are_never_sent_to_smartre(
    client: Client, origin: dict[str, str], fake_smartre: FakeSmartRe
) -> None:
    body = repair_body(fake_smartre.add_analysis()["analysisId"])

    assert _post(client, origin, body).status_code == 201

    sent = fake_smartre.everything_received()
    assert "Mira" not in sent
    assert "mira.janssens@example.be" not in sent
    assert "9000" not in sent


def test_concurrent_retries_of_one_submission_create_one_request(
    client: Client,
    origin: dict[str, str],
    fake_smartre: FakeSmartRe,
    aws: dict[str, Any],
    serialised_emulator: None,
) -> None:
    # Given a citizen whose browser sends the same submission ten times at once
    body = json.dumps(repair_body(fake_smartre.add_analysis()["analysisId"]))
    headers = {**origin, "Idempotency-Key": new_key()}

    with ThreadPoolExecutor(max_workers=10) as pool:
        responses = list(
            pool.map(
                lambda _: client.http.post("/api/repairs", headers=headers, body=body), range(10)
            )
        )

    # Then all get the one request that was created
    assert {r.status_code for r in responses} == {201}
    assert len({r.json_body["repairId"] for r in responses}) == 1
    assert len(_stored_repairs(aws)) == 1
