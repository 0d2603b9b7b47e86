"""findings.asff.json: AWS Security Finding Format (2018-10-08) for Security Hub.

Each finding's `Id` is stable per (policy, resource), so importing the next scan
updates the same Security Hub finding instead of adding a duplicate. All findings
of one file are imported into one "home" region (the ProductArn's region); each
resource keeps its own Region.
"""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from mlwarden.json_stream import Items, iter_bytes, iter_value
from mlwarden.model import Status

from .base import Renderer, register
from .common import finding_digest, policy_description, redaction_notice, resource_label, runbook_command
from .remediation_text import advice

SCHEMA_VERSION = "2018-10-08"
SEVERITY_LABEL = {"critical": "CRITICAL", "high": "HIGH", "medium": "MEDIUM", "low": "LOW",
                  "info": "INFORMATIONAL"}
COMPLIANCE = {Status.PASS: "PASSED", Status.FAIL: "FAILED", Status.WAIVED: "FAILED",
              Status.ERROR: "NOT_AVAILABLE", Status.NOT_ASSESSED: "NOT_AVAILABLE"}
WORKFLOW = {Status.PASS: "RESOLVED", Status.FAIL: "NEW", Status.WAIVED: "SUPPRESSED",
            Status.ERROR: "NEW", Status.NOT_ASSESSED: "NEW"}
TYPE_PREFIX = "Software and Configuration Checks/Industry and Regulatory Standards/"


def _timestamp(value: str | None) -> str:
    """ASFF wants RFC 3339 with a zone; fall back to now for documents without times."""
    if value:
        try:
            return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(
                dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        except ValueError:
            pass
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def asff_resource_type(cfn_type: str) -> str:
    """AWS::SageMaker::NotebookInstance → AwsSageMakerNotebookInstance, the naming
    ASFF uses for its resource types; our own MLW:: documents are "Other"."""
    parts = cfn_type.split("::")
    if len(parts) == 3 and parts[0] == "AWS":
        return "Aws" + parts[1] + parts[2]
    return "Other"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def to_asff(f, *, account: str, home_region: str, when: str, product_account: str | None = None,
            no_redact: bool = False, description: str = "", doc=None) -> dict:
    """One finding in ASFF; `description` is the policy's rationale (common.policy_description),
    the fix is what `doc`, the findings document `f` is from, recorded (remediation_text.py)."""
    res = f.resource
    rid = resource_label(res)
    if not res.get("arn"):
        rid = "/".join(str(res.get(k) or "-") for k in ("type", "account", "region", "id"))
    acct = str(res.get("account") or account)
    types = [TYPE_PREFIX + fw for fw in sorted(f.controls)] or \
        ["Software and Configuration Checks/AWS Security Best Practices"]
    src = res.get("source") or {}
    finding = {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": f"mlwarden/{acct}/{f.policy_id}/{finding_digest(f, 40)}",
        # The importing account's default product; each finding names its own account.
        "ProductArn": f"arn:aws:securityhub:{home_region}:{product_account or acct}:product/"
                      f"{product_account or acct}/default",
        "ProductName": "mlwarden",
        "CompanyName": "mlwarden",
        "GeneratorId": f.policy_id,
        "AwsAccountId": acct,
        "Types": types[:50],
        "CreatedAt": when,
        "UpdatedAt": when,
        "Severity": {"Label": SEVERITY_LABEL[f.severity.value]},
        "Title": _truncate(f"{f.policy_id} {f.title}", 256),
        "Description": _truncate(f"{f.message}\n\n{description or f.title}", 1024),
        "Resources": [{
            "Type": asff_resource_type(res.get("type") or ""),
            "Id": _truncate(rid, 512),
            "Partition": "aws",
            "Region": res.get("region") or home_region,
            "Details": {"Other": {"mlwarden:type": _truncate(str(res.get("type") or ""), 1024),
                                  "mlwarden:source": _truncate(str(src.get("kind", "")), 1024)}},
        }],
        "Compliance": {
            "Status": COMPLIANCE[f.status],
            "RelatedRequirements": [_truncate(f"{fw} {c}", 256)
                                    for fw, cs in sorted(f.controls.items()) for c in cs][:32],
        },
        "Workflow": {"Status": WORKFLOW[f.status]},
        "RecordState": "ACTIVE",
        "ProductFields": {"mlwarden/status": f.status.value, "mlwarden/category": f.category,
                          "mlwarden/runbook": _truncate(runbook_command(f), 1024),
                          **({"mlwarden/redaction": "disabled (--no-redact)"} if no_redact else {})},
    }
    if f.status != Status.PASS:
        # In words; a command only where a runbook can act on the finding.
        fix = advice(doc, f)
        command = (f" Run: {runbook_command(f)} (dry run unless approved)."
                   if fix.runbook and f.status == Status.FAIL else "")
        finding["Remediation"] = {"Recommendation": {"Text": _truncate(fix.text() + command, 512)}}
    if f.waiver:
        finding["Note"] = {"Text": _truncate(f"Waived: {f.waiver.get('reason', '')}", 512),
                           "UpdatedBy": _truncate(str(f.waiver.get("owner", "mlwarden")), 512),
                           "UpdatedAt": when}
    return finding


def build(doc, *, home_region: str | None = None, product_account: str | None = None) -> list[dict]:
    return list(iter_asff(doc, home_region=home_region, product_account=product_account))


def iter_asff(doc, *, home_region: str | None = None, product_account: str | None = None) -> Iterator[dict]:
    """The findings in ASFF, one at a time."""
    scan = doc.scan
    account = (scan.get("accounts") or ["000000000000"])[0]
    home = home_region or (scan.get("regions") or ["us-east-1"])[0]
    when = _timestamp(scan.get("finished") or scan.get("started"))
    no_redact = redaction_notice(scan) is not None
    for f in doc.findings:
        yield to_asff(f, account=account, home_region=home, when=when, product_account=product_account,
                      no_redact=no_redact, description=policy_description(doc, f), doc=doc)


def stream(doc, ctx) -> Iterator[bytes]:
    """`json.dumps(build(doc), indent=1, default=str)` a finding at a time: an account's
    findings were 359 MB as ASFF dicts and text."""
    return iter_bytes(iter_value(Items(lambda: iter_asff(doc))))


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="asff", filename="findings.asff.json",
                  description="AWS Security Finding Format (Security Hub BatchImportFindings)",
                  render=render, stream=stream))
