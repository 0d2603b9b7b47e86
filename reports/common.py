"""Helpers several report formats share: a finding's stable key, policy rationale,
status groups, and the comparison with a previous scan.

Not a renderer: it registers nothing.
"""
from __future__ import annotations

import hashlib
import shlex
from dataclasses import dataclass, field

from mlwarden.model import Finding, ResourceRef, Status

FAILING = (Status.FAIL, Status.ERROR)
STATUS_ORDER = ("FAIL", "ERROR", "WAIVED", "NOT_ASSESSED", "PASS")
SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")


def redaction_notice(scan: dict) -> str | None:
    """The warning every format carries when a scan ran with --no-redact, else None.
    A findings file from before redaction existed says nothing either way."""
    red = scan.get("redaction")
    if isinstance(red, dict) and red.get("enabled") is False:
        return ("NOT REDACTED (--no-redact): environment variables, hyperparameters, pipeline parameters "
                "and lifecycle scripts appear in plaintext. Local debugging only; do not share.")
    return None


def redaction_summary(scan: dict) -> str:
    red = scan.get("redaction")
    if not isinstance(red, dict) or not red:
        return "unknown"
    if red.get("enabled") is False:
        return "disabled (--no-redact)"
    return f"enabled (HMAC key {red.get('key_id', '?')}, {red.get('key_scope', '?')} key)"


def resource_key(resource: dict) -> str:
    """The identity of a judged resource across scans, as the finding carries it
    (`ResourceRef` in scanner/model.py: its ARN, or type/account/region/id)."""
    return ResourceRef.key_of(resource)


def finding_key(f: Finding) -> str:
    return f"{f.policy_id}|{resource_key(f.resource)}"


def finding_digest(f: Finding, length: int = 20) -> str:
    """A short, stable, opaque id for (policy, resource): the same in every scan."""
    return hashlib.sha256(finding_key(f).encode()).hexdigest()[:length]


def path_text(path: list | None) -> str:
    """A violation's attribute path as people write it: properties.Containers[0].Image."""
    out = ""
    for p in path or []:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def violation_text(v: dict) -> str:
    """A violation in one line: its message, and the attribute it is about."""
    where = path_text(v.get("path"))
    return f"{v.get('msg', '')} (at {where})" if where else str(v.get("msg", ""))


def resource_label(resource: dict) -> str:
    """How a person names the resource: its ARN, else its id (template resources), else
    the full key (a coverage gap's "*" says nothing without its type and region)."""
    rid = resource.get("id") or ""
    return resource.get("arn") or (rid if rid and rid != "*" else resource_key(resource))


def runbook_command(f: Finding) -> str:
    """The command a user runs to fix this finding (dry run unless approved). Every
    word is shell-quoted: ids come from the estate or a template (a Terraform key
    `$(touch x)`) and must stay text when the command is copied into a shell."""
    return shlex.join(["mlwarden", "remediate", "findings.json", "--policy", f.policy_id,
                       "--resource", resource_label(f.resource)])


def policy_description(doc, f: Finding) -> str:
    """The policy's rationale as the findings document recorded it from the METADATA it
    was judged with (shipped or `--policies`); the finding's title when the document
    has none (a findings file written before documents carried their metadata)."""
    entry = doc.policies.get(f.policy_id) if isinstance(getattr(doc, "policies", None), dict) else None
    return str(entry.get("description") or f.title) if isinstance(entry, dict) else f.title


def control_title(doc, framework: str, control: str) -> str:
    """A framework control's title as the findings document recorded it ("" when none)."""
    entry = doc.frameworks.get(framework) if isinstance(getattr(doc, "frameworks", None), dict) else None
    titles = entry.get("controls") if isinstance(entry, dict) else None
    return str(titles.get(control) or "") if isinstance(titles, dict) else ""


def framework_name(doc, framework: str) -> str:
    """A framework's full name as the findings document recorded it; its key when none."""
    entry = doc.frameworks.get(framework) if isinstance(getattr(doc, "frameworks", None), dict) else None
    return str(entry.get("name") or framework) if isinstance(entry, dict) else framework


@dataclass
class Changes:
    """Failures compared with a previous scan, keyed by (policy, resource)."""
    new: list[Finding] = field(default_factory=list)
    still_open: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)   # the previous scan's findings
    waived: list[Finding] = field(default_factory=list)     # failed before, waived now: accepted, not fixed


def compare(doc, previous) -> Changes | None:
    if previous is None:
        return None
    before = {finding_key(f): f for f in previous.findings if f.status in FAILING}
    now = {finding_key(f): f for f in doc.findings if f.status in FAILING}
    waived_now = {finding_key(f): f for f in doc.findings if f.status == Status.WAIVED}
    return Changes(new=[f for k, f in now.items() if k not in before],
                   still_open=[f for k, f in now.items() if k in before],
                   resolved=[f for k, f in before.items() if k not in now and k not in waived_now],
                   waived=[waived_now[k] for k in before if k in waived_now])
