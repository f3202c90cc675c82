"""The cost estimate and the daily spend report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws
from PIL import Image

from infra.cost import __main__ as cost_cli
from infra.cost import chart, estimate, explorer
from infra.cost.prices import PRICES_FILE, Prices

MEMORY = estimate.memory_sizes("prod")


def test_prices_file_says_where_and_when_its_prices_come_from() -> None:
    document = json.loads(PRICES_FILE.read_text())
    about = document["about"]

    assert about["region"].startswith("eu-west-1")
    assert about["prices_as_of"] == "2025-06"
    assert about["file_written"]
    assert "NOT fetched live" in about["how_obtained"]
    for name, section in document.items():
        if name != "about":
            assert section["source"].startswith("https://aws.amazon.com/"), name


def test_every_service_of_the_architecture_is_priced() -> None:
    result = estimate.estimate(10_000, Prices.load(), MEMORY)

    assert set(result.usd_by_service) == {
        "Lambda requests",
        "Lambda compute",
        "API Gateway (REST, 2 APIs)",
        "Step Functions Express",
        "DynamoDB on-demand",
        "S3 (photos, 7-day expiry)",
        "CloudFront",
        "X-Ray",
        "CloudWatch Logs",
    }
    assert all(amount > 0 for amount in result.usd_by_service.values())


def test_lambda_compute_follows_the_configured_memory() -> None:
    prices = Prices.load()
    doubled = {key: mb * 2 for key, mb in MEMORY.items()}

    base = estimate.estimate(100_000, prices, MEMORY).usd_by_service["Lambda compute"]
    bigger = estimate.estimate(100_000, prices, doubled).usd_by_service["Lambda compute"]

    assert bigger == pytest.approx(2 * base)


def test_express_bills_whole_100_ms_steps_of_64_mb() -> None:
    usage = estimate.usage(1_000, MEMORY, estimate.Workload(workflow_billed_ms=650), Prices.load())

    assert usage.workflow_gb_seconds == pytest.approx(1_000 * 0.7 * 64 / 1024)


def test_cost_grows_with_volume_but_not_faster() -> None:
    prices = Prices.load()
    small, large = (estimate.estimate(n, prices, MEMORY) for n in (1_000, 1_000_000))

    assert small.total_usd < large.total_usd <= 1_000 * small.total_usd


def test_x_ray_samples_one_request_a_second_then_five_percent() -> None:
    month = estimate.SECONDS_PER_MONTH

    assert estimate.sampled_traces(1_000) == 1_000
    assert estimate.sampled_traces(month + 1_000) == pytest.approx(month + 50)


def test_estimate_table_has_a_column_per_volume() -> None:
    results = [estimate.estimate(n, Prices.load(), MEMORY) for n in (1_000, 10_000)]

    markdown = estimate.table(results, markdown=True).splitlines()

    assert markdown[0] == "| per month | 1,000 analyses | 10,000 analyses |"
    assert markdown[-3].startswith("| Total (USD) | $")


def cost_page(day: str, groups: dict[str, str]) -> dict[str, Any]:
    return {
        "TimePeriod": {"Start": day, "End": day},
        "Groups": [
            {"Keys": [service], "Metrics": {"UnblendedCost": {"Amount": amount, "Unit": "USD"}}}
            for service, amount in groups.items()
        ],
    }


class PagedCostExplorer:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def get_cost_and_usage(self, **request: Any) -> dict[str, Any]:
        self.requests.append(request)
        if "NextPageToken" not in request:
            page = cost_page("2026-11-01", {"AWS Lambda": "1.5", "Amazon CloudFront": "0.5"})
            return {"ResultsByTime": [page], "NextPageToken": "2"}
        return {"ResultsByTime": [cost_page("2026-11-02", {"AWS Lambda": "2.0"})]}


def test_daily_spend_reads_every_page_of_one_query() -> None:
    client = PagedCostExplorer()

    spend = explorer.fetch_daily_spend(client, days=2, today=date(2026, 11, 3))

    assert client.requests[0]["TimePeriod"] == {"Start": "2026-11-01", "End": "2026-11-03"}
    assert spend.days == [date(2026, 11, 1), date(2026, 11, 2)]
    assert spend.by_service == {"AWS Lambda": [1.5, 2.0], "Amazon CloudFront": [0.5, 0.0]}
    assert spend.day_totals() == [2.0, 2.0]


def test_spend_table_keeps_the_costliest_services_and_sums_the_rest() -> None:
    spend = explorer.DailySpend(
        days=[date(2026, 11, 1)],
        by_service={
            "AWS Lambda": [3.0],
            "AWS X-Ray": [1.0],
            "Amazon Simple Storage Service": [2.0],
        },
    )

    lines = explorer.spend_table(spend, top=2).splitlines()

    assert lines[0].split() == ["day", "Lambda", "S3", "Other", "services", "total"]
    assert lines[-1].split()[-1] == "6.00"


def test_chart_is_a_png(tmp_path: Path) -> None:
    spend = explorer.DailySpend(
        days=[date(2026, 11, 1), date(2026, 11, 2)],
        by_service={"AWS Lambda": [1.0, 2.5], "Amazon CloudFront": [0.2, 0.0]},
    )

    path = chart.render(spend, tmp_path / "spend.png", "Daily spend")

    with Image.open(path) as image:
        assert (image.format, image.size) == ("PNG", (chart.WIDTH, chart.HEIGHT))


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        yield


def test_report_prints_the_table_the_chart_and_the_month_against_the_budget(
    aws: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given Cost Explorer data (moto's results queue) and the stage's budget
    day = date.today().replace(day=1).isoformat()
    results = {"results": [{"ResultsByTime": [cost_page(day, {"AWS Lambda": "1.25"})]}]}
    requests.post(
        "http://motoapi.amazonaws.com/moto-api/static/ce/cost-and-usage-results",
        json=results,
        timeout=5,
    )
    boto3.client("budgets", region_name="us-east-1").create_budget(
        AccountId="123456789012",
        Budget={
            "BudgetName": "repairapp-dev-monthly",
            "BudgetLimit": {"Amount": "50", "Unit": "EUR"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
        },
    )

    # When the report runs
    code = cost_cli.main(["report", "--days", "3", "--chart", str(tmp_path / "c.png")])

    # Then it shows the day, writes the chart and compares with the budget
    out = capsys.readouterr().out
    assert code == 0
    assert "1.25" in out
    assert (tmp_path / "c.png").exists()
    assert "of the 50.00 EUR budget" in out
