"""A 127.0.0.1 HTTP proxy in front of the moto server that loses answers.

Every request is forwarded to moto and logged (`requests`: the API operation, from
X-Amz-Target or the query's Action, else method and path). For a request the test
chose (`drop`), moto's answer is read and thrown away and the client's connection
reset, as a network failure between AWS and the caller would: the change is made,
the caller never hears of it. That is the case exactly-once writes must survive.
"""
from __future__ import annotations

import http.client
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlsplit

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


class LossyProxy:
    def __init__(self, upstream_port: int, *, drop: Callable[[str, int], bool] = lambda op, n: False):
        self.upstream_port = upstream_port
        # drop(operation, n): n counts that operation's requests so far, from 1.
        self.drop = drop
        self.requests: list[str] = []
        self.dropped: list[str] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):    # quiet: the request log is `requests`
                pass

            def _forward(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                op = _operation(self.command, self.path, self.headers, body)
                with proxy._lock:
                    proxy.requests.append(op)
                    n = proxy.requests.count(op)
                    lose = proxy.drop(op, n)
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                data = answer.read()
                upstream.close()
                if lose:
                    with proxy._lock:
                        proxy.dropped.append(op)
                    # RST instead of an answer: linger 0, then close.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                self.send_response(answer.status)
                for k, v in answer.getheaders():
                    if k.lower() not in HOP_BY_HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _forward

            def finish(self):
                try:
                    super().finish()
                except OSError:     # the connection we reset on purpose
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "LossyProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


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
