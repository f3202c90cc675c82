"""One correlation id per request: the caller's if well formed, else CloudFront's, else new."""

from __future__ import annotations

from types import SimpleNamespace

from repaircore.correlation import correlation_id_for


def request(headers: dict[str, str], request_id: str = "") -> SimpleNamespace:
    return SimpleNamespace(headers=headers, context={"requestId": request_id})


def test_a_well_formed_caller_id_is_kept() -> None:
    assert correlation_id_for(request({"X-Correlation-Id": "abc-12345678"})) == "abc-12345678"


def test_cloudfronts_request_id_is_used_when_the_caller_sent_none() -> None:
    cf = "Ab3dEfGhIjKlMnOpQrStUvWxYz0123456789ABCDEFGHIJ=="
    assert correlation_id_for(request({"x-amz-cf-id": cf}, "apigw-1234567")) == cf


def test_a_malformed_caller_id_is_replaced() -> None:
    chosen = correlation_id_for(request({"X-Correlation-Id": "bad id\nwith newline"}, "req-123456"))

    assert chosen == "req-123456"


def test_without_any_id_a_new_one_is_made() -> None:
    first, second = correlation_id_for(request({})), correlation_id_for(request({}))

    assert len(first) == 32
    assert first != second
