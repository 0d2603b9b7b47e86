"""findings.sarif: SARIF 2.1.0 for code-scanning dashboards and CI annotations.

One rule per policy (its metadata), one result per FAIL or ERROR; WAIVED findings
are results with an accepted external suppression, so dashboards show them as
suppressed rather than losing them. Template resources point at their file and
line (physicalLocation); live resources carry their ARN (logicalLocation).
"""
from __future__ import annotations

import json
import shlex
from pathlib import PurePosixPath
from urllib.parse import quote

from mlwarden.model import Status

from .base import Renderer, register
from .common import finding_digest, policy_description, redaction_notice, resource_label, runbook_command

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads `security-severity` (a CVSS-like score) from rule properties.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
REPORTED = (Status.FAIL, Status.ERROR, Status.WAIVED)


def _rule(f) -> dict:
    description = policy_description(f.policy_id, f.title)
    remediation = f.remediation.get("runbook") if f.remediation else None
    help_text = (f"{description}\n\nRemediation: "
                 + (f"runbook `{remediation}` — `mlwarden remediate findings.json --policy {shlex.quote(f.policy_id)} "
                    f"--resource <ARN>` (dry run unless approved)." if remediation
                    else "fix the resource's configuration, then re-scan."))
    return {
        "id": f.policy_id,
        "name": f.policy_id.replace("-", ""),
        "shortDescription": {"text": f.title},
        "fullDescription": {"text": description},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": LEVEL[f.severity.value]},
        "properties": {
            "severity": f.severity.value, "category": f.category,
            "controls": [f"{fw} {c}" for fw, cs in sorted(f.controls.items()) for c in cs],
            "security-severity": SECURITY_SEVERITY[f.severity.value],
            "tags": ["security", "compliance", f.category],
            **({"remediation": f.remediation} if f.remediation else {}),
        },
    }


def _location(f) -> dict:
    res = f.resource
    src = res.get("source") or {}
    logical = {"name": res.get("id") or "", "fullyQualifiedName": resource_label(res),
               "kind": "resource"}
    loc: dict = {"logicalLocations": [logical]}
    if src.get("file"):
        path = str(src["file"]).replace("\\", "/")
        # A relative path stays relative (to the repository root, as code scanning expects).
        uri = PurePosixPath(path).as_uri() if path.startswith("/") else quote(path, safe="/:@")
        physical: dict = {"artifactLocation": {"uri": uri}}
        if src.get("line"):
            physical["region"] = {"startLine": int(src["line"])}
        loc["physicalLocation"] = physical
    return loc


def build(doc) -> dict:
    rules: dict[str, dict] = {}
    results = []
    for f in doc.findings:
        if f.policy_id not in rules:
            rules[f.policy_id] = _rule(f)
        if f.status not in REPORTED:
            continue
        level = LEVEL[f.severity.value] if f.status != Status.ERROR else "error"
        result = {
            "ruleId": f.policy_id,
            "ruleIndex": list(rules).index(f.policy_id),
            "level": level,
            "kind": "fail",
            "message": {"text": f.message or f.title},
            "locations": [_location(f)],
            "partialFingerprints": {"mlwarden/v1": finding_digest(f, 32)},
            "properties": {"status": f.status.value, "resource": f.resource,
                           "evidence": f.evidence, "runbook": runbook_command(f)},
        }
        if f.status == Status.WAIVED and f.waiver:
            w = f.waiver
            result["suppressions"] = [{"kind": "external", "status": "accepted",
                                       "justification": f"{w.get('reason', '')} (owner {w.get('owner', '?')}, "
                                                        f"expires {w.get('expires', '?')})"}]
        results.append(result)
    scan = doc.scan
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mlwarden", "version": str(scan.get("tool_version", "")),
                "semanticVersion": str(scan.get("tool_version", "")),
                "rules": list(rules.values()),
            }},
            "automationDetails": {"id": f"mlwarden/{'+'.join(scan.get('accounts') or [])}/"},
            "invocations": [{
                "executionSuccessful": True,
                **({"startTimeUtc": scan["started"]} if scan.get("started") else {}),
                **({"endTimeUtc": scan["finished"]} if scan.get("finished") else {}),
                "properties": {k: scan.get(k) for k in ("accounts", "regions", "engine", "policy_count",
                                                        "resource_count", "run_by", "redaction")},
                **({"toolExecutionNotifications": [{"level": "warning", "message": {"text": notice}}]}
                   if (notice := redaction_notice(scan)) else {}),
            }],
            "results": results,
            "properties": {"coverage_gaps": [g.to_dict() for g in doc.coverage]},
        }],
    }


def render(doc, ctx) -> bytes:
    return json.dumps(build(doc), indent=1, default=str).encode()


register(Renderer(name="sarif", filename="findings.sarif",
                  description="SARIF 2.1.0 (code scanning, CI annotations)", render=render))
