"""A process without AWS region or credentials answers a clear 503, never an anonymous 500."""

from __future__ import annotations

import pytest
from botocore.exceptions import NoCredentialsError, NoRegionError

from repaircore.http import handles_errors


@pytest.mark.parametrize("missing", [NoRegionError(), NoCredentialsError()])
def test_missing_aws_configuration_is_a_503_that_says_what_to_set(missing: Exception) -> None:
    def view() -> None:
        raise missing

    response = handles_errors(view)()

    assert response.status_code == 503
    assert response.body["Code"] == "AwsNotConfigured"
    assert "AWS_REGION" in response.body["Message"]
    assert "docs/develop.md" in response.body["Message"]
