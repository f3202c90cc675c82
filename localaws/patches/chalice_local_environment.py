"""A running stack's own endpoint wins over the ``local`` stage's committed developer defaults.

The ``local`` stage of each app's ``.chalice/config.json`` names the emulator on its default port,
a region, test credentials and (RepairApp) an open origin guard
(``infra.app_config.LOCAL_STACK_OWNED``), so a developer's bare ``chalice local --stage local``
reaches ``make aws`` with no setup. ``make run`` and the tests run the emulator and SmartRe on
other ports and keep production's origin guard; they must not be overridden by those defaults.

chalice behaviour covered:
- ``chalice.cli.factory.CLIFactory.load_chalice_app`` writes the stage's ``environment_variables``
  over the process environment (``chalice local``): for the stack-owned variables the process's
  value is kept (``apply``).
- ``chalice.test.BaseClient._patched_env_vars`` does the same for in-process tests, which run on
  moto's in-process mock and need no endpoint: the stack-owned variables are left out
  (``apply_to_test_client``).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

import chalice.test
from chalice.cli.factory import CLIFactory

from infra.app_config import LOCAL_STACK_OWNED
from localaws.patches._patching import original, replace_attribute


def _load_chalice_app(
    self: Any, environment_variables: MutableMapping[str, str] | None = None, *args: Any, **kw: Any
) -> Any:
    if environment_variables is not None:
        environment_variables = {
            name: value
            for name, value in environment_variables.items()
            if not (name in LOCAL_STACK_OWNED and os.environ.get(name))
        }
    return original(CLIFactory, "load_chalice_app")(self, environment_variables, *args, **kw)


def without_stack_owned(environment: Mapping[str, str]) -> dict[str, str]:
    return {k: v for k, v in environment.items() if k not in LOCAL_STACK_OWNED}


def apply() -> None:
    replace_attribute(CLIFactory, "load_chalice_app", _load_chalice_app)


def apply_to_test_client() -> None:
    patched_env_vars = original(chalice.test.BaseClient, "_patched_env_vars")

    @contextmanager
    def _patched_env_vars(self: Any, environment_variables: Mapping[str, str]) -> Iterator[None]:
        with patched_env_vars(self, without_stack_owned(environment_variables)):
            yield

    replace_attribute(chalice.test.BaseClient, "_patched_env_vars", _patched_env_vars)
