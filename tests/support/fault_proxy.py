"""A fault-injecting HTTP proxy in front of a moto server, on 127.0.0.1.

A `ForwardingProxy` (benchmarks/aws_sim/http_proxy.py, shared with the benchmarks'
simulation proxy) that names the AWS operation of every request from botocore's own
service models and, for one chosen operation, answers with a fault instead of moto's
answer. Every other request is forwarded unchanged. It records which operations it
saw, so a test can check that the scanner calls only what it declares.
"""
from __future__ import annotations

import threading
import time

from benchmarks.aws_sim.http_proxy import (THROTTLED, Exchange, ForwardingProxy, Operation, OperationIndex,
                                           error_answer)

# The fault kinds, each as a user's AWS endpoint might misbehave.
FAULT_KINDS = ("access_denied", "throttle", "http_500", "html_200", "html_502",
               "truncated_200", "empty_200", "reset", "hang")

_HTML = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
         b"<body><h1>Bad Gateway</h1><p>The proxy could not reach the upstream.</p></body></html>")
_DENIED = {"json": "AccessDeniedException", "rest-json": "AccessDeniedException",
           "ec2": "UnauthorizedOperation", "query": "AccessDenied", "rest-xml": "AccessDenied"}


class FaultProxy(ForwardingProxy):
    """`with FaultProxy(upstream, services) as proxy:` then `proxy.url`; `proxy.inject(...)`."""

    def __init__(self, upstream: str, services: list[str], *, hang_seconds: float = 3.0):
        super().__init__(upstream)
        self.index = OperationIndex(services)
        self.hang_seconds = hang_seconds
        self.fault: tuple[str, str, str] | None = None   # (service, operation, kind)
        self.seen: set[tuple[str, str]] = set()
        self.unknown: set[str] = set()
        self.injected = 0
        self._lock = threading.Lock()

    def inject(self, service: str, operation: str, kind: str) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self.fault, self.injected = (service, operation, kind), 0

    def clear(self) -> None:
        with self._lock:
            self.fault = None

    def handle(self, x: Exchange) -> None:
        op = self.index.identify(x.method, x.path, x.headers, x.body)
        with self._lock:
            if op is None:
                self.unknown.add(f"{x.method} {x.path.split('?')[0]}")
            else:
                self.seen.add((op.service, op.name))
            fault = self.fault
            hit = op is not None and fault is not None and fault[:2] == (op.service, op.name)
            if hit:
                self.injected += 1
        if hit:
            return self._fault(x, op, fault[2])
        x.send(*self.forward(x.method, x.path, x.headers, x.body))

    def _fault(self, x: Exchange, op: Operation, kind: str) -> None:
        if kind == "access_denied":
            status = 400 if op.protocol == "json" else 403
            return x.send(*error_answer(op.protocol, _DENIED[op.protocol], "injected: not authorized", status))
        if kind == "throttle":
            code, status = THROTTLED[op.protocol]
            return x.send(*error_answer(op.protocol, code, "injected: rate exceeded", status))
        if kind == "http_500":
            return x.send(*error_answer(op.protocol, "InternalFailure", "injected", 500))
        if kind in ("html_200", "html_502"):
            return x.send(200 if kind == "html_200" else 502, {"Content-Type": "text/html"}, _HTML)
        if kind == "empty_200":
            return x.send(200, {}, b"")
        if kind == "truncated_200":
            status, headers, data = self.forward(x.method, x.path, x.headers, x.body)
            return x.send(status, headers, data[: len(data) // 2])
        if kind == "reset":
            return x.reset()
        if kind == "hang":
            time.sleep(self.hang_seconds)
            return x.reset()
        raise AssertionError(kind)
