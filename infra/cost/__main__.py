"""``python -m infra.cost report|estimate``: what the stage costs, measured and estimated.

report    daily spend by service for the last N days (Cost Explorer) as a table and a PNG,
          and the month to date against the stage's budget (needs AWS credentials)
estimate  monthly cost of N analyses from the architecture and infra/prices.json (offline)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from infra.app_config import REPO_ROOT
from infra.budget import month_to_date
from infra.cost import chart, estimate, explorer
from infra.cost.prices import Prices
from infra.definition import DEFAULT_REGION, STAGES, stage
from infra.stack import Clients

DEFAULT_VOLUMES = (1_000, 10_000, 1_000_000)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m infra.cost",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="daily spend from Cost Explorer")
    report.add_argument("--days", type=int, default=14)
    report.add_argument("--stage", choices=STAGES, default="dev", help="whose spend and budget")
    report.add_argument("--region", default=os.environ.get("AWS_REGION") or DEFAULT_REGION)
    report.add_argument(
        "--chart", type=Path, default=REPO_ROOT / "build" / "cost" / "daily-spend.png"
    )
    report.add_argument("--top", type=int, default=5, help="services shown before 'other'")
    guess = commands.add_parser("estimate", help="monthly cost for N analyses")
    guess.add_argument("--analyses", type=int, nargs="+", default=list(DEFAULT_VOLUMES))
    guess.add_argument("--stage", choices=STAGES, default="prod", help="whose memory sizes")
    guess.add_argument("--markdown", action="store_true", help="a table for README.md")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "estimate":
        return _estimate(args)
    return _report(args)


def _estimate(args: argparse.Namespace) -> int:
    prices = Prices.load()
    memory = estimate.memory_sizes(args.stage)
    results = [estimate.estimate(n, prices, memory) for n in args.analyses]
    print(estimate.table(results, markdown=args.markdown))
    about = prices.about
    print(
        f"\nList prices for {about['region']} ({about['currency']}) as of "
        f"{about['prices_as_of']}, without free tiers, from infra/prices.json "
        f"(not fetched live: check them). EUR at an assumed {prices.eur_per_usd} per USD."
    )
    return 0


def _report(args: argparse.Namespace) -> int:
    clients = Clients.for_region(args.region)
    spend = explorer.fetch_daily_spend(clients("ce"), args.days, stage=args.stage)
    if not spend.days:
        print("Cost Explorer returned no days (is Cost Explorer enabled for this account?)")
        return 1
    print(
        f"Daily spend by service of stage {args.stage} (resources tagged stage={args.stage}), "
        f"last {args.days} complete days ({spend.unit}):\n"
    )
    print(explorer.spend_table(spend, top=args.top))
    period = f"{spend.days[0]} to {spend.days[-1]}"
    title = f"Daily spend by service, stage {args.stage}, {period} ({spend.unit})"
    print(f"\nchart: {chart.render(spend, args.chart, title, top=args.top)}")

    spec = stage(args.stage, clients.account_id(), args.region)
    budget = month_to_date(clients("budgets"), spec)
    if budget is None:
        print(f"\nNo budget {spec.budget_name}: deploy the stage to create it.")
        return 0
    limit, actual, forecast = budget["limit"], budget["actual"], budget["forecast"]
    used = float(actual["Amount"]) / float(limit["Amount"]) * 100 if actual else 0.0
    print(
        f"\nMonth to date: {float(actual['Amount']):.2f} {actual['Unit']} of the "
        f"{float(limit['Amount']):.2f} {limit['Unit']} budget ({used:.0f} %)"
        + (f"; forecast {float(forecast['Amount']):.2f} {forecast['Unit']}" if forecast else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
