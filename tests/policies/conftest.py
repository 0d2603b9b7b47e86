"""Fixtures for the policy-tooling tests: one local OPA server for the session."""
from __future__ import annotations

import os

import pytest

from mlwarden.engine.opa_engine import OpaServer, find_opa_binary

NO_OPA = ("no `opa` binary (run scripts/bootstrap.sh opa, put opa on PATH or set MLWARDEN_OPA); "
          "CI builds it, so there this test runs")


@pytest.fixture(scope="session")
def opa_binary():
    binary = find_opa_binary()
    if binary is None:
        pytest.skip(NO_OPA)
    return binary


@pytest.fixture(scope="session")
def opa_server(opa_binary):
    """`opa run --server` on a free 127.0.0.1 port, shared by the session's tests. It
    answers only requests with its bearer token: OpaEngine(url=...) sends it from
    MLWARDEN_OPA_TOKEN, as it would an organisation's server's token."""
    server = OpaServer(opa_binary).start()
    before = os.environ.get("MLWARDEN_OPA_TOKEN")
    os.environ["MLWARDEN_OPA_TOKEN"] = server.token
    yield server
    server.stop()
    if before is None:
        os.environ.pop("MLWARDEN_OPA_TOKEN", None)
    else:
        os.environ["MLWARDEN_OPA_TOKEN"] = before
