"""The simulation proxy: every request to the moto server behind it waits a round
trip (`latency`), is metered per (service, operation) and, over its rate, answered
with the throttling error AWS sends for that protocol instead of being forwarded.

A `ForwardingProxy` (http_proxy.py, which the test suite's fault and lossy proxies share).
Operations are named from botocore's service models (X-Amz-Target for JSON protocols,
Action= for query protocols, method and path for REST ones; S3 virtual-hosted requests
are turned into path-style ones).
Counters per operation are served at GET /_sim/stats (JSON) and zeroed, with the
buckets refilled, by POST /_sim/reset.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import Counter

from .http_proxy import THROTTLED, Exchange, ForwardingProxy, OperationIndex, error_answer
from .throttle import RateLimits, Throttle

# Every service a scan by mlwarden or Prowler's SageMaker checks may call: these, and the
# service of every collector (scanner/collectors), so a new collector's calls are named.
# Without the collectors' own, Service Catalog (ListPortfolios, SearchProductsAsAdmin,
# SearchProvisionedProducts) and EventBridge (ListRules) were the four `unknown:POST /`
# requests of a run (JSON protocol: an X-Amz-Target no indexed service declares), and
# Lambda's ListFunctions an `unknown:GET /2015-03-31/functions`.
_CALLED_DIRECTLY = ["sagemaker", "s3", "s3control", "iam", "sts", "kms", "ec2", "signer", "service-quotas",
                    "application-autoscaling", "resourcegroupstaggingapi", "organizations", "cloudwatch",
                    "logs", "securityhub", "account", "cloudformation"]


def _services() -> list[str]:
    from mlwarden.collectors.base import registry
    return sorted({*_CALLED_DIRECTLY, *(spec.service for spec in registry().values())})


SERVICES = _services()

_LOCAL_SUFFIX = re.compile(r"^([^.]+)\.(?:127\.0\.0\.1|localhost|s3[.-].*amazonaws\.com)$")


class SimProxy(ForwardingProxy):
    """`with SimProxy(upstream, latency=0.04, limits=RateLimits(default=10)) as p:` then `p.url`."""

    def __init__(self, upstream: str, *, latency: float = 0.04, limits: RateLimits = RateLimits(),
                 port: int = 0):
        # A listen() backlog for a scan's many connections opened at once.
        super().__init__(upstream, port=port, timeout=120, backlog=256)
        self.latency = latency
        self.throttle = Throttle(limits)
        self.index = OperationIndex(SERVICES)
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self._lock = threading.Lock()

    def stats(self) -> dict:
        with self._lock:
            ops = {k: {"calls": n, "throttled": self.throttled.get(k, 0)}
                   for k, n in sorted(self.calls.items())}
        return {"calls": sum(v["calls"] for v in ops.values()),
                "throttled": sum(v["throttled"] for v in ops.values()),
                "latency_ms": self.latency * 1000, "default_rate": self.throttle.limits.default,
                "operations": ops}

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.throttled.clear()
        self.throttle.reset()

    def handle(self, x: Exchange) -> None:
        if x.path.startswith("/_sim/"):
            return self._control(x)
        path, headers = self._path_style(x)
        op = self.index.identify(x.method, path, headers, x.body)
        key = f"{op.service}:{op.name}" if op else f"unknown:{x.method} {path.split('?')[0]}"
        admitted = self.throttle.admit(*key.split(":", 1))
        with self._lock:
            self.calls[key] += 1
            if not admitted:
                self.throttled[key] += 1
        time.sleep(self.latency)
        if not admitted:
            code, status = THROTTLED[op.protocol] if op else ("ThrottlingException", 400)
            return x.send(*error_answer(op.protocol if op else "json", code, "Rate exceeded", status))
        x.send(*self.forward(x.method, path, headers, x.body))

    def _path_style(self, x: Exchange) -> tuple[str, dict]:
        """S3 virtual-hosted requests (bucket.127.0.0.1:PORT/key) as path-style ones."""
        headers = dict(x.headers.items())
        host = (x.headers.get("Host") or "").rsplit(":", 1)[0]
        m = _LOCAL_SUFFIX.match(host)
        if m and not (m[1].isdigit() and len(m[1]) == 12):   # an account prefix (S3 Control)
            headers["Host"] = f"{self.upstream.hostname}:{self.upstream.port}"
            return f"/{m[1]}{x.path}", headers
        return x.path, headers

    def _control(self, x: Exchange) -> None:
        if x.path == "/_sim/stats" and x.method == "GET":
            return x.send(200, {"Content-Type": "application/json"}, json.dumps(self.stats()).encode())
        if x.path == "/_sim/reset" and x.method == "POST":
            self.reset()
            return x.send(204, {}, b"")
        return x.send(404, {}, b"")
