"""Event-driven audit: time the Lambda handler on one CloudTrail event, on the demo estate.

    .venv/bin/python benchmarks/event_scan_bench.py [--repeat 5]

Seeds the demo estate on a local moto server, then invokes the handler in process
with a real-shaped "AWS API Call via CloudTrail" event for CreateEndpoint of the
production endpoint, exactly as EventBridge would deliver it. Prints the resources the
targeted scan read and the wall time per invocation (scan + evaluate + reports to S3),
next to a full scheduled scan of the same estate for scale.
"""
from __future__ import annotations

import argparse
import statistics
import time

import boto3


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()

    from mlwarden.audit.config import AuditConfig
    from mlwarden.audit.handler import handler
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.estate import DEMO_REGION, seed
    from mlwarden.demo.server import MotoServer, fake_credentials

    moto_extensions.install()
    server = MotoServer().start()
    try:
        with fake_credentials():
            seed(server.url, (DEMO_REGION,))
            kw = {"region_name": DEMO_REGION, "endpoint_url": server.url}
            key = boto3.client("kms", **kw).create_key(Description="audit reports")["KeyMetadata"]["Arn"]
            boto3.client("s3", **kw).create_bucket(
                Bucket="mlwarden-audit", CreateBucketConfiguration={"LocationConstraint": DEMO_REGION})
            endpoint = boto3.client("sagemaker", **kw).list_endpoints()["Endpoints"][0]["EndpointName"]
            cfg = AuditConfig(bucket="mlwarden-audit", kms_key=key, regions=(DEMO_REGION,),
                              endpoint_url=server.url, formats=("json", "html"))
            event = {
                "version": "0", "id": "bench", "detail-type": "AWS API Call via CloudTrail",
                "source": "aws.sagemaker", "account": "123456789012", "region": DEMO_REGION,
                "time": "2026-11-27T10:00:00Z", "resources": [],
                "detail": {"eventSource": "sagemaker.amazonaws.com", "eventName": "CreateEndpoint",
                           "awsRegion": DEMO_REGION, "requestParameters": {"endpointName": endpoint},
                           "responseElements": {}, "eventType": "AwsApiCall"},
            }
            times, out = [], {}
            for _ in range(args.repeat):
                t = time.perf_counter()
                out = handler(event, None, config=cfg)
                times.append(time.perf_counter() - t)
            t = time.perf_counter()
            full = handler({"detail-type": "Scheduled Event", "source": "aws.events"}, None, config=cfg)
            full_s = time.perf_counter() - t
    finally:
        server.stop()
    print(f"event scan of endpoint {endpoint}: {out['resources']} resources read, "
          f"median {statistics.median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, n={len(times)})")
    print(f"full scheduled scan of the same estate: {full_s:.2f} s ({full['counts']})")
    print(f"ratio full/event: {full_s / statistics.median(times):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
