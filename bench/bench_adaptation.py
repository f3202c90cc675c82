"""The outcome model with this deployment's adaptation state (issue 13's latency figures).

Run `python -m bench adaptation`. Prints (never fails on timing):
- outcome + barrier per text, in-process, without and with an adaptation state applied;
- reading the state (one consistent GetItem over the emulator's wire protocol) and applying it,
  as `assess_repair` does before every prediction: the extra it costs per analysis, p50/p95,
  once reading the state for every analysis (``max_age=0``) and once with the container's
  reuse of a state read less than ``STATE_MAX_AGE_SECONDS`` ago (analyses back to back, so this
  is the busy container's figure: one arriving after a quiet spell pays the uncached read);
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
from localaws.server import start_emulator

REPO_ROOT = Path(__file__).resolve().parent.parent
SMARTRE = REPO_ROOT / "smartre"
SAMPLES = 300
TEXT = "Laptop does not start, the charger light stays off since it fell."
# What an analysis stores of the model's pre-adaptation answer (each label adds it to the sums).
UNADAPTED = {
    "outcome": {"fixed": 0.45, "repairable": 0.2, "endOfLife": 0.35},
    "barriers": {
        "Item too worn out": 0.2,
        "Lack of equipment": 0.05,
        "No way to open product": 0.1,
        "Repair information not available": 0.1,
        "Spare parts not available": 0.4,
        "Spare parts too expensive": 0.15,
    },
}


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def main() -> None:
    sys.path[:0] = [str(SMARTRE), str(SMARTRE / "vendor")]
    from tests.support.apps import stage_environment

    emulator = start_emulator()
    try:
        os.environ.update(emulator.environment())
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
                UNADAPTED | {"category": categories[n % 5]},
            )
            started = time.perf_counter()
            resources.label_store().add(label, added)
            writes.append(_ms(started))

        max_age = adaptation.STATE_MAX_AGE_SECONDS
        for mode, age in (("every analysis", 0.0), (f"reused {max_age:g} s", max_age)):
            bare, adapted, reads = [], [], []
            for _ in range(SAMPLES):
                started = time.perf_counter()
                model.predict(TEXT, "Laptop", None, 4.0)
                bare.append(_ms(started))
                started = time.perf_counter()
                counts = adaptation.current_counts(model.barriers, max_age=age)
                reads.append(_ms(started))
                started = time.perf_counter()
                model.predict(TEXT, "Laptop", None, 4.0, counts=counts)
                adapted.append(_ms(started))
            extra = [r + a - b for r, a, b in zip(reads, adapted, bare, strict=True)]
            print(f"state: {counts.version}, {len(counts.by_category)} categories; read {mode}")
            print(f"  outcome + barrier, no state:        {summary(bare)}")
            print(f"  outcome + barrier, state applied:   {summary(adapted)}")
            print(f"  read the state:                     {summary(reads)}")
            print(f"  extra per analysis (read + apply):  {summary(extra)}")
        print(f"one feedback label (transaction):   {summary(writes)}")
    finally:
        emulator.stop()


if __name__ == "__main__":
    main()
