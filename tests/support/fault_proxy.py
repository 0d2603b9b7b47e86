"""A fault-injecting HTTP proxy in front of a moto server, on 127.0.0.1.

It names the AWS operation of every request from botocore's own service models
(the SigV4 credential scope gives the service, then X-Amz-Target for JSON
protocols, Action= for query protocols, or method + path + query for REST ones)
and, for one chosen operation, answers with a fault instead of moto's answer.
Every other request is forwarded unchanged. It records which operations it saw,
so a test can check that the scanner calls only what it declares.
"""
from __future__ import annotations

import http.client
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import botocore.session

# The fault kinds, each as a user's AWS endpoint might misbehave.
FAULT_KINDS = ("access_denied", "throttle", "http_500", "html_200", "html_502",
               "truncated_200", "empty_200", "reset", "hang")

_HTML = (b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
         b"<body><h1>Bad Gateway</h1><p>The proxy could not reach the upstream.</p></body></html>")
_CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")


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


_DENIED = {"json": "AccessDeniedException", "rest-json": "AccessDeniedException",
           "ec2": "UnauthorizedOperation", "query": "AccessDenied", "rest-xml": "AccessDenied"}
_THROTTLED = {"json": ("ThrottlingException", 400), "rest-json": ("ThrottlingException", 429),
              "ec2": ("RequestLimitExceeded", 503), "query": ("Throttling", 400),
              "rest-xml": ("SlowDown", 503)}


class FaultProxy:
    """`with FaultProxy(upstream, services) as proxy:` then `proxy.url`; `proxy.inject(...)`."""

    def __init__(self, upstream: str, services: list[str], *, hang_seconds: float = 3.0):
        self.upstream = urlsplit(upstream)
        self.index = OperationIndex(services)
        self.hang_seconds = hang_seconds
        self.fault: tuple[str, str, str] | None = None   # (service, operation, kind)
        self.seen: set[tuple[str, str]] = set()
        self.unknown: set[str] = set()
        self.injected = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def inject(self, service: str, operation: str, kind: str) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self.fault, self.injected = (service, operation, kind), 0

    def clear(self) -> None:
        with self._lock:
            self.fault = None

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _forward(self, method: str, path: str, headers, body: bytes) -> tuple[int, list, bytes]:
        conn = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=60)
        try:
            fwd = {k: v for k, v in headers.items() if k.lower() not in ("connection", "keep-alive")}
            conn.request(method, path, body=body or None, headers=fwd)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, [(k, v) for k, v in resp.getheaders()
                                 if k.lower() not in ("transfer-encoding", "connection",
                                                      "content-length", "keep-alive")], data
        finally:
            conn.close()

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet: the test reports what matters
                pass

            def _any(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                op = proxy.index.identify(self.command, self.path, self.headers, body)
                with proxy._lock:
                    if op is None:
                        proxy.unknown.add(f"{self.command} {self.path.split('?')[0]}")
                    else:
                        proxy.seen.add((op.service, op.name))
                    fault = proxy.fault
                    hit = op is not None and fault is not None and fault[:2] == (op.service, op.name)
                    if hit:
                        proxy.injected += 1
                if hit:
                    return self._fault(op, fault[2], body)
                status, headers, data = proxy._forward(self.command, self.path, self.headers, body)
                try:
                    self._send(status, headers, data)
                except OSError:  # the client gave up (its read timeout): nothing to answer
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

            def _send(self, status: int, headers, data: bytes, length: int | None = None):
                self.send_response(status)
                for k, v in (headers.items() if isinstance(headers, dict) else headers):
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data) if length is None else length))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _fault(self, op: Operation, kind: str, body: bytes):
                if kind == "access_denied":
                    status = 400 if op.protocol == "json" else 403
                    return self._send(*error_answer(op.protocol, _DENIED[op.protocol],
                                                    "injected: not authorized", status))
                if kind == "throttle":
                    code, status = _THROTTLED[op.protocol]
                    return self._send(*error_answer(op.protocol, code, "injected: rate exceeded", status))
                if kind == "http_500":
                    return self._send(*error_answer(op.protocol, "InternalFailure", "injected", 500))
                if kind in ("html_200", "html_502"):
                    return self._send(200 if kind == "html_200" else 502,
                                      {"Content-Type": "text/html"}, _HTML)
                if kind == "empty_200":
                    return self._send(200, {}, b"")
                if kind == "truncated_200":
                    status, headers, data = proxy._forward(self.command, self.path, self.headers, body)
                    return self._send(status, headers, data[: len(data) // 2])
                if kind == "reset":
                    return self._reset()
                if kind == "hang":
                    time.sleep(proxy.hang_seconds)
                    return self._reset()
                raise AssertionError(kind)

            def _reset(self):
                # SO_LINGER 0: close() sends a TCP RST, as a dropped connection does.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def finish(self):
                try:
                    super().finish()
                except OSError:
                    pass

        return Handler
