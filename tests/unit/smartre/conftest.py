"""SmartRe unit tests: the app in-process on moto, via chalice.test.Client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

from tests.support.apps import provisioned_aws, use_app

APP_DIR = use_app("smartre")


@pytest.fixture
def aws() -> Iterator[dict[str, Any]]:
    from chalicelib import resources

    with provisioned_aws(APP_DIR) as provisioned:
        resources.reset()
        yield provisioned
    resources.reset()


@pytest.fixture
def service_key(aws: dict[str, Any]) -> str:
    from chalicelib import resources

    return resources.parameters().get("smartre-service-key")


@pytest.fixture
def client(aws: dict[str, Any]) -> Iterator[Client]:
    from app import app

    with Client(app, stage_name="local", project_dir=str(APP_DIR)) as test_client:
        yield test_client


@pytest.fixture
def auth(service_key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {service_key}"}
