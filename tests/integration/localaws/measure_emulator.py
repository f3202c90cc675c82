"""Numbers for the embedded AWS: `.venv/bin/python tests/integration/localaws/measure_emulator.py`.

Not a test (timings never fail a build): prints the emulator's cold start, a warm Lambda
invocation through the emulator, and the StartSyncExecution round trip of the fixture workflow
(Parallel of two Lambda tasks, then a merge task: three tasks), median over 20 runs each.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPOSITORY))

from localaws.deploy_local import deploy_lambda_functions  # noqa: E402
from localaws.server import start_emulator  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
RUNS = 20


def main() -> None:
    started = time.perf_counter()
    emulator = start_emulator()
    cold_start_s = time.perf_counter() - started
    try:
        project = Path(tempfile.mkdtemp()) / "workflow_app"
        shutil.copytree(FIXTURES / "workflow_app", project)
        started = time.perf_counter()
        deployed = deploy_lambda_functions(
            project, "local", emulator.endpoint_url, emulator.credentials
        )
        deploy_s = time.perf_counter() - started
        arns = {
            r["name"]: r["lambda_arn"]
            for r in json.loads(deployed.read_text())["resources"]
            if r["resource_type"] == "lambda_function"
        }
        lam = emulator.client("lambda")
        started = time.perf_counter()
        lam.invoke(FunctionName=arns["classify"], Payload=b"{}")
        first_invoke_s = time.perf_counter() - started
        invokes = []
        for _ in range(RUNS):
            started = time.perf_counter()
            lam.invoke(FunctionName=arns["classify"], Payload=b'{"request_id": "bench"}')
            invokes.append(time.perf_counter() - started)

        definition = (FIXTURES / "workflow.asl.json").read_text()
        for name, arn in arns.items():
            definition = definition.replace("${" + name.capitalize() + "Arn}", arn)
        role = emulator.client("iam").create_role(RoleName="bench", AssumeRolePolicyDocument="{}")
        sfn = emulator.client("stepfunctions")
        machine = sfn.create_state_machine(
            name="bench", definition=definition, roleArn=role["Role"]["Arn"], type="EXPRESS"
        )["stateMachineArn"]
        runs = []
        for index in range(RUNS + 1):
            started = time.perf_counter()
            result = sfn.start_sync_execution(
                stateMachineArn=machine, name=f"bench-{index}", input='{"request_id": "bench"}'
            )
            assert result["status"] == "SUCCEEDED", result
            runs.append(time.perf_counter() - started)
        first_sync_s, runs = runs[0], runs[1:]
    finally:
        emulator.stop()

    print(f"emulator cold start (spawn -> answering):       {cold_start_s * 1000:7.0f} ms")
    print(f"deploy_local, 4 functions:                      {deploy_s * 1000:7.0f} ms")
    print(f"first Lambda invoke (cold worker):              {first_invoke_s * 1000:7.1f} ms")
    print(f"warm Lambda invoke, median of {RUNS}:              "
          f"{statistics.median(invokes) * 1000:7.1f} ms (p90 "
          f"{sorted(invokes)[int(RUNS * 0.9) - 1] * 1000:.1f})")  # fmt: skip
    print(f"StartSyncExecution, first (cold workers):       {first_sync_s * 1000:7.1f} ms")
    print(f"StartSyncExecution 3-task Parallel, median {RUNS}: "
          f"{statistics.median(runs) * 1000:7.1f} ms (p90 "
          f"{sorted(runs)[int(RUNS * 0.9) - 1] * 1000:.1f})")  # fmt: skip


if __name__ == "__main__":
    main()
