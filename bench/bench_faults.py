"""500 mixed triages and repair requests with S3 and DynamoDB failing 5 % and 30 % of calls.

The long version of ``tests/reliability/test_faults.py`` (which runs 100 requests): the same
workload (``tests.reliability.fault_run``), four clients at once, the emulator injecting
throttling and server errors in equal parts. For each rate it prints what clients saw, how the
503'd requests fared when sent again with their own idempotency keys, and every disagreement
between what clients were told and what the tables hold (none expected).

    python -m bench faults
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

from localaws.stack import LocalStack, StackPorts
from tests.conftest import laptop_photo
from tests.reliability.conftest import DESCRIPTION, RepairApp, Tables
from tests.reliability.fault_run import Snapshot, audit, retry_unavailable, run_mixed

REQUESTS = 500
RATES = (0.05, 0.30)


def main() -> None:
    photo = laptop_photo()
    with (
        tempfile.TemporaryDirectory() as state,
        LocalStack(StackPorts.free(), state_dir=Path(state), quiet=True) as stack,
    ):
        assert stack.emulator is not None
        repairapp, tables = RepairApp(stack), Tables(stack)
        images = [repairapp.upload_photo(photo.read_bytes()) for _ in range(8)]
        analyses = [
            repairapp.triage({"description": DESCRIPTION, "language": "en"}).json["analysisId"]
            for _ in range(4)
        ]
        for rate in RATES:
            before = Snapshot.take(tables)
            started = time.monotonic()
            ledger, faults = run_mixed(
                repairapp,
                stack.emulator,
                total=REQUESTS,
                rate=rate,
                image_ids=images,
                seed_analyses=analyses,
            )
            seconds = time.monotonic() - started
            first = Counter(e.status for e in ledger.entries)
            by_kind = {k: dict(ledger.statuses(k)) for k in ("triage", "repair")}
            unavailable = [e for e in ledger.entries if e.status == 503]
            hinted = sum(1 for e in unavailable if e.retry_after and e.retry_after.isdigit())
            slowest = max(e.seconds for e in ledger.entries)
            finals = retry_unavailable(repairapp, ledger)
            problems = audit(ledger, before, Snapshot.take(tables))
            print(
                f"{rate:.0%} of S3/DynamoDB calls failing: {faults['injected']} faults injected; "
                f"{REQUESTS} requests in {seconds:.0f} s (slowest {slowest:.1f} s)"
            )
            print(f"  clients saw {dict(first)}  by kind {by_kind}")
            print(f"  503s with a Retry-After: {hinted} of {len(unavailable)}")
            retried = dict(Counter(e.status for e in finals))
            print(f"  503'd requests sent again with their key: {retried}")
            print(f"  stored vs told: {len(problems)} disagreements")
            for problem in problems[:10]:
                print(f"    {problem}")


if __name__ == "__main__":
    main()
