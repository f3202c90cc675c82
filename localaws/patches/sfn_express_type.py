"""Keep a state machine's type (STANDARD or EXPRESS) when moto runs its executions.

moto behaviour covered: `moto.stepfunctions.models.StateMachineInstance.__init__` stores the
requested type in `.type` (so DescribeStateMachine reports EXPRESS correctly) but hard-codes
`.sm_type = "STANDARD"`, which is what the ASL interpreter's executions read. We set `sm_type`
from `type` after the original constructor, so an EXPRESS machine runs as an Express workflow and
StartSyncExecution can tell the two apart.
"""

from __future__ import annotations

import functools
from typing import Any

from moto.stepfunctions.models import StateMachineInstance

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    init = original(StateMachineInstance, "__init__")
    replace_attribute(StateMachineInstance, "__init__", _patched_init(init))


def _patched_init(init: Any) -> Any:
    @functools.wraps(init)
    def init_keeping_type(self: StateMachineInstance, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.sm_type = self.type

    return init_keeping_type
