"""Latency of SmartRe's POST /api/analyses on the local stack (first call and warm).

Starts the whole `make run` stack on free ports, uploads a real photo, then times analyses
(photo + text, and text only) end to end through SmartRe's HTTP API, and reports the per-branch
timings the workflow records. Figures are for this machine and the emulator, not AWS.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import summary
from localaws.stack import LocalStack, StackPorts
from tests.conftest import laptop_photo
from tests.support.http import call, upload

SAMPLES = 50


def main() -> None:
    photo = laptop_photo()
    with (
        tempfile.TemporaryDirectory() as state,
        LocalStack(StackPorts.free(), state_dir=Path(state), quiet=True) as stack,
    ):
        auth = {"Authorization": f"Bearer {stack.service_key}"}
        base = stack.smartre_url

        def analyse(body: dict[str, Any], n: int) -> tuple[float, dict[str, Any]]:
            started = time.perf_counter()
            reply = call(
                "POST", f"{base}/api/analyses", body, {**auth, "Idempotency-Key": f"bench-{n:08d}"}
            )
            elapsed = (time.perf_counter() - started) * 1000
            if reply.status != 201:
                raise RuntimeError(f"{reply.status}: {reply.data[:200]!r}")
            return elapsed, reply.json

        def new_photo() -> str:
            ticket = call("POST", f"{base}/api/images", {"contentType": "image/jpeg"}, auth).json
            upload(ticket, photo.read_bytes())
            return str(ticket["imageId"])

        body = {"description": "laptop does not boot, screen stays black", "language": "en"}
        first_ms, _ = analyse({**body, "imageId": new_photo()}, 0)
        print(f"first call (cold Lambda workers, models loading): {first_ms:.0f} ms")

        photo_text: list[float] = []
        branches: dict[str, list[float]] = {"photoMs": [], "assessmentMs": [], "mergeMs": []}
        for n in range(1, SAMPLES + 1):
            elapsed, analysis = analyse({**body, "imageId": new_photo()}, n)
            photo_text.append(elapsed)
            for key in branches:
                if analysis["timings"].get(key) is not None:
                    branches[key].append(float(analysis["timings"][key]))
        text_only = [analyse(body, 1000 + n)[0] for n in range(SAMPLES)]

        print(f"POST /api/analyses photo+text, warm: {summary(photo_text)}")
        print(f"POST /api/analyses text only, warm:  {summary(text_only)}")
        for key, values in branches.items():
            print(f"  branch {key:<13} median {statistics.median(values):.1f} ms (inside the task)")


if __name__ == "__main__":
    main()
