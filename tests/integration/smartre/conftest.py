"""SmartRe through its real HTTP API on the local stack, with the service key."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

from localaws.stack import LocalStack
from tests.conftest import data_dir
from tests.support.http import Reply, call, put_past_the_policy, refused_for_size, upload

_keys = itertools.count()


class SmartRe:
    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.base = stack.smartre_url
        self.auth = {"Authorization": f"Bearer {stack.service_key}"}

    def post(self, path: str, body: Any, **headers: str) -> Reply:
        return call("POST", self.base + path, body, {**self.auth, **headers})

    def get(self, path: str) -> Reply:
        return call("GET", self.base + path, None, self.auth)

    def analyse(self, body: Any, key: str | None = None) -> Reply:
        return self.post(
            "/api/analyses", body, **{"Idempotency-Key": key or f"it-key-{next(_keys):06d}"}
        )

    def upload_photo(self, data: bytes, content_type: str = "image/jpeg") -> str:
        ticket = self.post("/api/images", {"contentType": content_type})
        assert ticket.status == 201, ticket.data
        stored = upload(ticket.json, data)
        if refused_for_size(stored):
            # Refused at the door by the POST policy, as on S3; SmartRe's own re-check is what
            # the tests exercise, so the object goes in the way a policy-bypassing writer would.
            s3 = self.stack._clients()("s3")
            put_past_the_policy(s3, self.stack.spec.photos_bucket.name, ticket.json, data)
        else:
            assert stored.status in (200, 204), stored.data
        return str(ticket.json["imageId"])

    def stored_analyses(self) -> int:
        ddb = self.stack._clients()("dynamodb")
        return int(ddb.scan(TableName=self.stack.spec.analyses_table.name, Select="COUNT")["Count"])


@pytest.fixture(scope="session")
def smartre(stack: LocalStack) -> SmartRe:
    return SmartRe(stack)


@pytest.fixture(scope="session")
def photos() -> Path:
    return data_dir() / "caltech101_repair_subset" / "101_ObjectCategories"
