"""``python -m infra {apply,workflow,destroy,configure} --stage STAGE``: provisioning CLI.

Prints one line per resource with what happened to it (created / updated / unchanged / deleted).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from infra import app_config
from infra.definition import DEFAULT_REGION, LOCAL_ACCOUNT, LOCAL_STAGE, STAGES, stage
from infra.provision import Report
from infra.stack import Clients, apply_foundation, apply_workflow, destroy


def _print(report: Report) -> None:
    for resource, action in report.actions:
        print(f"  {action:<10} {resource}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra", description=__doc__)
    parser.add_argument("command", choices=["apply", "workflow", "destroy", "configure"])
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument(
        "--site-origin", action="append", default=[], help="CORS origin for uploads"
    )
    parser.add_argument("--deployed", type=Path, help="Chalice deployed/<stage>.json of smartre")
    parser.add_argument("--smartre-url", help="SmartRe API base URL for RepairApp's config")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    clients = Clients.for_region(args.region)
    account = LOCAL_ACCOUNT if args.stage == LOCAL_STAGE else clients.account_id()
    spec = stage(args.stage, account, args.region, tuple(args.site_origin))
    if args.command == "apply":
        _print(apply_foundation(clients, spec))
    elif args.command == "workflow":
        deployed = (
            args.deployed or app_config.REPO_ROOT / f"smartre/.chalice/deployed/{args.stage}.json"
        )
        _print(apply_workflow(clients, spec, deployed))
    elif args.command == "destroy":
        _print(destroy(clients, spec))
    else:
        for app in app_config.APPS:
            env = app_config.environment(app, spec, smartre_url=args.smartre_url)
            changed = app_config.write_stage_environment(app, args.stage, env)
            action = "updated" if changed else "unchanged"
            print(f"  {action:<10} {app}/.chalice/config.json [{args.stage}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
