"""Values that cannot be known before deployment, and what a policy verdict on them is worth.

A template or plan often holds values that only exist once the stack is deployed: an
`Fn::ImportValue`, a parameter without a default, a runtime attribute (`!GetAtt
Bucket.DomainName`), a Terraform attribute that is "known after apply". Such a value
is kept in the resource document as an explicit marker,

    {"mlwarden:unknown": "Fn::ImportValue shared-kms-key"}

and its path is listed in `facts.unknown_properties` (e.g. `properties.KmsKeyId`).
A policy sees the marker as an object: a rule like `not input.resource.properties.KmsKeyId`
would pass on it, `… == "Disabled"` would fail on it. Neither verdict is worth anything,
so after evaluation `mark_unknown_findings` turns a PASS or FAIL whose evidence paths
touch an unknown property into NOT_ASSESSED, with a message naming the value. A
violation whose own path is an unknown value is no finding either: a FAIL made only of
such violations is NOT_ASSESSED too.
ERROR and WAIVED findings are left alone (an error is never hidden; a waiver was a
human decision).
"""
from __future__ import annotations

from typing import Any, Iterable

from ..model import Finding, Resource, Status

MARKER = "mlwarden:unknown"
FACT = "unknown_properties"


def unknown(reason: str) -> dict:
    """The marker for a value unknown before deployment; `reason` says why, for people."""
    return {MARKER: reason}


def is_unknown(value: Any) -> bool:
    return isinstance(value, dict) and MARKER in value


def contains_unknown(value: Any) -> bool:
    """Whether a marker sits anywhere inside `value` (or is `value`)."""
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def unknown_paths(value: Any, prefix: str) -> list[str]:
    """Dotted paths (list indices as numbers) of every marker inside `value`."""
    if is_unknown(value):
        return [prefix]
    out: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.extend(unknown_paths(v, f"{prefix}.{k}"))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.extend(unknown_paths(v, f"{prefix}.{i}"))
    return out


def record_unknowns(r: Resource) -> Resource:
    """Fill `facts.unknown_properties` from the markers in the resource's properties and tags."""
    paths = unknown_paths(r.properties, "properties") + unknown_paths(r.tags, "tags")
    if paths:
        r.facts[FACT] = paths
    return r


def _intersects(a: str, b: str) -> bool:
    """`properties.VpcConfig` and `properties.VpcConfig.Subnets.0` intersect; so do equal paths."""
    return a == b or a.startswith(b + ".") or b.startswith(a + ".")


def _value_at(r: Resource, path: str) -> Any:
    node: Any = {"properties": r.properties, "tags": r.tags, "facts": r.facts}
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def mark_unknown_findings(findings: Iterable[Finding], resources: Iterable[Resource],
                          evidence_paths: dict[str, tuple[str, ...]],
                          pass_evidence: dict[str, tuple[str, ...]] | None = None) -> int:
    """Turn PASS/FAIL verdicts that rest on unknown values into NOT_ASSESSED, in place.

    `evidence_paths` maps a policy id to the paths its METADATA declares as evidence.
    A policy that declares none cannot be checked this way: its finding keeps its
    verdict but lists the resource's unknown paths in `evidence.unknown_before_deployment`
    so a reader sees what it may have rested on. Returns how many findings changed.

    `pass_evidence` maps a policy id to its METADATA `pass_evidence`: values a PASS rests
    on but no violation does (MLW-REG-010 never fails on who set a stage when that is
    unknown). One of them unknown makes a PASS NOT_ASSESSED; a FAIL stands, its
    violations being about other, known values.
    """
    by_arn = {r.arn: r for r in resources if r.arn}
    changed = 0
    for f in findings:
        r = by_arn.get(f.resource.get("arn") or "")
        if r is None:
            continue
        unknowns = list(r.facts.get(FACT) or [])
        # facts derived from unknown values are unknown too (iac/normalise.py marks them)
        unknowns += [f"facts.{k}" for k, v in r.facts.items() if is_unknown(v)]
        if not unknowns:
            continue
        f.evidence["unknown_before_deployment"] = unknowns
        if f.status not in (Status.PASS, Status.FAIL):
            continue
        paths = evidence_paths.get(f.policy_id, ())
        if f.status == Status.PASS:
            paths = (*paths, *(pass_evidence or {}).get(f.policy_id, ()))
        hits = [u for u in unknowns if any(_intersects(u, e) for e in paths)]
        if not hits:
            if f.status == Status.FAIL:
                changed += _unknown_violations(f, r, unknowns)
            continue
        f.evidence["verdict_before_unknowns"] = f.status.value
        f.status = Status.NOT_ASSESSED
        f.message = "value unknown before deployment: " + _reasons(r, hits)
        changed += 1
    return changed


def _reasons(r: Resource, paths: Iterable[str]) -> str:
    out = []
    for u in paths:
        v = _value_at(r, u)
        out.append(f"{u} ({v[MARKER]})" if is_unknown(v) else u)
    return "; ".join(out)


def _unknown_violations(f: Finding, r: Resource, unknowns: list[str]) -> int:
    """A violation whose own path is an unknown value (policies/lib/ecr.rego names
    facts.deploy_account when an image's registry account may be the one the template
    deploys to) is no finding. A FAIL made only of such violations is NOT_ASSESSED; one
    with other violations keeps them and lists these in evidence.unknown_violations.
    Returns 1 when the finding changed."""
    resting, known = [], []
    for v in f.violations:
        path = ".".join(str(p) for p in v.get("path") or ())
        # at or inside the unknown value: a violation about a whole parent ("properties")
        # is left to the evidence check above
        hit = [u for u in unknowns if path and (path == u or path.startswith(u + "."))]
        (resting if hit else known).append((v, hit))
    if not resting:
        return 0
    f.evidence["unknown_violations"] = [v["msg"] for v, _ in resting]
    if known:
        f.violations = [v for v, _ in known]
        f.message = "; ".join(sorted({v["msg"] for v in f.violations}))
        return 1
    paths = list(dict.fromkeys(u for _, hit in resting for u in hit))
    f.evidence["verdict_before_unknowns"] = f.status.value
    f.status = Status.NOT_ASSESSED
    f.message = (f"value unknown before deployment: {_reasons(r, paths)}; "
                 + "; ".join(sorted({v['msg'] for v, _ in resting})))
    f.violations = []
    return 1
