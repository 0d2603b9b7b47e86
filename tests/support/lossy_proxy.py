"""A 127.0.0.1 HTTP proxy in front of the moto server that loses answers (a
`ForwardingProxy`, benchmarks/aws_sim/http_proxy.py).

Every request is forwarded to moto and logged (`requests`: the API operation, from
X-Amz-Target or the query's Action, else method and path). For a request the test
chose (`drop`), moto's answer is read and thrown away and the client's connection
reset, as a network failure between AWS and the caller would: the change is made,
the caller never hears of it. That is the case exactly-once writes must survive.
"""
from __future__ import annotations

import threading
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from benchmarks.aws_sim.http_proxy import Exchange, ForwardingProxy


class LossyProxy(ForwardingProxy):
    def __init__(self, upstream_port: int, *, drop: Callable[[str, int], bool] = lambda op, n: False):
        super().__init__(f"http://127.0.0.1:{upstream_port}")
        # drop(operation, n): n counts that operation's requests so far, from 1.
        self.drop = drop
        self.requests: list[str] = []
        self.dropped: list[str] = []
        self._lock = threading.Lock()

    def handle(self, x: Exchange) -> None:
        op = _operation(x.method, x.path, x.headers, x.body)
        with self._lock:
            self.requests.append(op)
            n = self.requests.count(op)
            lose = self.drop(op, n)
        answer = self.forward(x.method, x.path, x.headers, x.body)
        if not lose:
            return x.send(*answer)
        with self._lock:
            self.dropped.append(op)
        x.reset()   # moto made the change; the caller hears a reset instead of its answer


def _operation(method: str, path: str, headers, body: bytes) -> str:
    target = headers.get("X-Amz-Target")
    if target:
        return target.rsplit(".", 1)[-1]          # SageMaker.UpdateEndpoint → UpdateEndpoint
    query = parse_qs(urlsplit(path).query)
    if "Action" in query:
        return query["Action"][0]
    if method == "POST" and body and headers.get("Content-Type", "").startswith("application/x-www-form"):
        form = parse_qs(body.decode(errors="replace"))
        if "Action" in form:
            return form["Action"][0]
    return f"{method} {urlsplit(path).path}"
