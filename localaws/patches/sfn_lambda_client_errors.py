"""Name Lambda API failures in Lambda tasks `Lambda.<ErrorCode>`, as Step Functions does.

moto behaviour covered: `StateTaskLambda._from_error` (tasks whose `Resource` is a function ARN)
turns a `ClientError` from the Lambda API itself (throttling, missing function, service error)
into the error name "Exception". AWS names these `Lambda.TooManyRequestsException`,
`Lambda.ServiceException`, ... (moto's `arn:aws:states:::lambda:invoke` integration already
does), and that name is what a workflow's `Retry` matches on. Errors raised *by the function*
(`errorType` in the payload) are not ClientErrors and keep moto's handling.
"""

from __future__ import annotations

import functools
from typing import Any, cast

from botocore.exceptions import ClientError
from moto.stepfunctions.parser.api import HistoryEventType, LambdaFunctionFailedEventDetails
from moto.stepfunctions.parser.asl.component.common.error_name.custom_error_name import (
    CustomErrorName,
)
from moto.stepfunctions.parser.asl.component.common.error_name.failure_event import FailureEvent
from moto.stepfunctions.parser.asl.component.state.exec.state_task.state_task_lambda import (
    StateTaskLambda,
)
from moto.stepfunctions.parser.asl.eval.event.event_detail import EventDetails

from localaws.patches._patching import original, replace_attribute


def apply() -> None:
    from_error = original(StateTaskLambda, "_from_error")

    @functools.wraps(from_error)
    def from_error_naming_lambda_codes(self: StateTaskLambda, env: Any, ex: Exception) -> Any:
        if not isinstance(ex, ClientError):
            return from_error(self, env, ex)
        error = f"Lambda.{ex.response['Error']['Code']}"
        cause = str(ex.response["Error"].get("Message", ""))
        return FailureEvent(
            env=env,
            error_name=CustomErrorName(error),
            event_type=HistoryEventType.LambdaFunctionFailed,
            # moto's EventDetails TypedDict lists every event kind as required; one is meant.
            event_details=cast(
                EventDetails,
                {
                    "lambdaFunctionFailedEventDetails": LambdaFunctionFailedEventDetails(
                        error=error, cause=cause
                    )
                },
            ),
        )

    replace_attribute(StateTaskLambda, "_from_error", from_error_naming_lambda_codes)
