"""Fixtures for the runbook tests: in-process moto with the test-support extensions,
a read-only context for plans, a read-write one for apply, an audit log, settings."""
from __future__ import annotations

import pytest

from mlwarden import settings as settings_mod
from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options
from mlwarden.model import Finding, Severity, Status
from mlwarden.remediations.base import AuditLog, Wait
from mlwarden.remediations.engine import apply_plans, make_plans

from ..conftest import ACCOUNT, REGION

FAST = Wait(poll_seconds=0.01, timeout_seconds=5, bake_seconds=0)


@pytest.fixture
def aws(monkeypatch):
    """In-process moto without AWS managed IAM policies: loading them costs seconds per
    test, and no runbook test needs them (they build their own policies)."""
    from moto import mock_aws
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    with mock_aws(config={"iam": {"load_aws_managed_policies": False}, "lambda": {"use_docker": False}}):
        yield


@pytest.fixture
def hooks(aws, monkeypatch):
    from ..support.moto_sagemaker_updates import install
    return install(monkeypatch)


@pytest.fixture
def reader(hooks):
    return AwsContext(options=scan_options(max_workers=2))


@pytest.fixture
def writer(hooks):
    return AwsContext(options=AwsOptions(read_only=False))


@pytest.fixture
def audit(tmp_path):
    return AuditLog(tmp_path / "audit.jsonl")


@pytest.fixture
def settings():
    s = settings_mod.defaults()
    s["remediation"].update({"tag_values": {"project": "fraud", "cost-center": "cc-42",
                                            "environment": "prod"},
                             "owners": {"fraud-*": "team-fraud"}})
    return s


def finding(type_: str, id_: str, policy: str, runbook: str, *, arn: str = "", region: str = REGION,
            evidence: dict | None = None, message: str = "fails") -> Finding:
    return Finding(policy_id=policy, title=policy, severity=Severity.HIGH, category="encryption",
                   status=Status.FAIL, message=message,
                   resource={"type": type_, "id": id_, "arn": arn, "account": ACCOUNT, "region": region,
                             "source": {"kind": "live"}},
                   remediation={"runbook": runbook}, evidence=evidence or {})


class Fixer:
    """plan → apply → re-scan, as `mlwarden remediate --apply --yes` does."""

    def __init__(self, reader, writer, audit, settings):
        self.reader, self.writer, self.audit, self.settings = reader, writer, audit, settings

    def plan(self, *findings, settings=None):
        outcomes = make_plans(findings, self.reader, settings or self.settings, wait=FAST)
        errors = [o.error for o in outcomes if o.error]
        assert not errors, errors
        return [o.plan for o in outcomes]

    def apply(self, plans, *, settings=None, flags=frozenset(), verify=True):
        return apply_plans(plans, self.writer, self.audit, settings or self.settings, scan_aws=self.reader,
                           flags=flags, wait=FAST, verify=verify)


@pytest.fixture
def fixer(reader, writer, audit, settings):
    return Fixer(reader, writer, audit, settings)
