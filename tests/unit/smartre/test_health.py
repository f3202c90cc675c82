"""GET /api/health: public, reports each dependency."""

from __future__ import annotations

from chalice.test import Client


def test_health_is_public_and_reports_reachable_dependencies(client: Client) -> None:
    response = client.http.get("/api/health")

    assert response.status_code == 200
    assert response.json_body["service"] == "smartre"
    assert response.json_body["ok"] is True
    assert set(response.json_body["checks"].values()) == {"ok"}


def test_health_says_which_dependency_is_missing(client: Client) -> None:
    from repaircore import clients

    clients.client("dynamodb").delete_table(TableName="smartre-local-labels")

    response = client.http.get("/api/health")

    assert response.status_code == 503
    assert response.json_body["checks"]["labelsTable"].startswith("error")
    assert response.json_body["checks"]["analysesTable"] == "ok"
