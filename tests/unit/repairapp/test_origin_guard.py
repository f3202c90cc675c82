"""Direct calls (without CloudFront's origin header) are refused on every route but health."""

from __future__ import annotations

import pytest
from chalice.test import Client

from tests.support.apps import use_app

use_app("repairapp")
from chalicelib.routes import ROUTES  # noqa: E402 - the app's package is on the path only now

GUARDED = [(path, method) for path, method, _ in ROUTES if path != "/api/health"]


def _concrete(path: str) -> str:
    return path.replace("{repairId}", "rp_" + "A" * 22).replace("{analysisId}", "an_" + "A" * 22)


@pytest.mark.parametrize(("path", "method"), GUARDED, ids=[f"{m} {p}" for p, m in GUARDED])
@pytest.mark.parametrize("secret", [None, "wrong-secret"], ids=["no-header", "wrong-header"])
def test_a_direct_call_is_refused(
    client: Client, repairer: dict[str, str], path: str, method: str, secret: str | None
) -> None:
    headers = {k: v for k, v in repairer.items() if k != "X-Origin-Verify"}
    if secret:
        headers["X-Origin-Verify"] = secret

    response = client.http.request(method, _concrete(path), headers=headers, body=b"{}")

    assert response.status_code == 403
    assert response.json_body["Code"] == "DirectAccessForbidden"


def test_health_answers_without_the_origin_header(client: Client) -> None:
    assert client.http.get("/api/health").status_code == 200
