"""The benchmark's AWS simulation answers like AWS: calls over an operation's rate get
that protocol's throttling error, which botocore classifies as throttling and retries
until the call succeeds; other operations keep their own budget."""
from __future__ import annotations

import http.client
import json
import urllib.request

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import RetryContext, ThrottledRetryableChecker

from benchmarks.aws_sim.proxy import SimProxy
from benchmarks.aws_sim.throttle import RateLimits

from ..conftest import REGION

# (service, call, kwargs, expected error code, expected HTTP status) per wire protocol
PROTOCOLS = [
    ("sagemaker", "list_models", {}, "ThrottlingException", 400),     # JSON
    ("kms", "list_keys", {}, "ThrottlingException", 400),             # JSON
    ("iam", "list_roles", {}, "Throttling", 400),                     # query
    ("ec2", "describe_vpcs", {}, "RequestLimitExceeded", 503),        # EC2 query
    ("s3", "list_buckets", {}, "SlowDown", 503),                      # REST-XML
]


@pytest.fixture
def proxy(moto_server):
    # A bucket of two requests per operation that refills once in 100 seconds: the third
    # call is over the rate however slow the machine.
    with SimProxy(moto_server.url, latency=0, limits=RateLimits(default=0.01, burst_seconds=200)) as p:
        yield p


def _client(proxy, service: str, attempts: int):
    return boto3.client(service, region_name=REGION, endpoint_url=proxy.url,
                        config=Config(retries={"mode": "standard", "total_max_attempts": attempts}))


@pytest.mark.parametrize("service,call,kwargs,code,status", PROTOCOLS, ids=[p[0] for p in PROTOCOLS])
def test_over_the_rate_is_aws_throttling_error(proxy, service, call, kwargs, code, status):
    client = _client(proxy, service, attempts=1)
    getattr(client, call)(**kwargs)
    getattr(client, call)(**kwargs)
    with pytest.raises(ClientError) as err:
        getattr(client, call)(**kwargs)
    response = err.value.response
    assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == (code, status)
    # botocore's retry handlers treat it as throttling (back off, and adaptive mode slows down)
    assert ThrottledRetryableChecker().is_retryable(RetryContext(attempt_number=1, parsed_response=response))
    op = next(k for k in proxy.stats()["operations"] if k.startswith(f"{service}:"))
    assert proxy.stats()["operations"][op] == {"calls": 3, "throttled": 1}


def test_botocore_retries_through_throttling_and_every_call_succeeds(moto_server):
    # Five per second, one at a time: quick calls are throttled, and back-off gets them through.
    with SimProxy(moto_server.url, latency=0, limits=RateLimits(default=5, burst_seconds=0.2)) as p:
        client = _client(p, "sagemaker", attempts=10)
        results = [client.list_models() for _ in range(4)]
        stats = p.stats()["operations"]["sagemaker:ListModels"]
    assert all(r["ResponseMetadata"]["HTTPStatusCode"] == 200 for r in results)
    assert sum(r["ResponseMetadata"]["RetryAttempts"] for r in results) == stats["throttled"] >= 1
    assert stats["calls"] == 4 + stats["throttled"]


def test_each_operation_has_its_own_bucket(proxy):
    client = _client(proxy, "sagemaker", attempts=1)
    client.list_models()
    client.list_models()
    with pytest.raises(ClientError):
        client.list_models()
    client.list_endpoints()   # another operation of the same service: not throttled
    client.list_endpoints()
    ops = proxy.stats()["operations"]
    assert ops["sagemaker:ListEndpoints"] == {"calls": 2, "throttled": 0}
    assert proxy.stats()["throttled"] == 1


def test_per_operation_rates_override_the_default(moto_server):
    limits = RateLimits(default=0.01, burst_seconds=100, per_operation={"sagemaker:ListModels": 0})
    with SimProxy(moto_server.url, latency=0, limits=limits) as p:
        client = _client(p, "sagemaker", attempts=1)
        for _ in range(5):
            client.list_models()        # 0: unlimited
        client.list_endpoints()
        with pytest.raises(ClientError):
            client.list_endpoints()
        assert p.stats()["throttled"] == 1


def test_s3_virtual_hosted_requests_are_named_and_forwarded(proxy, moto_server):
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=moto_server.url)
    s3.create_bucket(Bucket="sim-vhost", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="sim-vhost", Key="models/m.tar.gz", Body=b"weights")
    try:
        port = int(proxy.url.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        # As botocore sends a virtual-hosted request: the bucket in the Host header.
        conn.request("HEAD", "/models/m.tar.gz", headers={
            "Host": f"sim-vhost.127.0.0.1:{port}",
            "Authorization": f"AWS4-HMAC-SHA256 Credential=testing/20261202/{REGION}/s3/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200 and resp.getheader("Content-Length") == "7"
        assert "s3:HeadObject" in proxy.stats()["operations"]
    finally:
        s3.delete_object(Bucket="sim-vhost", Key="models/m.tar.gz")
        s3.delete_bucket(Bucket="sim-vhost")


def test_the_scans_service_catalog_eventbridge_and_lambda_calls_are_named(proxy):
    """The four `unknown:POST /` requests a benchmark run counted (docs/scale.md) were
    Service Catalog's ListPortfolios, SearchProductsAsAdmin and SearchProvisionedProducts
    and EventBridge's ListRules: JSON-protocol calls (the operation in X-Amz-Target) of
    services the proxy did not index; Lambda's ListFunctions (REST) was unnamed too."""
    sc = _client(proxy, "servicecatalog", attempts=1)
    sc.list_portfolios()
    sc.search_provisioned_products(AccessLevelFilter={"Key": "Account", "Value": "self"})
    _client(proxy, "events", attempts=1).list_rules(Limit=100)
    _client(proxy, "lambda", attempts=1).list_functions()
    ops = proxy.stats()["operations"]
    assert not [k for k in ops if k.startswith("unknown:")], ops
    assert {"servicecatalog:ListPortfolios", "servicecatalog:SearchProvisionedProducts", "events:ListRules",
            "lambda:ListFunctions"} <= set(ops)


def test_every_collectors_service_is_named():
    from benchmarks.aws_sim.proxy import SERVICES
    from mlwarden.collectors.base import registry
    assert {spec.service for spec in registry().values()} <= set(SERVICES)


def test_stats_and_reset_over_http(proxy):
    _client(proxy, "sagemaker", attempts=1).list_models()
    with urllib.request.urlopen(f"{proxy.url}/_sim/stats") as resp:
        assert json.load(resp)["operations"]["sagemaker:ListModels"]["calls"] == 1
    urllib.request.urlopen(urllib.request.Request(f"{proxy.url}/_sim/reset", method="POST")).read()
    assert proxy.stats()["calls"] == 0
