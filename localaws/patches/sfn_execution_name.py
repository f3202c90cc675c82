"""Give StartExecution a generated name when the caller sends none, as AWS does.

moto behaviour covered: `StepFunctionsParserBackend.start_execution(state_machine_arn, name=None,
...)` formats the execution ARN with the literal name, so an unnamed execution gets an ARN ending
in `:None` and every unnamed execution of a machine collides on it. AWS names it with a UUID.
"""

from __future__ import annotations

import functools
import uuid
from typing import Any

from moto.stepfunctions.parser.models import StepFunctionsParserBackend

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    start_execution = original(StepFunctionsParserBackend, "start_execution")

    @functools.wraps(start_execution)
    def named_start_execution(
        self: StepFunctionsParserBackend,
        state_machine_arn: str,
        name: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        return start_execution(self, state_machine_arn, name or str(uuid.uuid4()), *args, **kwargs)

    replace_attribute(StepFunctionsParserBackend, "start_execution", named_start_execution)
