"""A local AWS stand-in: moto's server on a free 127.0.0.1 port.

Used by `mlwarden demo` and by the tests that exercise the real network path.
moto is an optional dependency (`mlwarden[demo]`), imported only here.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import socket
import urllib.request
from contextlib import contextmanager
from typing import Iterator

from ..errors import InputError

# Credentials moto accepts; never real ones.
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_moto() -> None:
    """One line naming the extra, before anything starts (moto_extensions patches moto
    before the server does, so the first import would otherwise be a traceback)."""
    if importlib.util.find_spec("moto") is None:
        raise InputError("the demo needs moto: pip install 'mlwarden[demo]'")


class MotoServer:
    def __init__(self, port: int | None = None):
        require_moto()
        from moto.server import ThreadedMotoServer
        # AWS managed IAM policies (AmazonSageMakerFullAccess…) exist only when asked for.
        os.environ.setdefault("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
        self.port = port or free_port()
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        # werkzeug logs every request to stderr; the demo's output is the report, not that.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "MotoServer":
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()

    def reset(self) -> None:
        req = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        urllib.request.urlopen(req, timeout=10).read()


@contextmanager
def moto_server(port: int | None = None) -> Iterator[MotoServer]:
    server = MotoServer(port).start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def fake_credentials() -> Iterator[None]:
    """Point boto3 at fake credentials for the duration (restores what was there)."""
    saved = {k: os.environ.get(k) for k in (*FAKE_CREDENTIALS, "AWS_PROFILE")}
    os.environ.update(FAKE_CREDENTIALS)
    os.environ.pop("AWS_PROFILE", None)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
