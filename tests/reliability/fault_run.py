"""A mixed run of triages and repair requests under injected S3/DynamoDB faults, and its audit.

``run_mixed`` sends ``total`` requests (half triages — with a photo or text only — and half
repair requests for analyses triaged earlier) through the CloudFront emulator while the
emulator fails a share of S3 and DynamoDB calls with throttling and server errors. Every answer
goes into a ``Ledger``. ``audit`` then compares the ledger (what clients were told) with the
tables (what was stored): every 201 has its record, no record exists that no client was given,
nothing is stored twice, the counters add up and no idempotency claim is left half-done.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from localaws.server import Emulator
from tests.reliability.conftest import DESCRIPTION, RepairApp, Tables, new_key, repair_body
from tests.support.http import Reply

DESCRIPTIONS = (
    DESCRIPTION,
    "Mijn laptop start niet meer op, het scherm blijft zwart sinds hij gevallen is.",
    "La lampe clignote puis s'éteint; le câble est abîmé près de la fiche.",
    "Der Wasserkocher schaltet sich nicht mehr ein, die Kontrollleuchte bleibt aus.",
)
LANGUAGES = ("en", "nl", "fr", "de")


def fault_rules(rate: float) -> list[dict[str, Any]]:
    """S3 and DynamoDB each fail ``rate`` of their calls: half throttling, half server errors.

    The emulator applies the first rule that fires, so the second rule's rate is raised to make
    the two together fail exactly ``rate`` of the calls.
    """
    throttle = rate / 2
    error = (rate / 2) / (1 - throttle)
    return [
        {
            "service": "dynamodb",
            "error": "ProvisionedThroughputExceededException",
            "rate": throttle,
        },
        {"service": "dynamodb", "error": "InternalServerError", "status": 500, "rate": error},
        {"service": "s3", "error": "SlowDown", "rate": throttle},
        {"service": "s3", "error": "InternalError", "rate": error},
    ]


@dataclass
class Entry:
    """One request and what its client was told."""

    kind: str  # "triage" or "repair"
    key: str
    body: dict[str, Any]
    status: int
    reply: dict[str, Any]
    retry_after: str | None
    seconds: float


@dataclass
class Ledger:
    entries: list[Entry] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, entry: Entry) -> None:
        with self.lock:
            self.entries.append(entry)

    def created(self, kind: str) -> dict[str, Entry]:
        """The 201s of one kind, by idempotency key (the last answer for a retried key)."""
        return {e.key: e for e in self.entries if e.kind == kind and e.status == 201}

    def statuses(self, kind: str | None = None) -> Counter[int]:
        return Counter(e.status for e in self.entries if kind is None or e.kind == kind)


def _record(kind: str, key: str, body: dict[str, Any], send: Callable[[], Reply]) -> Entry:
    started = time.monotonic()
    reply = send()
    try:
        parsed = reply.json if reply.data else {}
    except ValueError:
        parsed = {"raw": reply.data[:200].decode(errors="replace")}
    return Entry(
        kind=kind,
        key=key,
        body=body,
        status=reply.status,
        reply=parsed if isinstance(parsed, dict) else {"raw": parsed},
        retry_after=reply.headers.get("retry-after"),
        seconds=time.monotonic() - started,
    )


def send(repairapp: RepairApp, kind: str, key: str, body: dict[str, Any]) -> Entry:
    path = "/api/triage" if kind == "triage" else "/api/repairs"
    return _record(kind, key, body, lambda: repairapp.post(path, body, **{"Idempotency-Key": key}))


def run_mixed(
    repairapp: RepairApp,
    emulator: Emulator,
    *,
    total: int,
    rate: float,
    image_ids: list[str],
    seed_analyses: list[str],
    concurrency: int = 4,
    seed: int = 8,
) -> tuple[Ledger, dict[str, Any]]:
    """``total`` requests under faults at ``rate``; returns the ledger and the fault counters."""
    ledger = Ledger()
    analyses = list(seed_analyses)
    analyses_lock = threading.Lock()

    def one(i: int) -> None:
        if i % 2 == 0:
            body: dict[str, Any] = {
                "description": DESCRIPTIONS[i // 2 % len(DESCRIPTIONS)],
                "language": LANGUAGES[i // 2 % len(LANGUAGES)],
            }
            if i % 4 == 0:
                body["imageId"] = image_ids[i // 4 % len(image_ids)]
            entry = send(repairapp, "triage", new_key("ftri"), body)
            if entry.status == 201:
                with analyses_lock:
                    analyses.append(entry.reply["analysisId"])
        else:
            with analyses_lock:
                analysis_id = analyses[i * 7919 % len(analyses)]
            entry = send(repairapp, "repair", new_key("frep"), repair_body(analysis_id))
        ledger.add(entry)

    if rate > 0:
        emulator.inject_faults(fault_rules(rate), seed=seed)
    try:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            list(pool.map(one, range(total)))
    finally:
        counts = emulator.clear_faults() if rate > 0 else {"injected": 0, "rules": []}
    return ledger, counts


def retry_unavailable(
    repairapp: RepairApp, ledger: Ledger, *, deadline_seconds: float = 120.0
) -> list[Entry]:
    """Send every 503'd request again with its own key and body, as a patient client would.

    A retry that meets ``409 RequestInProgress`` (a claim whose holder failed to record its
    answer keeps its lease, so the work cannot run twice) or another 503 waits ``Retry-After``
    and tries again, until the deadline. Returns each request's final answer.
    """
    deadline = time.monotonic() + deadline_seconds
    finals: list[Entry] = []
    for first in [e for e in ledger.entries if e.status == 503]:
        entry = send(repairapp, first.kind, first.key, first.body)
        ledger.add(entry)
        while _retryable(entry) and time.monotonic() < deadline:
            time.sleep(min(float(entry.retry_after or 2), 5.0))
            entry = send(repairapp, first.kind, first.key, first.body)
            ledger.add(entry)
        finals.append(entry)
    return finals


def _retryable(entry: Entry) -> bool:
    return entry.status == 503 or (
        entry.status == 409 and entry.reply.get("Code") == "RequestInProgress"
    )


@dataclass(frozen=True)
class Snapshot:
    """The stored state the audit compares against (taken before the run, and after)."""

    analyses: dict[str, dict[str, Any]]
    repairs: dict[str, dict[str, Any]]
    smartre_keys: dict[str, dict[str, Any]]
    repairapp_keys: dict[str, dict[str, Any]]
    counters: dict[str, int]

    @classmethod
    def take(cls, tables: Tables) -> Snapshot:
        return cls(
            analyses=tables.analyses(),
            repairs=tables.repairs(),
            smartre_keys=tables.smartre_keys(),
            repairapp_keys=tables.repairapp_keys(),
            counters=tables.counters(),
        )


def audit(ledger: Ledger, before: Snapshot, after: Snapshot) -> list[str]:
    """Every way what clients were told and what is stored disagree (empty: they agree)."""
    problems: list[str] = []
    triaged = ledger.created("triage")
    requested = ledger.created("repair")

    # Analyses: each 201 stored once, as told; none stored that no client was given.
    told_analyses = {e.reply["analysisId"]: e for e in triaged.values()}
    new_analyses = set(after.analyses) - set(before.analyses)
    for analysis_id in sorted(set(told_analyses) - set(after.analyses)):
        problems.append(f"analysis {analysis_id} was returned with 201 but is not stored")
    for analysis_id in sorted(new_analyses - set(told_analyses)):
        problems.append(f"analysis {analysis_id} is stored but no client was given it")
    for analysis_id, entry in told_analyses.items():
        stored = after.analyses.get(analysis_id)
        # The analysisToken is RepairApp's addition (the key to read it back), not SmartRe's.
        told = {k: v for k, v in entry.reply.items() if k != "analysisToken"}
        if stored and json.loads(stored["document"]) != told:
            problems.append(f"analysis {analysis_id} differs from what the client was told")
    for key, entry in triaged.items():
        claim = after.smartre_keys.get(f"analyses#{key}")
        if claim is None or claim["status"] != "COMPLETED":
            problems.append(f"triage key {key}: SmartRe's idempotency record is {claim}")
        elif claim["resourceId"] != entry.reply["analysisId"]:
            problems.append(f"triage key {key}: idempotency record names another analysis")

    # Repair requests: each 201 stored once, with the token the client holds.
    told_repairs = {e.reply["repairId"]: e for e in requested.values()}
    new_repairs = set(after.repairs) - set(before.repairs)
    for repair_id in sorted(set(told_repairs) - set(after.repairs)):
        problems.append(f"repair {repair_id} was returned with 201 but is not stored")
    for repair_id in sorted(new_repairs - set(told_repairs)):
        problems.append(f"repair {repair_id} is stored but no client was given it")
    for repair_id, entry in told_repairs.items():
        stored = after.repairs.get(repair_id)
        if stored is None:
            continue
        digest = hashlib.sha256(entry.reply["trackingToken"].encode()).hexdigest()
        if stored["trackingTokenHash"] != digest:
            problems.append(f"repair {repair_id}: the client's tracking token does not open it")
        if stored["analysisId"] != entry.body["analysisId"] or stored["version"] != 1:
            problems.append(f"repair {repair_id} is not the request the client sent")
    for key, entry in requested.items():
        claim = after.repairapp_keys.get(f"repairs#{key}")
        if claim is None or claim["status"] != "COMPLETED":
            problems.append(f"repair key {key}: RepairApp's idempotency record is {claim}")
        elif claim["resourceId"] != entry.reply["repairId"]:
            problems.append(f"repair key {key}: idempotency record names another request")

    # Counters move with the requests, in the same transaction.
    submitted = after.counters.get("status:submitted", 0) - before.counters.get(
        "status:submitted", 0
    )
    if submitted != len(new_repairs):
        problems.append(f"status:submitted grew by {submitted}, repairs by {len(new_repairs)}")
    categories = Counter(
        f"category:{after.repairs[r]['productCategory']}:submitted"
        for r in new_repairs
        if after.repairs[r].get("productCategory")
    )
    for name, count in categories.items():
        grew = after.counters.get(name, 0) - before.counters.get(name, 0)
        if grew != count:
            problems.append(f"{name} grew by {grew}, its repairs by {count}")

    # No claim of this run is left in progress (half-done) once every 503 was retried.
    keys = {f"analyses#{e.key}" for e in ledger.entries if e.kind == "triage"} | {
        f"repairs#{e.key}" for e in ledger.entries if e.kind == "repair"
    }
    for pk in sorted(keys):
        claim = after.smartre_keys.get(pk) or after.repairapp_keys.get(pk)
        if claim is not None and claim["status"] != "COMPLETED":
            problems.append(f"idempotency claim {pk} is left {claim['status']}")
    return problems
