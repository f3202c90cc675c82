"""The reliability tier: the whole ``make run`` stack, once per session, on free ports.

Every test here talks to the real HTTP APIs (RepairApp through the CloudFront emulator or
directly with the origin header, SmartRe with the service key) on the embedded AWS, and reads
the tables behind them to compare what clients were told with what was stored.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localaws.stack import LocalStack, StackPorts
from tests.conftest import data_dir
from tests.support.http import Reply, call, upload

_keys = itertools.count()
DESCRIPTION = "The kettle switches itself off after a few seconds and the base smells burnt."


def new_key(prefix: str = "rel") -> str:
    """A fresh Idempotency-Key (8-128 chars of [A-Za-z0-9_-])."""
    return f"{prefix}-{next(_keys):05d}-{secrets.token_hex(6)}"


class RepairApp:
    """RepairApp as the SPA reaches it: through the CloudFront emulator (origin header added)."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.base = stack.site_url

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Reply:
        return call(method, self.base + path, body, headers)

    def get(self, path: str, **headers: str) -> Reply:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any, **headers: str) -> Reply:
        return self.call("POST", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Reply:
        return self.call("PATCH", path, body, **headers)

    def triage(self, body: dict[str, Any], key: str | None = None) -> Reply:
        return self.post("/api/triage", body, **{"Idempotency-Key": key or new_key("tri")})

    def submit(self, analysis_id: str, key: str | None = None, **overrides: Any) -> Reply:
        return self.post(
            "/api/repairs",
            repair_body(analysis_id, **overrides),
            **{"Idempotency-Key": key or new_key("rep")},
        )

    def upload_photo(self, data: bytes, content_type: str = "image/jpeg") -> str:
        ticket = self.post("/api/uploads", {"contentType": content_type})
        assert ticket.status == 201, ticket.data
        stored = upload(ticket.json, data)
        assert stored.status in (200, 204), stored.data
        return str(ticket.json["imageId"])

    def sign_in(self, role: str) -> dict[str, str]:
        creds = self.stack.demo_staff[role]
        session = self.post(
            "/api/staff/sessions", {"username": creds["username"], "password": creds["password"]}
        )
        assert session.status == 201, session.data
        return {"Authorization": f"Bearer {session.json['idToken']}"}


class SmartRe:
    """SmartRe as RepairApp calls it: directly, with the service key."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.base = stack.smartre_url
        self.auth = {"Authorization": f"Bearer {stack.service_key}"}

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Reply:
        return call(method, self.base + path, body, {**self.auth, **headers})

    def analyse(self, body: dict[str, Any], key: str | None = None) -> Reply:
        return self.call(
            "POST", "/api/analyses", body, **{"Idempotency-Key": key or new_key("ana")}
        )


def repair_body(analysis_id: str, **overrides: Any) -> dict[str, Any]:
    return {
        "analysisId": analysis_id,
        "contact": {"name": "An Janssens", "email": "an.janssens@example.be"},
        "postcode": "9000",
        "consent": True,
        **overrides,
    }


class Tables:
    """Read-only views of what the stack stored (scans: test data only, never production)."""

    def __init__(self, stack: LocalStack) -> None:
        assert stack.emulator is not None
        assert stack.spec is not None
        self._ddb = stack.emulator.client("dynamodb")
        self.spec = stack.spec

    def scan(self, table: str) -> list[dict[str, Any]]:
        from boto3.dynamodb.types import TypeDeserializer

        deserializer = TypeDeserializer()
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"TableName": table, "ConsistentRead": True}
        while True:
            page = self._ddb.scan(**params)
            items += [{k: deserializer.deserialize(v) for k, v in i.items()} for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return items
            params["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def analyses(self) -> dict[str, dict[str, Any]]:
        return {i["analysisId"]: i for i in self.scan(self.spec.analyses_table.name)}

    def repairs(self) -> dict[str, dict[str, Any]]:
        return {i["repairId"]: i for i in self.scan(self.spec.repairs_table.name)}

    def smartre_keys(self) -> dict[str, dict[str, Any]]:
        return {i["pk"]: i for i in self.scan(self.spec.smartre_idempotency_table.name)}

    def repairapp_keys(self) -> dict[str, dict[str, Any]]:
        return {i["pk"]: i for i in self.scan(self.spec.repairapp_idempotency_table.name)}

    def labels_counted(self) -> int:
        """The adaptation state's label count (SmartRe's counts item in the labels table)."""
        reply = self._ddb.get_item(
            TableName=self.spec.labels_table.name,
            Key={"analysisId": {"S": "#adaptation"}, "labelId": {"S": "outcome-counts"}},
            ConsistentRead=True,
        )
        return int(reply.get("Item", {}).get("labels", {}).get("N", 0))

    def counters(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for item in self.scan(self.spec.repairapp_stats_table.name):
            for name, value in item.items():
                if name != "statsId":
                    totals[name] = totals.get(name, 0) + int(value)
        return totals


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalStack]:
    state: Path = tmp_path_factory.mktemp("reliability-stack")
    with LocalStack(StackPorts.free(), state_dir=state, quiet=True) as running:
        yield running


@pytest.fixture(scope="session")
def repairapp(stack: LocalStack) -> RepairApp:
    return RepairApp(stack)


@pytest.fixture(scope="session")
def smartre(stack: LocalStack) -> SmartRe:
    return SmartRe(stack)


@pytest.fixture(scope="session")
def tables(stack: LocalStack) -> Tables:
    return Tables(stack)


@pytest.fixture(scope="session")
def photo_dir() -> Path:
    return data_dir() / "caltech101_repair_subset" / "101_ObjectCategories"


@pytest.fixture(scope="session")
def laptop_jpeg(photo_dir: Path) -> bytes:
    return sorted((photo_dir / "laptop").glob("*.jpg"))[0].read_bytes()
