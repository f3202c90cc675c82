"""The one local account: region and account id every local tool agrees on.

Real credentials must never reach the emulator's children (Lambda workers, chalice deploy): they
get the stack's own generated credentials (`localaws.credentials`), which are the only ones the
emulator accepts (`localaws.sigv4`). `FAKE_CREDENTIALS` are public: for unit tests on moto's
in-process mock, which talk to no stack; the emulator refuses them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

REGION: Final = "eu-west-1"
ACCOUNT_ID: Final = "123456789012"  # moto's default account
FAKE_CREDENTIALS: Final[dict[str, str]] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def client_environment(
    endpoint_url: str, credentials: Mapping[str, str], region: str = REGION
) -> dict[str, str]:
    """Environment that points boto3/botocore (and the AWS CLI, Chalice) at the emulator;
    `credentials` are the `AWS_ACCESS_KEY_ID`... variables of the stack's credentials."""
    return {
        **credentials,
        # A developer's ~/.aws (profiles, SSO, real credentials) must not shape local calls.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint_url,
    }
