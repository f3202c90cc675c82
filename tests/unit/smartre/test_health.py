"""GET /api/health: public, reports each dependency."""

from __future__ import annotations

from typing import Any

import pytest
from chalice.test import Client


@pytest.fixture
def state_machine(aws: dict[str, Any]) -> None:
    # The real one needs deployed Lambdas (integration tests); health only asks that it exists.
    from repaircore import clients

    clients.client("stepfunctions").create_state_machine(
        name=aws["stage"].state_machine_name,
        definition='{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}',
        roleArn="arn:aws:iam::123456789012:role/workflow",
        type="EXPRESS",
    )


def test_health_is_public_and_reports_reachable_dependencies(
    client: Client, state_machine: None
) -> None:
    response = client.http.get("/api/health")

    assert response.status_code == 200
    assert response.json_body["service"] == "smartre"
    assert response.json_body["ok"] is True
    assert set(response.json_body["checks"].values()) == {"ok"}


def test_health_says_which_dependency_is_missing(client: Client, state_machine: None) -> None:
    from repaircore import clients

    clients.client("dynamodb").delete_table(TableName="smartre-local-labels")

    response = client.http.get("/api/health")

    assert response.status_code == 503
    assert response.json_body["checks"]["labelsTable"].startswith("error")
    assert response.json_body["checks"]["analysesTable"] == "ok"
