"""The one local account: region, account id and fake credentials every local tool agrees on.

Real credentials must never reach the emulator's children (Lambda workers, chalice deploy), so
they get these instead; moto accepts any signature.
"""

from __future__ import annotations

import os
from typing import Final

REGION: Final = "eu-west-1"
ACCOUNT_ID: Final = "123456789012"  # moto's default account
FAKE_CREDENTIALS: Final[dict[str, str]] = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def client_environment(endpoint_url: str, region: str = REGION) -> dict[str, str]:
    """Environment that points boto3/botocore (and the AWS CLI, Chalice) at the emulator."""
    return {
        **FAKE_CREDENTIALS,
        # A developer's ~/.aws (profiles, SSO, real credentials) must not shape local calls.
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_ENDPOINT_URL": endpoint_url,
    }
