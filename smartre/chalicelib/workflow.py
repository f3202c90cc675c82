"""The analysis state machine, run synchronously (Express ``StartSyncExecution``).

``StartSyncExecution`` answers HTTP 200 even when the execution failed; the status field says
so. This adapter turns every non-success into a domain error and never returns half an answer.
It also puts the request's correlation id in the execution input (``correlationId``), which the
ASL passes to every Lambda task, so the tasks' log and metric lines carry it too.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from chalicelib.errors import PHOTO_ERRORS, workflow_failure
from chalicelib.observability import record_workflow_failure
from repaircore.correlation import current_correlation_id
from repaircore.errors import ServiceUnavailable

logger = logging.getLogger(__name__)


class AnalysisWorkflow:
    def __init__(self, client: Any, state_machine_arn: str) -> None:
        self._client = client
        self._arn = state_machine_arn

    def run(self, analysis_id: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        """Run one analysis; return the workflow's output or raise the matching domain error."""
        # Execution names must be unique; a retried claim reuses the analysis id, so add a suffix.
        name = f"{analysis_id}-{secrets.token_hex(3)}"
        # The ASL reads $.correlationId for every task: always present, the analysis id at worst.
        execution_input = {**payload, "correlationId": current_correlation_id() or analysis_id}
        try:
            response = self._client.start_sync_execution(
                stateMachineArn=self._arn, name=name, input=json.dumps(execution_input)
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            logger.warning("start_sync_execution %s for %s", code, analysis_id)
            raise ServiceUnavailable(
                "the analysis service is busy; try again shortly", code="AnalysisUnavailable"
            ) from exc
        except BotoCoreError as exc:
            logger.warning(
                "start_sync_execution failed for %s: %s", analysis_id, type(exc).__name__
            )
            raise ServiceUnavailable(
                "the analysis service is unreachable; try again shortly",
                code="AnalysisUnavailable",
            ) from exc
        status = response.get("status")
        if status != "SUCCEEDED":
            logger.info("analysis %s ended %s (%s)", analysis_id, status, response.get("error"))
            if response.get("error") not in PHOTO_ERRORS:  # a rejected photo is an answer (4xx)
                record_workflow_failure(analysis_id, status, response.get("error"))
            raise workflow_failure(response.get("error"), response.get("cause"))
        output: dict[str, Any] = json.loads(response["output"])
        return output
