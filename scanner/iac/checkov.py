"""checkov beside our policies: run it, read its JSON, merge its verdicts into ours.

checkov lives in its own virtualenv (`scripts/bootstrap.sh checkov` creates
.tools/checkov-venv; it pins dependencies that clash with ours), so it runs as a
subprocess. Its failed and passed checks become Findings with the check id as
policy_id; where a check and one of our policies judge the same property of the
same resource (checkov_checks.yaml, `equivalent`), one finding is kept — ours — and
names the check.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

import yaml

from ..errors import InputError
from ..model import Finding, Resource, ResourceRef, Severity, Status

FRAMEWORKS = {"cloudformation": "cloudformation", "terraform": "terraform_plan"}
TIMEOUT_SECONDS = 600


@dataclass(frozen=True, kw_only=True)
class CheckovMap:
    default_severity: Severity
    default_category: str
    severity: dict[str, Severity]
    category_keywords: dict[str, str]
    equivalent: tuple[tuple[str, str, str], ...]   # (check, policy, resource type)

    def category(self, check_name: str) -> str:
        name = check_name.lower()
        for word, category in self.category_keywords.items():
            if word in name:
                return category
        return self.default_category


@lru_cache(maxsize=1)
def checkov_map() -> CheckovMap:
    text = importlib_resources.files("mlwarden.iac").joinpath("checkov_checks.yaml").read_text()
    raw = yaml.safe_load(text)
    return CheckovMap(
        default_severity=Severity.parse(raw["default_severity"]),
        default_category=raw["default_category"],
        severity={k: Severity.parse(v) for k, v in (raw.get("severity") or {}).items()},
        category_keywords={str(k).lower(): v for k, v in (raw.get("category_keywords") or {}).items()},
        equivalent=tuple((e["check"], e["policy"], e["resource_type"]) for e in raw.get("equivalent") or []),
    )


def find_checkov() -> Path | None:
    """$MLWARDEN_CHECKOV, then `checkov` on PATH, then the bootstrap's .tools/checkov-venv
    (in the working directory, or beside the source tree of an editable install)."""
    env = os.environ.get("MLWARDEN_CHECKOV")
    if env:
        return Path(env) if Path(env).is_file() else None
    on_path = shutil.which("checkov")
    if on_path:
        return Path(on_path)
    here = Path(__file__).resolve().parents[2]
    for root in (Path.cwd(), here):
        candidate = root / ".tools" / "checkov-venv" / "bin" / "checkov"
        if candidate.is_file():
            return candidate
    return None


@dataclass
class CheckovRun:
    executable: Path
    version: str = ""
    results: list[dict] = field(default_factory=list)   # failed and passed checks
    parsing_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(files: list[tuple[str, str]], executable: Path) -> CheckovRun:
    """Run checkov once over (path, kind) files; kinds as in loader.py."""
    import time
    frameworks = sorted({FRAMEWORKS[k] for _, k in files if k in FRAMEWORKS})
    run = CheckovRun(executable=executable)
    targets = [p for p, k in files if k in FRAMEWORKS]
    if not targets:
        return run
    cmd = [str(executable), "-o", "json", "--skip-download", "--compact", "--framework", *frameworks]
    for t in targets:
        cmd += ["-f", t]
    # No network: --skip-download keeps checkov from fetching guidelines and severities.
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, env=env)
    except subprocess.TimeoutExpired:
        raise InputError(f"checkov ({executable}) did not finish in {TIMEOUT_SECONDS} s") from None
    run.seconds = time.monotonic() - started
    # Exit code 1 means "some check failed"; anything else with no JSON is a real failure.
    try:
        reports = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise InputError(f"checkov ({executable}) failed with exit code {proc.returncode}: {tail}") from None
    if isinstance(reports, dict):
        reports = [reports]
    for rep in reports:
        if not isinstance(rep, dict) or "results" not in rep:
            continue   # an empty-result summary
        res = rep["results"]
        run.version = (rep.get("summary") or {}).get("checkov_version", run.version)
        run.results += [dict(c, _framework=rep.get("check_type")) for c in res.get("failed_checks") or []]
        run.results += [dict(c, _framework=rep.get("check_type")) for c in res.get("passed_checks") or []]
        run.parsing_errors += [str(p) for p in res.get("parsing_errors") or []]
    return run


def _resource_key(check: dict) -> tuple[str, str]:
    """(absolute file, logical id or Terraform address) of a checkov result."""
    path = check.get("file_abs_path") or check.get("file_path") or ""
    resource = check.get("resource") or ""
    if check.get("_framework") == "cloudformation":
        resource = resource.split(".", 1)[1] if "." in resource and "::" in resource else resource
    return str(Path(path).resolve()), resource


def merge(findings: list[Finding], run: CheckovRun, resources: list[Resource],
          files: dict[str, str], loaded_policy_ids: set[str],
          not_deployed: set[tuple[str, str]] = frozenset()) -> list[Finding]:
    """checkov results as findings, merged into `findings` (returned, not modified in place
    except for the evidence/title of ours that an equivalent check confirms).

    `files` maps each display name to its path; `not_deployed` holds (display, logical id)
    of resources whose Condition is false: checkov does not evaluate conditions, we drop
    its verdicts on resources that will not exist."""
    cmap = checkov_map()
    display_of = {str(Path(p).resolve()): d for d, p in files.items()}
    skip = {(str(Path(files.get(d, d)).resolve()), rid) for d, rid in not_deployed}
    # our resources by (absolute file, logical id / address)
    ours = {}
    for r in resources:
        if r.source.file and r.source.kind in FRAMEWORKS:
            key = r.facts.get("terraform_address") or r.id
            ours[(str(Path(files.get(r.source.file, r.source.file)).resolve()), key)] = r
    by_resource_policy = {(f.resource.get("arn"), f.policy_id): f for f in findings}
    equivalent = {(c, t): p for c, p, t in cmap.equivalent if p in loaded_policy_ids}
    out = list(findings)
    for check in run.results:
        cid = check.get("check_id") or "CKV_UNKNOWN"
        result = (check.get("check_result") or {}).get("result")
        status = Status.FAIL if result == "FAILED" else Status.PASS
        file_key, rkey = _resource_key(check)
        if (file_key, rkey) in skip:
            continue
        r = ours.get((file_key, rkey))
        policy = equivalent.get((cid, r.type)) if r is not None else None
        mine = by_resource_policy.get((r.arn, policy)) if policy else None
        related = {"tool": "checkov", "id": cid, "result": result, "name": check.get("check_name"),
                   "evaluated_keys": (check.get("check_result") or {}).get("evaluated_keys") or []}
        if mine is not None:
            mine.evidence.setdefault("related_checks", []).append(related)
            lines = check.get("file_line_range") or []
            if lines and not mine.resource.get("source", {}).get("line"):
                # Terraform plans carry no positions of ours; checkov's line range is the best there is.
                mine.resource = {**mine.resource, "source": {**mine.resource.get("source", {}), "line": lines[0]}}
            if f"checkov {cid}" not in mine.title:
                mine.title = f"{mine.title} (also checkov {cid})"
            if mine.status in (Status.PASS, Status.FAIL) and mine.status != status:
                mine.message += f"; checkov {cid} disagrees: {result}"
            continue
        line_range = check.get("file_line_range") or []
        resource_ref = r.ref() if r is not None else {
            **ResourceRef(type=rkey.split(".")[0] if "::" not in rkey else rkey, id=rkey).to_dict(),
            "source": {"kind": check.get("_framework"),
                       "file": display_of.get(file_key, check.get("file_path"))}}
        if line_range:
            resource_ref["source"] = {**resource_ref["source"], "line": line_range[0]}
        name = check.get("check_name") or cid
        out.append(Finding(
            policy_id=cid, title=name, severity=cmap.severity.get(cid, cmap.default_severity),
            category=cmap.category(name), status=status, resource=resource_ref,
            message=(f"checkov: {name}" if status == Status.FAIL else f"{name}: compliant"),
            evidence={"tool": "checkov", "check_class": check.get("check_class"),
                      "evaluated_keys": related["evaluated_keys"], "file_line_range": line_range,
                      "guideline": check.get("guideline")}))
    return out
