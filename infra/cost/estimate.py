"""Monthly cost of N analyses, from the architecture and ``infra/prices.json``.

One "analysis" is the whole life of a repair request: the citizen loads the site, gets an upload
URL, uploads a photo straight to S3, asks for the triage (RepairApp → SmartRe → the Express
workflow: classify_image ∥ assess_repair → merge), files the request and checks it twice; a
repairer opens the queue and closes it, and RepairApp sends the outcome back to SmartRe. The
usage per analysis below is an engineering estimate of that path (request counts from the
routes, durations from the local benchmarks plus margin for cold starts), not a measurement on
AWS: replace it with CloudWatch numbers once the stage has traffic. Memory sizes come from the
Chalice configs, so resizing a function changes the estimate. Prices are list prices without the
free tier; ``fixed`` costs (the 5-minute feedback schedule) do not depend on N.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from infra.chalice_project import function_settings, load_config
from infra.cost.prices import Prices
from infra.cost.tables import text_table
from infra.definition import PHOTO_RETENTION_DAYS

MB = 1_000_000
GB = 1_000_000_000
SECONDS_PER_MONTH = 30 * 24 * 3600


@dataclass(frozen=True)
class Invocations:
    """``count`` invocations of an app's function per analysis, each billed ``billed_ms``."""

    app: str
    function: str
    count: float
    billed_ms: float


@dataclass(frozen=True)
class Workload:
    lambdas: tuple[Invocations, ...] = (
        # vocabulary, upload URL, create request, 2 tracking views, staff queue, staff close
        Invocations("repairapp", "api_handler", 7, 120),
        # POST /api/triage waits for SmartRe's synchronous analysis
        Invocations("repairapp", "api_handler", 1, 1500),
        # image upload URL, outcome feedback
        Invocations("smartre", "api_handler", 2, 80),
        # POST /api/analyses waits for StartSyncExecution
        Invocations("smartre", "api_handler", 1, 1200),
        # the service-key authorizer: its 5-minute cache rarely hits at this volume
        Invocations("smartre", "service_key", 3, 30),
        Invocations("smartre", "classify_image", 1, 400),
        Invocations("smartre", "assess_repair", 1, 150),
        Invocations("smartre", "merge_analysis", 1, 50),
    )
    repairapp_api_requests: int = 8
    smartre_api_requests: int = 3
    workflow_billed_ms: int = 700
    workflow_billed_mb: int = 64
    # SmartRe: idempotency (2), analysis (2 KB: 2), label (1); RepairApp: idempotency (2),
    # request + counters in a transaction (4), close + counters (4), outbox removal (1)
    dynamodb_write_units: float = 16
    # SmartRe: analysis, product (eventual); RepairApp: tracking (2), staff queue page (3), close
    dynamodb_read_units: float = 7.5
    dynamodb_bytes_stored: int = 6_000
    photo_bytes: int = 500_000  # after the SPA's client-side resize
    s3_writes: int = 1  # the presigned POST
    s3_reads: int = 2  # SmartRe's HEAD re-check and classify_image's GET
    site_requests: int = 16  # two first visits (citizen, repairer): index.html + ~7 assets
    site_bytes: int = 200_000  # compressed
    api_response_bytes: int = 40_000
    log_bytes_per_invocation: int = 1_500  # START/END/REPORT lines plus a few INFO lines
    # Fixed: RepairApp's outbox schedule runs every 5 minutes whatever the traffic.
    scheduled_invocations_per_month: int = 30 * 24 * 12
    scheduled_billed_ms: int = 200


@dataclass(frozen=True)
class Estimate:
    analyses: int
    usd_by_service: dict[str, float]
    eur_per_usd: float

    @property
    def total_usd(self) -> float:
        return sum(self.usd_by_service.values())

    @property
    def total_eur(self) -> float:
        return self.total_usd * self.eur_per_usd


def memory_sizes(stage: str = "prod") -> dict[tuple[str, str], int]:
    """(app, function) → MB, as Chalice deploys them for ``stage``."""
    sizes = {}
    for app, functions in {
        "repairapp": ("api_handler", "send_pending_feedback"),
        "smartre": (
            "api_handler",
            "service_key",
            "classify_image",
            "assess_repair",
            "merge_analysis",
        ),
    }.items():
        config = load_config(app)
        for function in functions:
            sizes[(app, function)] = function_settings(config, stage, function).memory_mb
    return sizes


def sampled_traces(requests: float) -> float:
    """X-Ray's default rule: the first request each second, then 5 % of the rest."""
    reservoir = min(requests, SECONDS_PER_MONTH)
    return reservoir + 0.05 * max(0.0, requests - SECONDS_PER_MONTH)


@dataclass(frozen=True)
class Usage:
    """What N analyses use in a month, in the units AWS bills."""

    analyses: int
    lambda_invocations: float
    lambda_gb_seconds: float
    api_requests: float
    workflow_gb_seconds: float
    dynamodb_write_units: float
    dynamodb_read_units: float
    dynamodb_stored_gb: float
    s3_writes: float
    s3_reads: float
    photo_gb_months: float
    cdn_requests: float
    cdn_function_invocations: float
    cdn_gb: float
    traces: float
    log_gb: float


def usage(
    analyses: int, memory: Mapping[tuple[str, str], int], workload: Workload, prices: Prices
) -> Usage:
    n, w = analyses, workload
    scheduled_memory_gb = memory[("repairapp", "send_pending_feedback")] / 1024
    invocations = sum(i.count for i in w.lambdas) * n + w.scheduled_invocations_per_month
    gb_seconds = sum(
        i.count * n * i.billed_ms / 1000 * memory[(i.app, i.function)] / 1024 for i in w.lambdas
    )
    gb_seconds += (
        w.scheduled_invocations_per_month * w.scheduled_billed_ms / 1000 * scheduled_memory_gb
    )
    # Express bills duration in 100 ms steps and memory in 64 MB steps.
    step_ms = prices("step_functions_express", "billed_duration_unit_ms")
    step_mb = prices("step_functions_express", "billed_memory_unit_mb")
    billed_s = math.ceil(w.workflow_billed_ms / step_ms) * step_ms / 1000
    billed_gb = math.ceil(w.workflow_billed_mb / step_mb) * step_mb / 1024
    api_requests = float((w.repairapp_api_requests + w.smartre_api_requests) * n)
    return Usage(
        analyses=n,
        lambda_invocations=invocations,
        lambda_gb_seconds=gb_seconds,
        api_requests=api_requests,
        workflow_gb_seconds=n * billed_s * billed_gb,
        dynamodb_write_units=n * w.dynamodb_write_units,
        dynamodb_read_units=n * w.dynamodb_read_units,
        dynamodb_stored_gb=n * w.dynamodb_bytes_stored / GB,
        s3_writes=n * w.s3_writes,
        s3_reads=n * w.s3_reads,
        # Each month's photos live PHOTO_RETENTION_DAYS of its ~30 days.
        photo_gb_months=n * w.photo_bytes / GB * PHOTO_RETENTION_DAYS / 30,
        cdn_requests=(w.site_requests + w.repairapp_api_requests) * n,
        cdn_function_invocations=w.site_requests * n,
        cdn_gb=n * (w.site_bytes + w.api_response_bytes) / GB,
        traces=sampled_traces(api_requests),
        log_gb=invocations * w.log_bytes_per_invocation / GB,
    )


def price(u: Usage, p: Prices) -> dict[str, float]:
    """USD per service for the usage ``u``."""

    def per_million(count: float, service: str, item: str) -> float:
        return count / MB * p(service, item)

    ddb, s3, cdn = "dynamodb_on_demand", "s3_standard", "cloudfront"
    dynamodb = (
        per_million(u.dynamodb_write_units, ddb, "write_request_units_per_million")
        + per_million(u.dynamodb_read_units, ddb, "read_request_units_per_million")
        + u.dynamodb_stored_gb
        * (p(ddb, "storage_gb_month") + p(ddb, "point_in_time_recovery_gb_month"))
    )
    photos = (
        u.s3_writes / 1000 * p(s3, "put_post_list_per_thousand")
        + u.s3_reads / 1000 * p(s3, "get_head_per_thousand")
        + u.photo_gb_months * p(s3, "storage_gb_month")
    )
    cloudfront = (
        u.cdn_requests / 10_000 * p(cdn, "https_requests_europe_per_10k")
        + u.cdn_gb * p(cdn, "data_transfer_out_europe_gb")
        + per_million(u.cdn_function_invocations, cdn, "function_invocations_per_million")
    )
    workflow = per_million(
        u.analyses, "step_functions_express", "requests_per_million"
    ) + u.workflow_gb_seconds * p("step_functions_express", "gb_second")
    return {
        "Lambda requests": per_million(u.lambda_invocations, "lambda", "requests_per_million"),
        "Lambda compute": u.lambda_gb_seconds * p("lambda", "gb_second_x86"),
        "API Gateway (REST, 2 APIs)": per_million(
            u.api_requests, "api_gateway", "rest_requests_per_million"
        ),
        "Step Functions Express": workflow,
        "DynamoDB on-demand": dynamodb,
        "S3 (photos, 7-day expiry)": photos,
        "CloudFront": cloudfront,
        "X-Ray": per_million(u.traces, "xray", "traces_recorded_per_million"),
        "CloudWatch Logs": u.log_gb * p("cloudwatch_logs", "ingestion_gb"),
    }


def estimate(
    analyses: int,
    prices: Prices,
    memory: Mapping[tuple[str, str], int],
    workload: Workload = Workload(),
) -> Estimate:
    used = usage(analyses, memory, workload, prices)
    return Estimate(
        analyses=analyses, usd_by_service=price(used, prices), eur_per_usd=prices.eur_per_usd
    )


def table(estimates: list[Estimate], markdown: bool = False) -> str:
    """Services as rows, one column per volume; totals in USD and EUR, and per analysis."""
    headers = ["per month", *(f"{e.analyses:,} analyses" for e in estimates)]
    rows = [
        [service, *(f"${e.usd_by_service[service]:,.2f}" for e in estimates)]
        for service in estimates[0].usd_by_service
    ]
    rows.append(["Total (USD)", *(f"${e.total_usd:,.2f}" for e in estimates)])
    rows.append(["Total (EUR, assumed rate)", *(f"€{e.total_eur:,.2f}" for e in estimates)])
    rows.append(["Per analysis (USD)", *(f"${e.total_usd / e.analyses:,.5f}" for e in estimates)])
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|---|" + "---:|" * len(estimates)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    return text_table([headers, *rows])
