"""The outcome model with this deployment's adaptation state (issue 13's latency figures).

Run `python -m bench adaptation`. Prints (never fails on timing):
- outcome + barrier per text, in-process, without and with an adaptation state applied;
- reading the state (one consistent GetItem over the emulator's wire protocol) and applying it,
  as `assess_repair` does before every prediction: the extra it costs per analysis, p50/p95;
- one feedback label's atomic write (the label + the counts ``ADD``, one transaction), p50/p95.
The emulator runs on this machine: figures are for it, not for DynamoDB.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from bench.stats import summary
from infra.definition import LOCAL_ACCOUNT, LOCAL_STAGE, stage
from infra.stack import Clients, apply_foundation
from localaws.defaults import client_environment
from localaws.server import start_emulator

REPO_ROOT = Path(__file__).resolve().parent.parent
SMARTRE = REPO_ROOT / "smartre"
SAMPLES = 300
TEXT = "Laptop does not start, the charger light stays off since it fell."


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> None:
    sys.path[:0] = [str(SMARTRE), str(SMARTRE / "vendor")]
    from tests.support.apps import stage_environment

    emulator = start_emulator()
    try:
        os.environ.update(client_environment(emulator.endpoint_url))
        os.environ.update(stage_environment(SMARTRE))
        spec = stage(LOCAL_STAGE, LOCAL_ACCOUNT)
        apply_foundation(Clients.for_region(spec.region), spec)

        from chalicelib import resources
        from chalicelib.services import adaptation
        from chalicelib.trained_models import outcome_model

        resources.reset()
        model = outcome_model()
        categories = ["Laptop", "Kettle", "Lamp", "Mobile", "Vacuum"]
        outcomes = ["Fixed", "Repairable", "End of life"]

        writes = []
        for n in range(SAMPLES):
            outcome = outcomes[n % 3]
            label = {
                "analysisId": f"an_bench{n:018d}",
                "labelId": f"lb_{n}",
                "kind": "feedback",
                "createdAt": "2026-12-02T20:00:00Z",
                "truth": {"outcome": outcome},
            }
            added = adaptation.increments(
                categories[n % 5],
                outcome,
                "Spare parts not available" if outcome == "End of life" else None,
            )
            started = time.perf_counter()
            resources.label_store().add(label, added)
            writes.append(_ms(started))

        bare, adapted, reads = [], [], []
        for _ in range(SAMPLES):
            started = time.perf_counter()
            model.predict(TEXT, "Laptop", None, 4.0)
            bare.append(_ms(started))
            started = time.perf_counter()
            counts = adaptation.current_counts(model.barriers)
            reads.append(_ms(started))
            started = time.perf_counter()
            model.predict(TEXT, "Laptop", None, 4.0, counts=counts)
            adapted.append(_ms(started))
        extra = [r + a - b for r, a, b in zip(reads, adapted, bare, strict=True)]
        print(f"state: {counts.version}, {len(counts.by_category)} categories")
        print(f"outcome + barrier, no state:        {summary(bare)}")
        print(f"outcome + barrier, state applied:   {summary(adapted)}")
        print(f"read the state (GetItem):           {summary(reads)}")
        print(f"extra per analysis (read + apply):  {summary(extra)}")
        print(f"one feedback label (transaction):   {summary(writes)}")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
