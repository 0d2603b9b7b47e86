"""findings.sarif: SARIF 2.1.0 for code-scanning dashboards and CI annotations.

One rule per policy (its metadata), one result per FAIL or ERROR; WAIVED findings
are results with an accepted external suppression, so dashboards show them as
suppressed rather than losing them. Every result has a physical location, because
GitHub code scanning refuses results without one: template resources point at their
file and line, live resources at a stable relative URI that names the resource
(`live_uri`); the ARN stays in the logical location.
"""
from __future__ import annotations

import hashlib
import re
import shlex
from typing import Iterator
from urllib.parse import quote

from mlwarden.json_stream import Items, iter_bytes, iter_value
from mlwarden.model import Status

from .base import Renderer, register
from .common import (SEVERITY_ORDER, finding_digest, finding_key, policy_description, redaction_notice,
                     resource_label, runbook_command, violation_text)
from .remediation_text import advice

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning reads `security-severity` (a CVSS-like score) from rule properties.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
REPORTED = (Status.FAIL, Status.ERROR, Status.WAIVED)
# GitHub rejects a run with more results than this (it displays the 5,000 most severe).
MAX_RESULTS = 25_000
WINDOWS_DRIVE = re.compile(r"[A-Za-z]:/")
SEMVER = re.compile(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?")


def _rule(doc, f) -> dict:
    # GitHub refuses empty strings where it requires text: fall back to the id.
    description = policy_description(doc, f) or f.policy_id
    fix = advice(doc, f)
    command = (f" Command: `mlwarden remediate findings.json --policy {shlex.quote(f.policy_id)} --resource <ARN>` "
               "(a dry run unless approved)." if fix.runbook else "")
    help_text = f"{description}\n\nRemediation: {fix.text()}{command}"
    return {
        "id": f.policy_id,
        "name": f.policy_id.replace("-", ""),
        "shortDescription": {"text": f.title or f.policy_id},
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


def live_uri(resource: dict) -> str:
    """The artifact URI of a live resource: `aws/<account>/<region>/<service>/<resource>`,
    e.g. `aws/123456789012/eu-west-1/sagemaker/notebook-instance/nb-1` or
    `aws/123456789012/global/iam/role/ops`; the ARN's resource part where there is one,
    else the resource type and id.

    Why not the ARN itself: `arn:…` parses as an absolute URI of scheme `arn`, and GitHub
    rejects an upload whose absolute URIs do not share the scheme of the source root
    (`file://` when upload-sarif gives the checkout path). A relative path is what code
    scanning expects; one that names account, region and resource is stable from scan to
    scan (so alerts are tracked, not closed and reopened) and says where to look, the way
    container scanners anchor image findings at the image name. No such file is in the
    repository: GitHub shows the alert with its path and no code snippet."""
    arn = str(resource.get("arn") or "")
    parts = arn.split(":", 5)
    account = str(resource.get("account") or (parts[4] if len(parts) == 6 else "") or "unknown-account")
    region = str(resource.get("region") or (parts[3] if len(parts) == 6 else "") or "global")
    if len(parts) == 6 and parts[0] == "arn" and parts[5]:
        tail = [parts[2], *parts[5].split("/")]
    else:
        tail = [*str(resource.get("type") or "unknown-type").split("::"), str(resource.get("id") or "unknown-id")]
    return "/".join(_segment(x) for x in ["aws", account, region, *tail] if x)


def _segment(text: str) -> str:
    # One path segment: reserved characters (":" of ARNs, spaces) percent-encoded; "."
    # and ".." would make the path mean something else once normalised.
    q = quote(text, safe="")
    return q.replace(".", "%2E") if q in (".", "..") else q


def _artifact(res: dict) -> tuple[str, int]:
    """(uri, line) of the resource: its template file and line, else its live URI."""
    src = res.get("source") or {}
    if src.get("file"):
        path = str(src["file"]).replace("\\", "/")
        if path.startswith("/") or WINDOWS_DRIVE.match(path):
            uri = "file://" + ("" if path.startswith("/") else "/") + quote(path, safe="/:@")
        else:
            # Relative (to the repository root, as code scanning expects); a ":" stays
            # encoded so that `stack:v2.yaml` cannot read as a URI of scheme `stack`.
            uri = quote(path, safe="/@")
        return uri, max(int(src.get("line") or 1), 1)
    return live_uri(res), 1


def _location(f) -> dict:
    res = f.resource
    uri, line = _artifact(res)
    logical = {"name": res.get("id") or "", "fullyQualifiedName": resource_label(res),
               "kind": "resource"}
    # GitHub requires region.startLine; a live resource has no lines, so its first.
    return {"physicalLocation": {"artifactLocation": {"uri": uri}, "region": {"startLine": line}},
            "logicalLocations": [logical]}


def _fingerprints(f, uri: str) -> dict:
    """GitHub tracks alerts across runs by `primaryLocationLineHash` only, and the
    upload-sarif action can compute it only from a file in the checkout (never for a
    live resource). Ours hashes policy, resource and artifact, not the line's text, so an
    alert survives edits that move a template resource. `mlwarden/v1` is the finding's
    id in every other format."""
    line_hash = hashlib.sha256(f"{finding_key(f)}|{uri}".encode()).hexdigest()[:16]
    return {"primaryLocationLineHash": f"{line_hash}:1", "mlwarden/v1": finding_digest(f, 32)}


def _message(f) -> str:
    """The finding's message; for a failure, each violation with the attribute it is
    about (the region points at the first one's line in a template)."""
    if f.violations and any(v.get("path") for v in f.violations):
        return "; ".join(violation_text(v) for v in f.violations)
    return f.message or f.title or f.policy_id


def _result(f, rule_index: int) -> dict:
    level = LEVEL[f.severity.value] if f.status != Status.ERROR else "error"
    location = _location(f)
    result = {
        "ruleId": f.policy_id,
        "ruleIndex": rule_index,
        "level": level,
        "kind": "fail",
        "message": {"text": _message(f)},
        "locations": [location],
        "partialFingerprints": _fingerprints(f, location["physicalLocation"]["artifactLocation"]["uri"]),
        "properties": {"status": f.status.value, "resource": f.resource,
                       "evidence": f.evidence, "runbook": runbook_command(f)},
    }
    if f.violations:
        result["properties"]["violations"] = f.violations
    if f.status == Status.WAIVED and f.waiver:
        w = f.waiver
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f"{w.get('reason', '')} (owner {w.get('owner', '?')}, "
                                                    f"expires {w.get('expires', '?')})"}]
    return result


def _most_severe_first(f) -> tuple:
    # Failures before waivers, then by severity: what a capped run keeps.
    return (f.status == Status.WAIVED, SEVERITY_ORDER.index(f.severity.value))


def category(scan: dict) -> str:
    """runAutomationDetails.id, `category/` for GitHub: a later upload with the same
    category replaces the earlier one's alerts, so a live scan and a template scan of
    the same commit (or scans of different accounts) must not share one."""
    accounts = sorted(str(a) for a in scan.get("accounts") or [])
    who = "+".join(accounts) if len(accounts) <= 3 else \
        f"{len(accounts)}-accounts-{hashlib.sha256(','.join(accounts).encode()).hexdigest()[:8]}"
    return f"mlwarden/{scan.get('kind') or 'live'}/{who}/"


def _versions(version: str) -> dict:
    # GitHub prefers semanticVersion, which must be SemVer 2.0 (a PEP 440 ".dev1" is not).
    return ({"version": version} if version else {}) | (
        {"semanticVersion": version} if SEMVER.fullmatch(version) else {})


def build(doc) -> dict:
    """The whole log as a dict (tests and tools read it; the file is written by `stream`)."""
    log = _log(doc)
    results = log["runs"][0]["results"]
    log["runs"][0]["results"] = list(results.make())
    return log


def _log(doc) -> dict:
    """The log, its results an `Items` made one at a time when written."""
    reported = [f for f in doc.findings if f.status in REPORTED]
    rules: dict[str, dict] = {}
    # A rule is described from a failing finding where there is one: its evidence
    # names what to change (a NOT_ASSESSED finding's evidence is the coverage gap).
    for f in reported + [f for f in doc.findings if f.status not in REPORTED]:
        if f.policy_id not in rules:
            rules[f.policy_id] = _rule(doc, f)
    index = {pid: i for i, pid in enumerate(rules)}
    left_out = max(len(reported) - MAX_RESULTS, 0)
    if left_out:
        reported = sorted(reported, key=_most_severe_first)[:MAX_RESULTS]
    results = Items(lambda: (_result(f, index[f.policy_id]) for f in reported))
    notices = [{"level": "warning", "message": {"text": n}} for n in [redaction_notice(doc.scan)] if n]
    if left_out:
        # A file over GitHub's limit would be refused whole and leave every alert stale;
        # the least severe results are left out instead, and the run says so.
        notices.append({"level": "error", "message": {"text": (
            f"{left_out} of {left_out + MAX_RESULTS} results left out (GitHub code scanning accepts at most "
            f"{MAX_RESULTS} per run): the least severe; findings.json holds every finding")}})
    scan = doc.scan
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mlwarden",
                **_versions(str(scan.get("tool_version") or "")),
                "rules": list(rules.values()),
            }},
            "automationDetails": {"id": category(scan)},
            "invocations": [{
                "executionSuccessful": True,
                **({"startTimeUtc": scan["started"]} if scan.get("started") else {}),
                **({"endTimeUtc": scan["finished"]} if scan.get("finished") else {}),
                "properties": {k: scan.get(k) for k in ("accounts", "regions", "engine", "policy_count",
                                                        "resource_count", "run_by", "redaction")},
                **({"toolExecutionNotifications": notices} if notices else {}),
            }],
            "results": results,
            "properties": {"coverage_gaps": [g.to_dict() for g in doc.coverage],
                           **({"results_left_out": left_out} if left_out else {})},
        }],
    }


def stream(doc, ctx) -> Iterator[bytes]:
    """`json.dumps(build(doc), indent=1, default=str)` a result at a time: the results
    of an account's findings were 214 MB as dicts and text."""
    return iter_bytes(iter_value(_log(doc)))


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="sarif", filename="findings.sarif",
                  description="SARIF 2.1.0 (code scanning, CI annotations)", render=render, stream=stream))
