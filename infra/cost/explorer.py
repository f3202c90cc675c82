"""Daily spend by service from Cost Explorer: the console's "Daily Spend View", as data.

One ``GetCostAndUsage`` request (DAILY, unblended cost, grouped by SERVICE) covers the last N
complete days; Cost Explorer bills each request (0.01 USD), so the report makes one, paginated.
Today is left out: its numbers are partial until the day is over. With a stage, only resources
tagged ``stage=<stage>`` count (the cost allocation tag must be activated once, docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from infra.cost.tables import text_table

METRIC = "UnblendedCost"
OTHER = "Other services"


def daily_cost_request(
    days: int, today: date | None = None, stage: str | None = None
) -> dict[str, Any]:
    end = today or date.today()
    request: dict[str, Any] = {
        "TimePeriod": {"Start": (end - timedelta(days=days)).isoformat(), "End": end.isoformat()},
        "Granularity": "DAILY",
        "Metrics": [METRIC],
        "GroupBy": [{"Type": "DIMENSION", "Key": "SERVICE"}],
    }
    if stage:
        request["Filter"] = {
            "Tags": {"Key": "stage", "Values": [stage], "MatchOptions": ["EQUALS"]}
        }
    return request


@dataclass
class DailySpend:
    days: list[date]
    unit: str = "USD"
    by_service: dict[str, list[float]] = field(default_factory=dict)

    def day_totals(self) -> list[float]:
        return [
            sum(amounts[i] for amounts in self.by_service.values()) for i in range(len(self.days))
        ]

    def total(self) -> float:
        return sum(self.day_totals())

    def top(self, count: int) -> dict[str, list[float]]:
        """The ``count`` costliest services, the rest summed as one."""
        ranked = sorted(self.by_service, key=lambda s: -sum(self.by_service[s]))
        kept = {s: self.by_service[s] for s in ranked[:count]}
        rest = ranked[count:]
        if rest:
            kept[OTHER] = [sum(self.by_service[s][i] for s in rest) for i in range(len(self.days))]
        return kept


def parse(results: list[dict[str, Any]]) -> DailySpend:
    days = [date.fromisoformat(r["TimePeriod"]["Start"]) for r in results]
    spend = DailySpend(days=days)
    for index, result in enumerate(results):
        for group in result.get("Groups", []):
            service = group["Keys"][0]
            metric = group["Metrics"][METRIC]
            spend.unit = metric.get("Unit", spend.unit)
            amounts = spend.by_service.setdefault(service, [0.0] * len(days))
            amounts[index] += float(metric["Amount"])
    return spend


def fetch_daily_spend(
    cost_explorer: Any, days: int, today: date | None = None, stage: str | None = None
) -> DailySpend:
    request = daily_cost_request(days, today, stage)
    results: list[dict[str, Any]] = []
    while True:
        response = cost_explorer.get_cost_and_usage(**request)
        results += response.get("ResultsByTime", [])
        token = response.get("NextPageToken")
        if not token:
            return parse(results)
        request["NextPageToken"] = token


def short_name(service: str) -> str:
    """Cost Explorer's service names, short enough for a column header."""
    for prefix in ("Amazon ", "AWS "):
        service = service.removeprefix(prefix)
    return {"Simple Storage Service": "S3", "AmazonCloudWatch": "CloudWatch"}.get(service, service)[
        :22
    ]


def spend_table(spend: DailySpend, top: int = 5) -> str:
    """One row per day: the costliest services, the rest, and the day's total."""
    columns = spend.top(top)
    headers = ["day", *(short_name(s) for s in columns), "total"]
    totals = spend.day_totals()
    rows = [
        [day.isoformat(), *(f"{columns[s][i]:.2f}" for s in columns), f"{totals[i]:.2f}"]
        for i, day in enumerate(spend.days)
    ]
    rows.append(
        [
            f"total ({spend.unit})",
            *(f"{sum(columns[s]):.2f}" for s in columns),
            f"{spend.total():.2f}",
        ]
    )
    return text_table([headers, *rows])
