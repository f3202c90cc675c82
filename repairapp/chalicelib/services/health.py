"""Can RepairApp reach what it needs? (its tables, its configuration, SmartRe)."""

from __future__ import annotations

from chalicelib import resources
from chalicelib.config import ORIGIN_SECRET_PARAMETER, settings
from repaircore import clients
from repaircore.health import run_checks, table_check


def check_dependencies() -> dict[str, str]:
    config = settings()
    dynamodb = clients.client("dynamodb")
    return run_checks(
        {
            "repairsTable": table_check(dynamodb, config.repairs_table),
            "idempotencyTable": table_check(dynamodb, config.idempotency_table),
            "statsTable": table_check(dynamodb, config.stats_table),
            "configuration": lambda: resources.parameters().get(ORIGIN_SECRET_PARAMETER),
            "smartre": resources.smartre().check_health,
        }
    )
