"""What the emulator's SigV4 check (``localaws.sigv4``) costs per request.

Three figures for each kind of request, real ones built and signed by boto3:

- ``check``: the filter alone, in process (recomputing the signature with botocore's signer, and
  for S3 hashing the body against ``x-amz-content-sha256``), median over many runs;
- ``sign``: the naive baseline, botocore signing that same request on the client side, which
  is the least any signature check must cost;
- and, on a running emulator, the median round trip of a DynamoDB ``GetItem`` and an S3
  ``PutObject`` of 1 MiB, so the check's share of a request is visible.

    python -m bench sigv4
"""

from __future__ import annotations

import io
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import boto3
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSPreparedRequest, AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

from bench.stats import summary
from localaws import sigv4
from localaws.credentials import StackCredentials
from localaws.defaults import REGION
from localaws.server import start_emulator

RUNS = 2000
ROUND_TRIPS = 300
STACK = StackCredentials.generate()


class _Captured(Exception):
    def __init__(self, request: AWSPreparedRequest) -> None:
        super().__init__("captured")
        self.request = request


def _capture(service: str, call: Callable[[Any], Any]) -> AWSPreparedRequest:
    client = boto3.client(
        service,
        endpoint_url="http://127.0.0.1:4566",
        region_name=REGION,
        config=Config(signature_version="s3v4") if service == "s3" else None,
        **STACK.client_kwargs(),
    )

    def capture(request: AWSPreparedRequest, **_: Any) -> None:
        raise _Captured(request)

    client.meta.events.register("before-send", capture)
    try:
        call(client)
    except _Captured as captured:
        return captured.request
    raise AssertionError("no request was sent")


def _environ(request: AWSPreparedRequest) -> tuple[dict[str, Any], bytes]:
    url = urlsplit(request.url)
    body = request.body if isinstance(request.body, bytes) else (request.body or b"")
    if not isinstance(body, bytes):
        body = body.read()
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "PATH_INFO": url.path,
        "QUERY_STRING": url.query,
        "RAW_URI": url.path + (f"?{url.query}" if url.query else ""),
        "HTTP_HOST": url.netloc,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in request.headers.items():
        value = value.decode() if isinstance(value, bytes) else str(value)
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    return environ, body


def _median_us(action: Callable[[], Any], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1e6)
    return statistics.median(timings)


def _in_process() -> None:
    kinds: list[tuple[str, str, Callable[[Any], Any]]] = [
        ("dynamodb", "DynamoDB GetItem", lambda c: c.get_item(
            TableName="repairapp-local-repairs", Key={"repairId": {"S": "rp_1"}})),
        ("s3", "S3 GetObject", lambda c: c.get_object(Bucket="photos", Key="uploads/p")),
        ("s3", "S3 PutObject 1 MiB", lambda c: c.put_object(
            Bucket="photos", Key="uploads/p", Body=b"x" * (1 << 20))),
    ]  # fmt: skip
    print(f"in process, median of {RUNS} runs (sign = botocore signing it, the naive floor):")
    for service, label, call in kinds:
        _measure(service, label, call)


def _measure(service: str, label: str, call: Callable[[Any], Any]) -> None:
    request = _capture(service, call)
    environ, body = _environ(request)

    def check() -> None:
        assert sigv4.check({**environ, "wsgi.input": io.BytesIO(body)}, STACK) is None

    auth_class = S3SigV4Auth if service == "s3" else SigV4Auth
    key = Credentials(STACK.access_key_id, STACK.secret_access_key, STACK.session_token)
    headers = {
        k: v.decode() if isinstance(v, bytes) else str(v)
        for k, v in request.headers.items()
        if k.lower() != "authorization"
    }

    def sign() -> None:
        copy = AWSRequest(method=request.method, url=request.url, headers=headers, data=body)
        auth_class(key, service, REGION).add_auth(copy)

    runs = RUNS if len(body) < 1024 else RUNS // 10
    print(
        f"  {label:<20} check {_median_us(check, runs):8.0f} us   "
        f"sign {_median_us(sign, runs):8.0f} us"
    )


def _round_trips() -> None:
    with start_emulator() as emulator:
        ddb = emulator.client("dynamodb")
        s3 = emulator.client("s3", signature_version="s3v4")
        table = f"bench-{uuid.uuid4().hex[:8]}"
        ddb.create_table(
            TableName=table,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        ddb.put_item(TableName=table, Item={"id": {"S": "rp_1"}})
        s3.create_bucket(Bucket=table, CreateBucketConfiguration={"LocationConstraint": REGION})
        payload = b"x" * (1 << 20)

        def timed(action: Callable[[], Any], runs: int) -> list[float]:
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                action()
                timings.append((time.perf_counter() - started) * 1000)
            return timings

        get = timed(lambda: ddb.get_item(TableName=table, Key={"id": {"S": "rp_1"}}), ROUND_TRIPS)
        put = timed(lambda: s3.put_object(Bucket=table, Key="p", Body=payload), ROUND_TRIPS // 5)
        print("on a running emulator (the check included):")
        print(f"  DynamoDB GetItem     {summary(get)}")
        print(f"  S3 PutObject 1 MiB   {summary(put)}")


def main() -> None:
    _in_process()
    _round_trips()


if __name__ == "__main__":
    main()
