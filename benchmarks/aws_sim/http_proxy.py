"""An HTTP proxy on 127.0.0.1 in front of an AWS stand-in (a moto server), and how it
names the AWS operation of a request. The one forwarding proxy of the repository:
the simulation proxy (proxy.py: latency and rate limits) and the test suite's fault
proxy (tests/support/fault_proxy.py) and lossy proxy (tests/support/lossy_proxy.py)
are `ForwardingProxy`s that decide, per request, what to answer instead of forwarding.

It lives here, outside the shipped package (nothing of `benchmarks/` is in the wheel),
so that benchmarks and tests share it without benchmarks importing test code.

Operations are named from botocore's own service models (`OperationIndex`): the SigV4
credential scope gives the service, then X-Amz-Target for JSON protocols, Action= for
query protocols, or method + path + query for REST ones.
"""
from __future__ import annotations

import http.client
import re
import socket
import struct
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import botocore.session

_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
# Headers of one connection, not of the request: never forwarded either way.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer",
                        "upgrade"})

# What AWS answers a request over its rate, per protocol: SageMaker, KMS and the other
# JSON services HTTP 400 ThrottlingException (e.g. SageMaker API reference, "Common
# Errors"); IAM and STS (query) 400 Throttling; EC2 503 RequestLimitExceeded (EC2 API
# reference, "Request throttling"); S3 503 SlowDown (S3 API reference, "Error
# responses"); REST-JSON services 429 ThrottlingException. botocore retries each of these
# codes as throttling (its retry handler's throttling error codes).
THROTTLED = {"json": ("ThrottlingException", 400), "query": ("Throttling", 400),
             "ec2": ("RequestLimitExceeded", 503), "rest-xml": ("SlowDown", 503),
             "rest-json": ("ThrottlingException", 429)}


@dataclass(frozen=True, kw_only=True)
class Operation:
    service: str      # botocore service name ("sagemaker", "s3control")
    name: str         # API operation ("ListTags")
    protocol: str     # json, rest-json, query, ec2, rest-xml


class OperationIndex:
    """Which botocore operation an HTTP request is, for a set of services."""

    def __init__(self, services: list[str]):
        session = botocore.session.get_session()
        self.by_signing: dict[str, list] = {}
        self.by_target: dict[str, Operation] = {}
        self.rest: dict[str, list[tuple]] = {}
        for name in services:
            model = session.get_service_model(name)
            self.by_signing.setdefault(model.signing_name, []).append(model)
            # The protocol the client speaks: botocore picks one of `protocols` by its own
            # priority (Service Catalog lists smithy-rpc-v2-cbor first and speaks JSON).
            protocol = model.resolved_protocol
            for op_name in model.operation_names:
                op = model.operation_model(op_name)
                oper = Operation(service=name, name=op_name, protocol=protocol)
                if protocol == "json":
                    self.by_target[f"{model.metadata['targetPrefix']}.{op_name}"] = oper
                elif protocol in ("rest-json", "rest-xml"):
                    self.rest.setdefault(model.signing_name, []).append(
                        (*_uri_matcher(op.http["method"], op.http["requestUri"]), oper))

    def identify(self, method: str, path: str, headers, body: bytes) -> Operation | None:
        target = headers.get("X-Amz-Target")
        if target:
            return self.by_target.get(target)
        m = _CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
        signing = m.group(1) if m else ""
        models = self.by_signing.get(signing, [])
        for model in models:
            if model.resolved_protocol in ("query", "ec2"):
                action = parse_qs(body.decode("utf-8", "replace")).get("Action", [""])[0]
                if action in model.operation_names:
                    return Operation(service=model.service_name, name=action,
                                     protocol=model.resolved_protocol)
        parts = urlsplit(path)
        query = set(parse_qs(parts.query, keep_blank_values=True))
        best = None
        for want_method, pattern, keys, literal, oper in self.rest.get(signing, []):
            if want_method == method and keys <= query and pattern.fullmatch(parts.path):
                score = (len(keys), literal)
                if best is None or score > best[0]:
                    best = (score, oper)
        return best[1] if best else None


def _uri_matcher(method: str, uri: str) -> tuple[str, re.Pattern, set, int]:
    """(method, path regex, required query keys, literal length) of a REST request URI."""
    path, _, query = uri.partition("?")
    keys = {q.split("=", 1)[0] for q in query.split("&") if q}
    regex, literal = "", 0
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{"):
            regex += ".+" if piece.endswith("+}") else "[^/]+"
        else:
            regex += re.escape(piece)
            literal += len(piece)
    # S3 path-style addressing puts the bucket first; requestUri already has {Bucket}.
    return method, re.compile(regex.rstrip("/") + "/?"), keys, literal


def error_answer(protocol: str, code: str, message: str, status: int) -> tuple[int, dict, bytes]:
    """An AWS error in the wire format of `protocol`."""
    if protocol == "json":
        body = f'{{"__type": "{code}", "message": "{message}"}}'.encode()
        return status, {"Content-Type": "application/x-amz-json-1.1"}, body
    if protocol == "rest-json":
        return status, {"Content-Type": "application/json", "x-amzn-ErrorType": code}, \
            f'{{"message": "{message}"}}'.encode()
    if protocol == "ec2":
        return status, {"Content-Type": "text/xml"}, (
            f"<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error>"
            f"</Errors><RequestID>fault-proxy</RequestID></Response>").encode()
    if protocol == "query":
        return status, {"Content-Type": "text/xml"}, (
            f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}"
            f"</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>").encode()
    return status, {"Content-Type": "application/xml"}, (
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        f"<RequestId>fault-proxy</RequestId></Error>").encode()


class Exchange:
    """One request as the proxy received it, and the ways to answer it."""

    def __init__(self, handler: BaseHTTPRequestHandler, body: bytes):
        self._handler = handler
        self.method: str = handler.command
        self.path: str = handler.path
        self.headers = handler.headers
        self.body = body

    def send(self, status: int, headers, data: bytes, length: int | None = None) -> None:
        """Answer `status` with `headers` (a dict or pairs) and `data`; Content-Length is
        `length` when given (a truncated answer), else the headers' own or len(data)."""
        h = self._handler
        try:
            h.send_response(status)
            pairs = list(headers.items() if isinstance(headers, dict) else headers)
            for k, v in pairs:
                h.send_header(k, v)
            if length is not None or not any(k.lower() == "content-length" for k, _ in pairs):
                h.send_header("Content-Length", str(len(data) if length is None else length))
            h.end_headers()
            if self.method != "HEAD":
                h.wfile.write(data)
        except OSError:   # the client gave up (its read timeout): nothing to answer
            h.close_connection = True

    def reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0), as a network failure does."""
        h = self._handler
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.close_connection = True
        h.connection.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True


class ForwardingProxy:
    """`with SomeProxy(upstream) as p:` then `p.url`. Every request is forwarded to
    `upstream` unchanged; a subclass overrides `handle` to answer some otherwise."""

    def __init__(self, upstream: str, *, port: int = 0, timeout: float = 60, backlog: int | None = None):
        self.upstream = urlsplit(upstream)
        self.timeout = timeout
        server = type("Server", (_Server,), {"request_queue_size": backlog}) if backlog else _Server
        self._server = server(("127.0.0.1", port), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def handle(self, x: Exchange) -> None:
        x.send(*self.forward(x.method, x.path, x.headers, x.body))

    def forward(self, method: str, path: str, headers, body: bytes) -> tuple[int, list, bytes]:
        """Send the request upstream: (status, headers, body) of its answer."""
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body or None,
                         headers={k: v for k, v in headers.items() if k.lower() not in HOP_BY_HOP})
            resp = conn.getresponse()
            data = resp.read()
            answer = [(k, v) for k, v in resp.getheaders()
                      if k.lower() not in HOP_BY_HOP and k.lower() != "content-length"]
            if method == "HEAD":   # the size of the object, not of the (empty) body
                answer.append(("Content-Length", resp.getheader("Content-Length") or "0"))
            return resp.status, answer, data
        finally:
            conn.close()


def _handler(proxy: ForwardingProxy):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):   # quiet: each proxy records what matters
            pass

        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            proxy.handle(Exchange(self, self.rfile.read(length) if length else b""))

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = _any

        def finish(self):
            try:
                super().finish()
            except OSError:   # a connection reset on purpose
                pass

    return Handler
