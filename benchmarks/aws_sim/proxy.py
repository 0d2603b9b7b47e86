"""The simulation proxy: every request to the moto server behind it waits a round
trip (`latency`), is metered per (service, operation) and, over its rate, answered
with the throttling error AWS sends for that protocol instead of being forwarded.

Operations are named from botocore's service models, as the fault proxy of the test
suite names them (X-Amz-Target for JSON protocols, Action= for query protocols, method
and path for REST ones; S3 virtual-hosted requests are turned into path-style ones).
Counters per operation are served at GET /_sim/stats (JSON) and zeroed, with the
buckets refilled, by POST /_sim/reset.
"""
from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.support.fault_proxy import OperationIndex, error_answer

from .throttle import RateLimits, Throttle

# Every service a scan by mlwarden or Prowler's SageMaker checks may call.
SERVICES = ["sagemaker", "s3", "s3control", "iam", "sts", "kms", "ec2", "signer", "service-quotas",
            "application-autoscaling", "resourcegroupstaggingapi", "organizations", "cloudwatch",
            "logs", "securityhub", "account"]

# What AWS answers a request over its rate, per protocol: SageMaker, KMS and the other
# JSON services HTTP 400 ThrottlingException (e.g. SageMaker API reference, "Common
# Errors"); IAM and STS (query) 400 Throttling; EC2 503 RequestLimitExceeded (EC2 API
# reference, "Request throttling"); S3 503 SlowDown (S3 API reference, "Error
# responses"); REST-JSON services 429 ThrottlingException. botocore retries each of these
# codes as throttling (its retry handler's throttling error codes).
THROTTLED = {"json": ("ThrottlingException", 400), "query": ("Throttling", 400),
             "ec2": ("RequestLimitExceeded", 503), "rest-xml": ("SlowDown", 503),
             "rest-json": ("ThrottlingException", 429)}
_LOCAL_SUFFIX = re.compile(r"^([^.]+)\.(?:127\.0\.0\.1|localhost|s3[.-].*amazonaws\.com)$")
_HOP_BY_HOP = {"transfer-encoding", "connection", "content-length", "keep-alive"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256   # listen() backlog: a scan opens many connections at once


class SimProxy:
    """`with SimProxy(upstream, latency=0.04, limits=RateLimits(default=10)) as p:` then `p.url`."""

    def __init__(self, upstream: str, *, latency: float = 0.04, limits: RateLimits = RateLimits(),
                 port: int = 0):
        self.upstream = urlsplit(upstream)
        self.latency = latency
        self.throttle = Throttle(limits)
        self.index = OperationIndex(SERVICES)
        self.calls: Counter[str] = Counter()
        self.throttled: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", port), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "SimProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

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

    def _forward(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=120)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            headers = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP_BY_HOP]
            if method == "HEAD":   # the size of the object, not of the (empty) body
                headers.append(("Content-Length", resp.getheader("Content-Length") or "0"))
            return resp.status, headers, data
        finally:
            conn.close()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.startswith("/_sim/"):
                    return self._control()
                path, headers = self._path_style()
                op = proxy.index.identify(self.command, path, headers, body)
                key = f"{op.service}:{op.name}" if op else f"unknown:{self.command} {path.split('?')[0]}"
                admitted = proxy.throttle.admit(*key.split(":", 1))
                with proxy._lock:
                    proxy.calls[key] += 1
                    if not admitted:
                        proxy.throttled[key] += 1
                time.sleep(proxy.latency)
                if not admitted:
                    code, status = THROTTLED[op.protocol] if op else ("ThrottlingException", 400)
                    return self._send(*error_answer(op.protocol if op else "json", code,
                                                    "Rate exceeded", status))
                status, answer_headers, data = proxy._forward(self.command, path, headers, body)
                self._send(status, answer_headers, data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _any

            def _path_style(self) -> tuple[str, dict]:
                """S3 virtual-hosted requests (bucket.127.0.0.1:PORT/key) as path-style ones."""
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "keep-alive")}
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
                m = _LOCAL_SUFFIX.match(host)
                if m and not (m[1].isdigit() and len(m[1]) == 12):   # an account prefix (S3 Control)
                    headers["Host"] = f"{proxy.upstream.hostname}:{proxy.upstream.port}"
                    return f"/{m[1]}{self.path}", headers
                return self.path, headers

            def _control(self):
                if self.path == "/_sim/stats" and self.command == "GET":
                    return self._send(200, {"Content-Type": "application/json"},
                                      json.dumps(proxy.stats()).encode())
                if self.path == "/_sim/reset" and self.command == "POST":
                    proxy.reset()
                    return self._send(204, {}, b"")
                return self._send(404, {}, b"")

            def _send(self, status: int, headers, data: bytes):
                try:
                    self.send_response(status)
                    pairs = list(headers.items() if isinstance(headers, dict) else headers)
                    for k, v in pairs:
                        self.send_header(k, v)
                    if not any(k.lower() == "content-length" for k, _ in pairs):
                        self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                except OSError:   # the client gave up (its read timeout)
                    self.close_connection = True

        return Handler
