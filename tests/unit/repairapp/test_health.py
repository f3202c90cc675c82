"""GET /api/health: public, reports each dependency."""

from __future__ import annotations

from chalice.test import Client

from tests.unit.repairapp.fake_smartre import FakeSmartRe


def test_health_reports_reachable_dependencies(client: Client) -> None:
    response = client.http.get("/api/health")

    assert response.status_code == 200
    assert response.json_body["service"] == "repairapp"
    assert set(response.json_body["checks"].values()) == {"ok"}


def test_health_is_503_when_smartre_is_down(client: Client, fake_smartre: FakeSmartRe) -> None:
    fake_smartre.fail("health", 503)

    response = client.http.get("/api/health")

    assert response.status_code == 503
    assert response.json_body["checks"]["smartre"].startswith("error")
