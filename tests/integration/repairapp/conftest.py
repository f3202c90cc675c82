"""RepairApp on the local stack: through the CloudFront emulator, as the browser calls it.

RepairApp runs under ``chalice local`` and calls the real SmartRe (its workflow on the embedded
AWS) over HTTP; staff sign in as the demo accounts ``make run`` creates.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

import pytest

from localaws.stack import LocalStack
from tests.conftest import laptop_photo
from tests.support.http import Reply, call, upload

_keys = itertools.count()


class RepairApp:
    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        self.base = stack.site_url  # the CloudFront emulator adds X-Origin-Verify

    def get(self, path: str, **headers: str) -> Reply:
        return call("GET", self.base + path, None, headers)

    def post(self, path: str, body: Any, **headers: str) -> Reply:
        return call("POST", self.base + path, body, headers)

    def patch(self, path: str, body: Any, **headers: str) -> Reply:
        return call("PATCH", self.base + path, body, headers)

    def key(self) -> str:
        return f"it-{next(_keys):04d}-{secrets.token_hex(8)}"

    def upload_photo(self, data: bytes) -> str:
        ticket = self.post("/api/uploads", {"contentType": "image/jpeg"})
        assert ticket.status == 201, ticket.data
        stored = upload(ticket.json, data)
        assert stored.status in (200, 204), stored.data
        return str(ticket.json["imageId"])

    def triage(self, body: dict[str, Any]) -> Reply:
        return self.post("/api/triage", body, **{"Idempotency-Key": self.key()})

    def submit(self, analysis_id: str, **overrides: Any) -> Reply:
        body = {
            "analysisId": analysis_id,
            "contact": {"name": "Jonas Peeters", "email": "jonas.peeters@example.be"},
            "postcode": "3000",
            "consent": True,
            **overrides,
        }
        return self.post("/api/repairs", body, **{"Idempotency-Key": self.key()})

    def sign_in(self, role: str) -> dict[str, str]:
        creds = self.stack.demo_staff[role]
        session = self.post(
            "/api/staff/sessions", {"username": creds["username"], "password": creds["password"]}
        )
        assert session.status == 201, session.data
        return {"Authorization": f"Bearer {session.json['idToken']}"}


@pytest.fixture(scope="session")
def repairapp(stack: LocalStack) -> RepairApp:
    return RepairApp(stack)


@pytest.fixture(scope="session")
def laptop_jpeg() -> bytes:
    return laptop_photo().read_bytes()
