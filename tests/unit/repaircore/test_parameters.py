"""Runtime parameters: one read per TTL, clear errors for missing ones."""

from __future__ import annotations

from typing import Any

import pytest

from repaircore import clients
from repaircore.errors import ConfigurationError
from repaircore.parameters import ParameterStore


@pytest.fixture
def ssm(aws: None) -> Any:
    client = clients.client("ssm")
    client.put_parameter(Name="/app/dev/secret", Value="s3cr3t", Type="SecureString")
    client.put_parameter(Name="/app/dev/pool-id", Value="eu-west-1_abc", Type="String")
    client.put_parameter(Name="/app/prod/secret", Value="other", Type="SecureString")
    return client


def test_reads_decrypted_values_under_the_stage_path_only(ssm: Any) -> None:
    store = ParameterStore(ssm, "/app/dev/")

    assert store.get("secret") == "s3cr3t"
    assert store.get("pool-id") == "eu-west-1_abc"
    with pytest.raises(ConfigurationError):
        store.get("../prod/secret")


def test_values_are_cached_until_the_ttl_passes(ssm: Any) -> None:
    now = [0.0]
    store = ParameterStore(ssm, "/app/dev/", ttl_seconds=60, clock=lambda: now[0])
    assert store.get("secret") == "s3cr3t"
    ssm.put_parameter(Name="/app/dev/secret", Value="rotated", Type="SecureString", Overwrite=True)

    cached = store.get("secret")
    now[0] = 61.0
    refreshed = store.get("secret")

    assert (cached, refreshed) == ("s3cr3t", "rotated")


def test_a_missing_parameter_names_itself(ssm: Any) -> None:
    with pytest.raises(ConfigurationError, match="/app/dev/nope"):
        ParameterStore(ssm, "/app/dev/").get("nope")
