"""Reuse the Step Functions interpreter's boto3 clients instead of building one per task.

moto behaviour covered: `moto.stepfunctions.parser.asl.utils.boto_client.boto_client_for` (which
the interpreter's task modules import by name) creates a new boto3 client from the default
session for every Lambda/SDK task. That costs milliseconds per task and, worse, happens
concurrently in Parallel branches: botocore sessions are not thread-safe, so simultaneous client
creation can fail sporadically. We build each (service, region, endpoint) client once, under a
lock; boto3 clients themselves are thread-safe. The original signs with the fixed keys
``ak``/``sk``, which the emulator refuses (``localaws.sigv4``): over HTTP our clients sign with
the emulator's own credentials (the stack's, in its environment) and otherwise keep the
original's endpoint and configuration.
"""

from __future__ import annotations

import functools
import sys
import threading
from typing import Any

import boto3
from moto.core.models import botocore_stubber
from moto.settings import moto_server_port
from moto.stepfunctions.parser.asl.utils import boto_client

from localaws.credentials import StackCredentials
from localaws.patches._patching import original, replace_attribute

_clients: dict[tuple[str, str, str], Any] = {}
_lock = threading.Lock()


def apply() -> None:
    create = original(boto_client, "boto_client_for")

    @functools.wraps(create)
    def cached_boto_client_for(region: str, service: str, state_credentials: Any = None) -> Any:
        # The original ignores state_credentials (fixed fake keys), so it is not part of the key.
        endpoint = "in-process" if botocore_stubber.enabled else moto_server_port()
        key = (service, region, endpoint)
        with _lock:
            if key not in _clients:
                client = create(region, service, state_credentials)
                if not botocore_stubber.enabled:
                    client = boto3.client(
                        service,
                        region_name=region,
                        endpoint_url=client.meta.endpoint_url,
                        config=client.meta.config,
                        **StackCredentials.from_environment().client_kwargs(),
                    )
                _clients[key] = client
            return _clients[key]

    replace_attribute(boto_client, "boto_client_for", cached_boto_client_for)
    # Task modules did `from ...boto_client import boto_client_for`: rebind their copies too.
    for name, module in list(sys.modules.items()):
        if (
            name.startswith("moto.stepfunctions.parser.")
            and getattr(module, "boto_client_for", None) is create
        ):
            replace_attribute(module, "boto_client_for", cached_boto_client_for)
