"""A moto server that enforces IAM, for runs whose credentials are refused or whose
every read is denied. moto checks signatures and IAM policies once its count of
unauthenticated actions (`/moto-api/reset-auth`) is used up."""
from __future__ import annotations

import json
import urllib.request
from dataclasses import dataclass

import boto3
import pytest

from ..conftest import REGION


def _post(url: str, data: bytes = b"") -> None:
    # Generous timeout: a reset reloads AWS's managed IAM policies, slow on a busy machine.
    req = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(req, timeout=120).read()


def _reset_auth(url: str, count: str) -> None:
    _post(f"{url}/moto-api/reset-auth", count.encode())


def reset(server) -> None:
    """Empty the shared moto server (its backends are per process)."""
    _post(f"{server.url}/moto-api/reset")


@dataclass(frozen=True)
class Keys:
    access_key_id: str
    secret_access_key: str

    def env(self) -> dict[str, str]:
        return {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": self.secret_access_key}


class EnforcedIam:
    def __init__(self, url: str):
        self.url = url

    def user_without_permissions(self, name: str = "auditor") -> Keys:
        """An IAM user with keys and no policy: sts:GetCallerIdentity works (it needs
        no permission, as in AWS); every read is AccessDenied."""
        _reset_auth(self.url, "2")   # the next two calls go through unauthenticated
        iam = boto3.client("iam", region_name=REGION, endpoint_url=self.url)
        iam.create_user(UserName=name)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return Keys(key["AccessKeyId"], key["SecretAccessKey"])

    def refuse_everyone(self) -> None:
        _reset_auth(self.url, "0")


@pytest.fixture
def enforced_iam(moto_server, monkeypatch):
    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    reset(moto_server)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)   # moto would look the token up too
    try:
        yield EnforcedIam(moto_server.url)
    finally:
        _reset_auth(moto_server.url, "inf")   # the shared server trusts everyone again


def findings(out) -> dict:
    return json.loads((out / "findings.json").read_text())
