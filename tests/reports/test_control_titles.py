"""The HTML report names framework controls by their titles, not bare ids."""
from __future__ import annotations

from mlwarden.evaluate import FindingsDocument
from mlwarden.model import Finding, Severity, Status
from mlwarden.reports.base import RenderContext
from mlwarden.reports.write import parse_formats, write_reports


def test_fsbp_controls_show_their_titles(tmp_path):
    finding = Finding(
        policy_id="MLW-NET-018", title="Model monitoring jobs run with network isolation", severity=Severity.MEDIUM,
        category="network", status=Status.FAIL,
        resource={"type": "AWS::SageMaker::DataQualityJobDefinition", "id": "dq", "arn": "", "account": "1",
                  "region": "eu-west-1", "source": {"kind": "live"}},
        message="data quality job definition dq does not isolate its jobs", controls={"AWS-FSBP": ["SageMaker.11"]},
        remediation={}, evidence={})
    scan = {"accounts": ["1"], "regions": ["eu-west-1"], "started": "2026-12-01T00:00:00+00:00",
            "finished": "2026-12-01T00:01:00+00:00", "tool_version": "test", "engine": "opa", "policy_count": 1,
            "resource_count": 1, "run_by": "test", "kind": "scan"}
    doc = FindingsDocument(scan=scan, findings=[finding], coverage=[])
    written = write_reports(doc, parse_formats("html"), RenderContext(out_dir=tmp_path))
    html = written["html"].read_text()
    assert "SageMaker data quality job definitions should have network isolation enabled" in html
