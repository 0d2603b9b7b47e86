"""A moto server holding the demo estate, shared by the end-to-end tests of a module.

The estate is seeded through boto3 over HTTP, exactly as `mlwarden demo` does, and
the CLI under test reaches it only through `--endpoint-url`.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ..support.demo_estate import seeded_demo_server

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def seeded_server():
    with seeded_demo_server() as (server, estate):
        yield server, estate


def mlwarden_exe() -> str:
    """The installed console script, as a user runs it."""
    exe = REPO / ".venv" / "bin" / "mlwarden"
    return str(exe) if exe.exists() else shutil.which("mlwarden") or "mlwarden"


def subprocess_env() -> dict:
    """The environment of a user's shell, with fake credentials and no real AWS."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k != "PYTEST_CURRENT_TEST"}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_SESSION_TOKEN="testing", AWS_DEFAULT_REGION="eu-west-1")
    return env
