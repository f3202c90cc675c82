"""``python -m infra COMMAND --stage STAGE``: provisioning CLI, and the steps of ``deploy.sh``.

Prints one line per resource with what happened to it (created / updated / unchanged / deleted /
absent). Commands, in deploy order:
  identity   print the account, caller and region the other commands will use
  policies   write each app's least-privilege IAM policy file (.chalice/policy-<stage>.json)
  package    chalice package both apps and refuse what must not be uploaded
  apply      buckets, tables, secrets, user pool (what `make run` provisions locally)
  stack      `apply` plus the alerts topic and the budget
  configure  write each app's stage environment into its .chalice/config.json
  url        print an app's deployed API URL
  api        throttling, gateway responses, tracing; verify memory and tracing
  workflow   the analysis state machine wired to the deployed Lambdas
  monitoring log retention (30 days), alarms to the alerts topic, the stage's dashboard
  site       publish the built SPA (invalidates the CDN when it changed)
  cdn        CloudFront, its function and access control, bucket policy, photo CORS
and for ``deploy.sh --delete``: delete-cdn, delete-logs, destroy, delete-alerts (alarms,
dashboard, budget, topic).
Set INFRA_REQUEST_LOG=FILE to append every change requested from AWS to FILE (JSON lines).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from infra import app_config, deployment, packaging, photo_bucket, policies, request_log
from infra.budget import BudgetCurrencyError
from infra.chalice_project import ProjectError, check_ml_memory, load_config, load_deployed
from infra.definition import DEFAULT_REGION, LOCAL_ACCOUNT, LOCAL_STAGE, STAGES, Stage, stage
from infra.provision import Report
from infra.stack import Clients, apply_foundation, apply_workflow, destroy

COMMANDS = [
    "identity",
    "policies",
    "package",
    "apply",
    "stack",
    "configure",
    "url",
    "api",
    "workflow",
    "monitoring",
    "site",
    "cdn",
    "delete-cdn",
    "delete-logs",
    "destroy",
    "delete-alerts",
]
# Commands that only look or build: the photos bucket's name is not theirs to create.
UNNAMED_COMMANDS = frozenset({"identity", "package"})
# Removal reads the name but never generates one (a stage without it has no such bucket).
REMOVAL_COMMANDS = frozenset({"delete-cdn", "delete-logs", "destroy", "delete-alerts"})
# Failures a person can act on: a message, not a traceback.
EXPECTED_FAILURES = (
    BudgetCurrencyError,
    deployment.DeployError,
    packaging.PackageError,
    ProjectError,
    ValueError,
)


def _print(report: Report) -> None:
    for resource, action in report.actions:
        print(f"  {action:<10} {resource}")
    if not report.actions:
        print("  (nothing to do)")


def _print_changes(report: Report) -> None:
    for resource, action in report.actions:
        print(f"  {action:<10} {resource}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m infra",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--stage", required=True, choices=STAGES)
    parser.add_argument("--region", default=os.environ.get("AWS_REGION") or DEFAULT_REGION)
    parser.add_argument(
        "--site-origin", action="append", default=[], help="CORS origin for uploads"
    )
    parser.add_argument("--deployed", type=Path, help="Chalice deployed/<stage>.json of smartre")
    parser.add_argument("--smartre-url", help="SmartRe API base URL for RepairApp's config")
    parser.add_argument("--app", choices=app_config.APPS, default="smartre", help="for `url`")
    parser.add_argument("--dist", type=Path, default=app_config.REPO_ROOT / "frontend" / "dist")
    parser.add_argument("--out", type=Path, help="where `package` writes (default build/<stage>)")
    parser.add_argument(
        "--poll-seconds", type=int, default=30, help="CloudFront status polling on delete"
    )
    return parser


def _account(clients: Clients, stage_name: str) -> str:
    return LOCAL_ACCOUNT if stage_name == LOCAL_STAGE else clients.account_id()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    try:
        return _run(args)
    except EXPECTED_FAILURES as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "url":
        deployed = load_deployed(args.app, args.stage)
        if deployed is None or deployed.api_url is None:
            raise ProjectError(f"{args.app} is not deployed for stage {args.stage!r}")
        print(deployed.api_url.rstrip("/"))
        return 0

    clients = Clients.for_region(args.region)
    log = request_log.from_environment()
    if log is not None:
        log.attach(clients.session.events)
    spec = stage(
        args.stage,
        _account(clients, args.stage),
        args.region,
        tuple(args.site_origin),
        mail_from=os.environ.get("MAIL_FROM") or None,
    )
    if args.command not in UNNAMED_COMMANDS:
        # The first deploy step that names the photos bucket (policies) generates its suffix.
        named = Report()
        spec = photo_bucket.resolve(
            clients("ssm"), spec, named, create=args.command not in REMOVAL_COMMANDS
        )
        _print_changes(named)

    if args.command == "identity":
        caller = clients("sts").get_caller_identity()
        print(f"  {'account':<10} {caller['Account']} as {caller['Arn']}")
        print(f"  {'region':<10} {args.region}")
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        if endpoint:
            print(f"  {'endpoint':<10} {endpoint} (AWS_ENDPOINT_URL: not AWS itself)")
    elif args.command == "policies":
        for app in app_config.APPS:
            changed = policies.write_policy(app, spec)
            action = "updated" if changed else "unchanged"
            print(f"  {action:<10} {policies.policy_path(app, spec.stage)}")
    elif args.command == "package":
        return _package(args, spec)
    elif args.command == "configure":
        for app in app_config.APPS:
            env = app_config.environment(app, spec, smartre_url=args.smartre_url)
            changed = app_config.write_stage_environment(app, args.stage, env)
            action = "updated" if changed else "unchanged"
            print(f"  {action:<10} {app}/.chalice/config.json [{args.stage}]")
    elif args.command == "cdn":
        report, distribution = deployment.apply_cdn(
            clients, spec, deployment.DeployOptions.from_env()
        )
        _print(report)
        print(f"  {'site':<10} https://{distribution.domain_name}/")
    else:
        _print(_apply(args, clients, spec))
    return 0


def _apply(args: argparse.Namespace, clients: Clients, spec: Stage) -> Report:
    options = deployment.DeployOptions.from_env()
    match args.command:
        case "apply":
            return apply_foundation(clients, spec)
        case "stack":
            return deployment.apply_stack(clients, spec, options)
        case "api":
            return deployment.tune_apis(clients, spec, options)
        case "workflow":
            deployed = (
                args.deployed
                or app_config.REPO_ROOT / f"smartre/.chalice/deployed/{args.stage}.json"
            )
            return apply_workflow(clients, spec, deployed)
        case "monitoring":
            return deployment.apply_monitoring(clients, spec)
        case "site":
            return deployment.publish_site(clients, spec, args.dist)
        case "delete-cdn":
            return deployment.delete_cdn(clients, spec, args.poll_seconds)
        case "delete-logs":
            return deployment.delete_function_logs(clients, spec)
        case "delete-alerts":
            return deployment.delete_alerts(clients, spec)
        case _:
            return destroy(clients, spec)


def _package(args: argparse.Namespace, spec: Stage) -> int:
    out = args.out or app_config.REPO_ROOT / "build" / args.stage
    # chalice package asks for a region even though it only builds files.
    env = {**os.environ, "AWS_DEFAULT_REGION": spec.region}
    problems = [f"smartre: {p}" for p in check_ml_memory(load_config("smartre"), spec.stage)]
    for app in app_config.APPS:
        facts = packaging.package_app(app, spec.stage, out / app, env)
        print(f"  {'ok' if not facts.problems else 'REFUSED':<10} {facts.summary()}")
        problems += [f"{app}: {problem}" for problem in facts.problems]
    if problems:
        raise packaging.PackageError("not uploading:\n  " + "\n  ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
