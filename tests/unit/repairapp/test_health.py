"""GET /api/health: public, reports each dependency."""

from __future__ import annotations

from chalice.test import Client


def test_health_reports_reachable_dependencies(client: Client) -> None:
    response = client.http.get("/api/health")

    assert response.status_code == 200
    assert response.json_body["service"] == "repairapp"
    assert response.json_body["checks"]["repairsTable"] == "ok"
