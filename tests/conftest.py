"""Shared fixtures. moto stands in for AWS: in process (`aws`) or as a server
on 127.0.0.1 (`moto_server`), exactly as a real endpoint would be reached."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REGION = "eu-west-1"
ACCOUNT = "123456789012"  # moto's default account


@pytest.fixture(autouse=True)
def _fake_aws_env(monkeypatch):
    """No test ever reaches real AWS: fake credentials, no profile, a default region."""
    for k in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(k, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")


# The redaction key of this test run (and of the commands it starts), not the one of the
# machine's user in ~/.config/mlwarden; set for the whole session, module fixtures included.
os.environ["MLWARDEN_REDACTION_KEY_FILE"] = str(Path(tempfile.mkdtemp(prefix="mlw-key-")) / "redaction.key")


@pytest.fixture
def aws():
    """moto in process, with AWS managed IAM policies loaded."""
    from moto import mock_aws
    with mock_aws(config={"iam": {"load_aws_managed_policies": True},
                          "lambda": {"use_docker": False}}):
        yield


@pytest.fixture(scope="session")
def moto_server():
    """One moto server on a free 127.0.0.1 port for the session; reset it per test
    with `moto_server.reset()` when state matters."""
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    from mlwarden.demo.server import MotoServer
    server = MotoServer().start()
    yield server
    server.stop()


@pytest.fixture
def aws_context(aws):
    """An AwsContext on in-process moto, read-only like a scan."""
    from mlwarden.aws.session import AwsContext, AwsOptions
    return AwsContext(options=AwsOptions(max_workers=4))


@pytest.fixture
def scope(aws_context):
    from mlwarden.collectors.base import Scope
    return Scope(aws=aws_context, account=ACCOUNT, region=REGION)
