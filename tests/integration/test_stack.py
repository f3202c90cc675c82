"""`make run`'s stack: both health routes answer directly and through the CloudFront emulator,
deep links load the SPA, and API errors keep their status."""

from __future__ import annotations

import pytest

from localaws.stack import LocalStack
from tests.support.http import call


def test_both_health_routes_answer_directly_and_repairapp_through_the_site(
    stack: LocalStack,
) -> None:
    for url in (stack.smartre_url, stack.repairapp_url, stack.site_url):
        reply = call("GET", f"{url}/api/health")
        assert reply.status == 200, (url, reply.data)
        assert reply.json["ok"] is True


def test_a_deep_link_loads_the_single_page_app(stack: LocalStack) -> None:
    reply = call("GET", f"{stack.site_url}/repairs/rp_unknown?token=an-old-link")

    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.headers["cache-control"] == "no-cache"


def test_api_errors_are_not_rewritten_to_the_app(stack: LocalStack) -> None:
    reply = call("GET", f"{stack.site_url}/api/analyses/an_{'x' * 22}")

    assert reply.status == 404
    assert reply.headers["content-type"].startswith("application/json")
    assert "Code" in reply.json


@pytest.mark.parametrize(
    ("method", "path", "credential"),
    [
        ("GET", "/api/nope", None),
        ("GET", "/api", None),
        ("GET", "/api/", None),
        ("POST", "/api/nope/deeper", "Bearer not-a-token"),
    ],
)
def test_an_unknown_api_path_is_a_json_404_no_such_route_through_the_site(
    stack: LocalStack, method: str, path: str, credential: str | None
) -> None:
    # API Gateway's MISSING_AUTHENTICATION_TOKEN, as deploy.sh sets it; never the SPA page.
    headers = {"Authorization": credential} if credential else {}

    reply = call(method, f"{stack.site_url}{path}", body={}, headers=headers)

    assert reply.status == 404, reply.data[:200]
    assert reply.headers["content-type"].startswith("application/json")
    assert reply.json == {"Code": "NoSuchRoute", "Message": "No such route."}


def test_both_apis_answer_an_unknown_path_with_404_no_such_route(stack: LocalStack) -> None:
    # Directly, as API Gateway answers before any code (the origin guard included) runs.
    for url in (stack.smartre_url, stack.repairapp_url):
        reply = call("GET", f"{url}/api/nope")

        assert (reply.status, reply.json["Code"]) == (404, "NoSuchRoute"), url


def test_a_missing_asset_is_a_404_not_the_app(stack: LocalStack) -> None:
    assert call("GET", f"{stack.site_url}/assets/does-not-exist.js").status == 404


def test_repairapp_refuses_direct_calls_that_bypass_the_cdn(stack: LocalStack) -> None:
    reply = call("GET", f"{stack.repairapp_url}/api/vocabulary")

    assert reply.status == 403
    assert reply.json["Code"] == "DirectAccessForbidden"


def test_the_stacks_aws_credentials_are_its_own_and_only_its_owner_reads_them(
    stack: LocalStack,
) -> None:
    assert stack.emulator is not None
    credentials_file = stack.emulator.credentials_file
    assert credentials_file.stat().st_mode & 0o777 == 0o600
    assert stack.emulator.credentials.access_key_id != "testing"
    # A developer's shell gets them from the env file, which names the file and holds no secret.
    env_file = (stack.emulator.state_dir / "env").read_text()
    assert f"AWS_SHARED_CREDENTIALS_FILE={credentials_file.resolve()}" in env_file
    assert stack.emulator.credentials.secret_access_key not in env_file


def test_no_secret_is_on_any_command_line_of_the_stack(stack: LocalStack) -> None:
    # `ps` shows every process's command line to every user of the machine: read them all.
    from pathlib import Path

    import pytest

    if not Path("/proc/self/cmdline").exists():
        pytest.skip("needs /proc (Linux)")
    assert stack.emulator is not None
    aws = stack.emulator.credentials
    secrets = [stack.origin_secret.encode(), stack.service_key.encode(),
               aws.secret_access_key.encode(), aws.session_token.encode()]  # fmt: skip
    assert all(secrets)
    seen = 0
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command_line = entry.read_bytes()
        except OSError:
            continue  # gone, or not ours to read
        seen += 1
        for secret in secrets:
            assert secret not in command_line, command_line.replace(b"\0", b" ")[:200]
    assert seen > len(stack.children)
