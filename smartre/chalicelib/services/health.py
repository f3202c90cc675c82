"""Can SmartRe reach what it needs? (tables, the photo bucket, its configuration)."""

from __future__ import annotations

from chalicelib import resources
from chalicelib.config import settings
from repaircore import clients
from repaircore.health import bucket_check, run_checks, table_check


def check_dependencies() -> dict[str, str]:
    config = settings()
    dynamodb, s3 = clients.client("dynamodb"), clients.client("s3")
    return run_checks(
        {
            "analysesTable": table_check(dynamodb, config.analyses_table),
            "productsTable": table_check(dynamodb, config.products_table),
            "labelsTable": table_check(dynamodb, config.labels_table),
            "photosBucket": bucket_check(s3, config.photos_bucket),
            "analysisWorkflow": lambda: clients.client("stepfunctions").describe_state_machine(
                stateMachineArn=config.state_machine_arn
            ),
            "configuration": lambda: resources.parameters().get("smartre-service-key"),
        }
    )
