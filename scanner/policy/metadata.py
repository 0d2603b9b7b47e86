"""Our own reader and validator of Rego `# METADATA` blocks.

Loading and listing policies must not need an `opa` binary (the shipped library
runs from its compiled Wasm module), so we read METADATA comments here, with the
same YAML-in-comments convention as OPA: a `# METADATA` line, then
comment lines holding YAML, ending at the first non-comment line. The package
block (the one right before `package`) describes the policy.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import yamlload
from ..errors import InputError
from ..model import Severity

CATEGORIES = (
    "encryption", "network", "least-privilege", "model-integrity", "registry-governance",
    "tagging", "service-limits", "monitoring",
)
ID_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*-[A-Z][A-Z0-9]*-\d{3}$")  # MLW-ENC-001
TYPE_PATTERN = re.compile(r"^(AWS|MLW)::[A-Za-z0-9]+::[A-Za-z0-9]+$")
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)\s*$")


@dataclass(frozen=True, kw_only=True)
class PolicyMetadata:
    id: str
    title: str
    description: str
    severity: Severity
    category: str
    resource_types: tuple[str, ...]
    controls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    remediation: dict = field(default_factory=dict)
    evidence: tuple[str, ...] = ()
    # Paths a PASS rests on but no violation does (the policy never fails on them): in a
    # template, one unknown before deployment makes a PASS NOT_ASSESSED while a FAIL,
    # made of violations on other values, stands (scanner/iac/unknown.py).
    pass_evidence: tuple[str, ...] = ()
    # The facets of its resources the policy reads (scanner/facets.py). None: not
    # declared, every facet of its types counts (a missing one makes it NOT_ASSESSED).
    facets: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class ParsedModule:
    path: Path
    package: str
    package_line: int
    metadata: PolicyMetadata | None
    rules: frozenset[str]   # top-level rule names defined in the module


def parse_module(path: Path, text: str | None = None, *, require_metadata: bool) -> ParsedModule:
    """Parse the package line and the package METADATA block of one Rego file.

    Raises InputError naming file and line for a missing or invalid block.
    """
    text = path.read_text() if text is None else text
    lines = text.splitlines()
    package, package_line = None, 0
    for i, line in enumerate(lines, 1):
        m = _PACKAGE.match(line.strip())
        if m:
            package, package_line = m.group(1), i
            break
    if package is None:
        raise InputError(f"{path}:1: no 'package' line")

    block_start, block_lines = _metadata_block_before(lines, package_line)
    rules = frozenset(m.group(1) for m in re.finditer(
        r"^(?:default\s+)?([A-Za-z_]\w*)\s*(?:contains\b|if\b|:=|=|\[|\()", text, re.M)
        if m.group(1) not in {"package", "import"})
    if block_start is None:
        if require_metadata:
            raise InputError(f"{path}:{package_line}: policy has no '# METADATA' block before 'package'")
        return ParsedModule(path=path, package=package, package_line=package_line,
                            metadata=None, rules=rules)
    yamlload.check("\n".join(block_lines), str(path), "METADATA", first_line=block_start + 1)
    try:
        raw = yaml.safe_load("\n".join(block_lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = block_start + 1 + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(f"{path}:{line}: METADATA is not valid YAML: {problem}") from None
    facets_line = next((block_start + 1 + i for i, ln in enumerate(block_lines)
                        if ln.strip().startswith("facets:")), block_start)
    meta = validate(raw, f"{path}:{block_start}", facets_where=f"{path}:{facets_line}")
    return ParsedModule(path=path, package=package, package_line=package_line,
                        metadata=meta, rules=rules)


def _metadata_block_before(lines: list[str], package_line: int) -> tuple[int | None, list[str]]:
    """Find the `# METADATA` block that ends right above the package line."""
    end = package_line - 1  # index of the package line in 0-based list
    i = end - 1
    while i >= 0 and lines[i].lstrip().startswith("#"):
        if lines[i].strip() == "# METADATA":
            body = [ln.lstrip()[1:] for ln in lines[i + 1:end]]
            # Strip the single space after '#', keep YAML indentation.
            body = [b[1:] if b.startswith(" ") else b for b in body]
            return i + 1, body
        i -= 1
    return None, []


def validate(raw: object, where: str, *, facets_where: str | None = None) -> PolicyMetadata:
    """Check a METADATA mapping against the schema our scanner needs."""
    def bad(msg: str) -> InputError:
        return InputError(f"{where}: METADATA {msg}")

    if not isinstance(raw, dict):
        raise bad("must be a mapping")
    for key in ("title", "description"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise bad(f"needs a non-empty '{key}'")
    custom = raw.get("custom")
    if not isinstance(custom, dict):
        raise bad("needs a 'custom' mapping with id, severity, category, resource_types")
    pid = custom.get("id")
    if not isinstance(pid, str) or not ID_PATTERN.match(pid):
        raise bad(f"custom.id {pid!r} must look like MLW-ENC-001")
    try:
        severity = Severity.parse(str(custom.get("severity", "")))
    except ValueError as exc:
        raise bad(f"custom.severity: {exc}") from None
    category = custom.get("category")
    if category not in CATEGORIES:
        raise bad(f"custom.category {category!r} must be one of: {', '.join(CATEGORIES)}")
    types = custom.get("resource_types")
    if not isinstance(types, list) or not types or not all(
            isinstance(t, str) and TYPE_PATTERN.match(t) for t in types):
        raise bad("custom.resource_types must be a non-empty list of type names like AWS::S3::Bucket")
    controls = custom.get("controls") or {}
    if not isinstance(controls, dict) or not all(
            isinstance(k, str) and isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v)
            for k, v in controls.items()):
        raise bad("custom.controls must map a framework name to a list of control ids")
    remediation = custom.get("remediation") or {}
    if isinstance(remediation, str):
        remediation = {"runbook": remediation}
    if not isinstance(remediation, dict):
        raise bad("custom.remediation must be a runbook id or a mapping")
    _check_remediation(remediation, bad)
    evidence = custom.get("evidence") or []
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        raise bad("custom.evidence must be a list of paths like properties.KmsKeyId")
    pass_evidence = custom.get("pass_evidence") or []
    if not isinstance(pass_evidence, list) or not all(isinstance(e, str) for e in pass_evidence):
        raise bad("custom.pass_evidence must be a list of paths like facts.stage_setter")
    facets = _facets(custom.get("facets"), types, facets_where or where)
    unknown = set(custom) - {"id", "severity", "category", "resource_types", "controls",
                             "remediation", "evidence", "pass_evidence", "facets"}
    if unknown:
        raise bad(f"custom has unknown field(s): {', '.join(sorted(unknown))}")
    return PolicyMetadata(
        id=pid, title=raw["title"].strip(), description=raw["description"].strip(),
        severity=severity, category=category, resource_types=tuple(types),
        controls={k: tuple(str(x) for x in v) for k, v in controls.items()},
        remediation=remediation, evidence=tuple(evidence),
        pass_evidence=tuple(pass_evidence), facets=facets)


def _check_remediation(remediation: dict, bad) -> None:
    """custom.remediation: `runbook` (an id) and/or `steps`, what a person does by hand
    (console or CLI), one sentence each; the reports show them in words."""
    unknown = set(remediation) - {"runbook", "steps"}
    if unknown:
        raise bad(f"custom.remediation has unknown field(s): {', '.join(sorted(unknown))} (runbook, steps)")
    if "runbook" in remediation and not (isinstance(remediation["runbook"], str) and remediation["runbook"]):
        raise bad("custom.remediation.runbook must be a runbook id like s3-sse-kms")
    steps = remediation.get("steps", [])
    if not isinstance(steps, list) or not all(isinstance(x, str) and x.strip() for x in steps):
        raise bad("custom.remediation.steps must be a list of sentences")


def _facets(raw: object, types: list[str], where: str) -> tuple[str, ...] | None:
    """custom.facets: a list of facet names, each one a facet of at least one of the types."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(f, str) and f for f in raw):
        raise InputError(f"{where}: METADATA custom.facets must be a list of facet names like [describe, tags]")
    known = known_facets(tuple(types))
    unknown = [f for f in raw if f not in known]
    if unknown:
        raise InputError(f"{where}: METADATA custom.facets: unknown facet(s) {', '.join(unknown)} for "
                         f"{', '.join(types)} (known: {', '.join(sorted(known))})")
    return tuple(dict.fromkeys(raw))


@functools.lru_cache(maxsize=None)
def known_facets(types: tuple[str, ...]) -> frozenset[str]:
    """Every facet name of any of `types`; describe and tags for a type nothing declares."""
    from ..facets import default_facets
    cat = _catalogue()
    names: set[str] = set()
    for t in types:
        names.update(cat.get(t) or {f.name for f in default_facets(tagged=True)})
    return frozenset(names)


@functools.lru_cache(maxsize=1)
def _catalogue() -> dict[str, set[str]]:
    from ..facet_catalogue import catalogue
    return {t: set(fs) for t, fs in catalogue().items()}
