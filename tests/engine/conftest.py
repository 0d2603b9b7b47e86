"""Fixtures for the engine tests: a local `opa` binary, the reference engine."""
from __future__ import annotations

import pytest

from mlwarden.engine.opa_engine import find_opa_binary


@pytest.fixture(scope="session")
def opa_binary():
    binary = find_opa_binary()
    if binary is None:
        pytest.skip("no `opa` binary (run scripts/bootstrap.sh opa, put opa on PATH or set MLWARDEN_OPA); "
                    "CI builds it, so there this test runs")
    return binary
