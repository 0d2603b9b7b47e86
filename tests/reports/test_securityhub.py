"""Security Hub import against moto: batches of 100, re-import updates, never the
read-only scan context."""
from __future__ import annotations

import json

import boto3
import pytest
from click.testing import CliRunner

from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options
from mlwarden.audit.securityhub import import_to_securityhub
from mlwarden.cli import main

from .conftest import ACCOUNT, REGION, evaluate_inventory, hostile_inventory, notebook


@pytest.fixture
def aws(monkeypatch):
    """moto in process without AWS managed IAM policies: Security Hub needs none, and
    loading them costs seconds per test."""
    from moto import mock_aws
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "false")
    with mock_aws(config={"iam": {"load_aws_managed_policies": False}}):
        yield


@pytest.fixture(scope="module")
def big_doc(policy_dir):
    """130 notebooks × 2 policies: 260 findings, so three BatchImportFindings calls."""
    inv = hostile_inventory()
    inv.gaps = []
    inv.resources = [notebook(f"nb-{i:03d}", tags={"owner": "team"}) for i in range(130)]
    return evaluate_inventory(inv, policy_dir)


def _all_findings(client) -> list[dict]:
    out, token = [], None
    while True:
        page = client.get_findings(MaxResults=100, **({"NextToken": token} if token else {}))
        out.extend(page["Findings"])
        token = page.get("NextToken")
        if not token:
            return out


def test_import_in_batches_and_reimport_updates_instead_of_duplicating(aws, big_doc):
    session = boto3.session.Session(region_name=REGION)
    calls = []
    session.events.register("before-parameter-build.securityhub.BatchImportFindings",
                            lambda params, **kw: calls.append(len(params["Findings"])))
    hub = session.client("securityhub", region_name=REGION)
    hub.enable_security_hub()

    result = import_to_securityhub(big_doc, session, REGION)
    assert result.imported == len(big_doc.findings) == 260 and not result.failed
    assert calls == [100, 100, 60]
    first = _all_findings(hub)
    assert len(first) == 260
    assert {f["ProductArn"] for f in first} == {f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"}

    result = import_to_securityhub(big_doc, session, REGION)   # the next scan, same resources
    assert result.imported == 260
    again = _all_findings(hub)
    assert len(again) == 260
    assert {f["Id"] for f in again} == {f["Id"] for f in first}


def test_import_refuses_the_read_only_scan_context(aws, big_doc):
    with pytest.raises(ValueError, match="writes to the account"):
        import_to_securityhub(big_doc, AwsContext(options=scan_options()), REGION)
    writable = AwsContext(options=AwsOptions(read_only=False))
    writable.client("securityhub", REGION).enable_security_hub()
    assert import_to_securityhub(big_doc, writable, REGION).imported == 260


def test_cli_securityhub_import(aws, hostile_doc, tmp_path):
    path = tmp_path / "findings.json"
    hostile_doc.save(path)
    boto3.client("securityhub", region_name=REGION).enable_security_hub()
    res = CliRunner().invoke(main, ["securityhub", "import", str(path), "--region", REGION])
    assert res.exit_code == 0, res.output
    assert f"imported {len(hostile_doc.findings)} finding(s)" in res.output
    hub = boto3.client("securityhub", region_name=REGION)
    titles = {f["Title"] for f in _all_findings(hub)}
    assert any(t.startswith("TST-TAG-001") for t in titles)


def test_cli_securityhub_import_bad_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "findings.json"
    bad.write_text(json.dumps({"nothing": 1}))
    res = CliRunner().invoke(main, ["securityhub", "import", str(bad), "--region", REGION])
    assert res.exit_code == 2
    assert "not an mlwarden findings file" in res.output
