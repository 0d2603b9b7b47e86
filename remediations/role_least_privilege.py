"""Replace an over-privileged execution role's permissions with a least-privilege
inline policy. Changes IAM: applied only with --allow-iam.

Where the replacement comes from: AWS's service-last-accessed data would say
which services the role really used, but GenerateServiceLastAccessedDetails starts
a job (a write), which a plan must not do. So the replacement keeps the actions the
role's policies name explicitly, statement by statement (same resources and
conditions), and drops every wildcard action (`*`, `s3:*`, `s3:Get*`), every
NotAction grant, iam:PassRole on "*", the data-exfiltration and permissions-management
actions cloudsplaining names when they apply to every resource, and the actions
forbidden to the role's persona (settings `personas`). An execution role's trust
policy is narrowed to sagemaker.amazonaws.com. The plan lists what is dropped, so a person can add back the
specific actions a workload needs before applying.

Calls, in an order that never leaves the role with nothing: put the new inline
policy, then detach the over-broad managed policies and delete the over-broad
inline ones. Managed policies without wildcards (and not forbidden) stay.
"""
from __future__ import annotations

import fnmatch
import json
import urllib.parse

from mlwarden.collectors.iam_analysis import analyse

from .base import Call, PlanRefused, Runbook, Target, register

POLICY_NAME = "mlwarden-least-privilege"
SAGEMAKER = "sagemaker.amazonaws.com"


def _doc(value) -> dict:
    if isinstance(value, str):
        value = json.loads(urllib.parse.unquote(value))
    return value


def _list(v) -> list:
    return [v] if isinstance(v, (str, dict)) else list(v or [])


def read_state(t: Target) -> dict:
    iam = t.client("iam")
    name = t.id
    inline = {}
    for pname in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        inline[pname] = _doc(iam.get_role_policy(RoleName=name, PolicyName=pname)["PolicyDocument"])
    attached = {}
    for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        version = iam.get_policy(PolicyArn=p["PolicyArn"])["Policy"]["DefaultVersionId"]
        attached[p["PolicyArn"]] = _doc(iam.get_policy_version(
            PolicyArn=p["PolicyArn"], VersionId=version)["PolicyVersion"]["Document"])
    trust = _doc(iam.get_role(RoleName=name)["Role"].get("AssumeRolePolicyDocument") or {})
    return {"RoleName": name, "inline": inline, "attached": attached, "trust": trust}


def _principals(stmt: dict) -> list[str]:
    p = stmt.get("Principal")
    if p == "*":
        return ["*"]
    return [v for vs in (p or {}).values() for v in _list(vs)]


def _trust_fix(trust: dict) -> tuple[dict | None, list[str]]:
    """An execution role's trust policy narrowed to SageMaker: (new document, dropped
    principals), or (None, []) when it trusts nothing else or is not an execution role."""
    stmts = [s for s in _list(trust.get("Statement")) if s.get("Effect") == "Allow"]
    if not any(SAGEMAKER in _principals(s) for s in stmts):
        return None, []  # not a SageMaker execution role: not this runbook's business
    dropped = sorted({p for s in stmts for p in _principals(s) if p != SAGEMAKER})
    if not dropped:
        return None, []
    kept = []
    for s in _list(trust.get("Statement")):
        if s.get("Effect") == "Allow" and SAGEMAKER in _principals(s):
            kept.append({**s, "Principal": {"Service": SAGEMAKER}})
        elif s.get("Effect") != "Allow":
            kept.append(s)
    return {**trust, "Statement": kept}, dropped


def _persona_forbidden(role: str, settings: dict) -> list[str]:
    out = []
    for persona in (settings.get("personas") or {}).values():
        if any(fnmatch.fnmatchcase(role, p) for p in persona.get("role_patterns") or []):
            out += persona.get("forbidden_action_prefixes") or []
    return out


def _risky_unconstrained(actions: list[str]) -> set[str]:
    """Explicit actions that are too much on Resource "*": data exfiltration and
    permissions management (privilege escalation), as cloudsplaining classifies them."""
    if not actions:
        return set()
    facts = analyse([{"Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}])
    risky = set(facts.get("data_exfiltration") or []) | set(facts.get("permissions_management") or [])
    return {a for a in actions if a.lower() in {r.lower() for r in risky}}


def _split(doc: dict, role: str, settings: dict) -> tuple[list[dict], list[str]]:
    """A document's Allow statements narrowed to what the replacement keeps, and the
    grants it drops (each as text, for the plan)."""
    forbidden = _persona_forbidden(role, settings)
    kept, dropped = [], []
    for s in _list(doc.get("Statement")):
        if s.get("Effect") != "Allow":
            continue
        if "NotAction" in s:
            dropped.append("NotAction " + ",".join(_list(s["NotAction"])))
            continue
        resources = _list(s.get("Resource", "*"))
        actions = _list(s.get("Action"))
        unconstrained = "*" in resources and not s.get("Condition")
        risky = _risky_unconstrained([a for a in actions if "*" not in a]) if unconstrained else set()
        keep = []
        for a in actions:
            if "*" in a:
                dropped.append(a)
            elif any(a.lower().startswith(p.lower()) for p in forbidden):
                dropped.append(f"{a} (forbidden to the persona)")
            elif a.lower() == "iam:passrole" and "*" in resources:
                dropped.append("iam:PassRole on *")
            elif a in risky:
                dropped.append(f"{a} on *")
            else:
                keep.append(a)
        if keep:
            st = {"Effect": "Allow", "Action": sorted(set(keep)), "Resource": s.get("Resource", "*")}
            if s.get("Condition"):
                st["Condition"] = s["Condition"]
            kept.append(st)
    return kept, dropped


def _over_broad(state: dict, t: Target) -> tuple[dict, dict]:
    forbidden = set(t.settings.get("forbidden_managed_policies") or [])
    inline = {n: d for n, d in state["inline"].items()
              if n != POLICY_NAME and _split(d, t.id, t.settings)[1]}
    attached = {a: d for a, d in state["attached"].items()
                if a in forbidden or _split(d, t.id, t.settings)[1]}
    return inline, attached


def changes(state: dict, t: Target) -> list[Call]:
    trust, _ = _trust_fix(state["trust"])
    trust_calls = [Call(service="iam", operation="UpdateAssumeRolePolicy", note="only SageMaker may assume it",
                        params={"RoleName": t.id, "PolicyDocument": json.dumps(trust)})] if trust else []
    inline, attached = _over_broad(state, t)
    if not inline and not attached:
        return trust_calls
    statements = []
    for doc in [*inline.values(), *attached.values()]:
        for st in _split(doc, t.id, t.settings)[0]:
            if st not in statements:
                statements.append(st)
    if not statements:
        raise PlanRefused(f"role {t.id}: its over-broad policies name no explicit action to keep; write the "
                          "replacement policy by hand")
    doc = {"Version": "2012-10-17", "Statement": statements}
    calls = [Call(service="iam", operation="PutRolePolicy", note="least-privilege replacement",
                  params={"RoleName": t.id, "PolicyName": POLICY_NAME, "PolicyDocument": json.dumps(doc)})]
    calls += [Call(service="iam", operation="DetachRolePolicy", note="over-broad managed policy",
                   params={"RoleName": t.id, "PolicyArn": arn}) for arn in attached]
    calls += [Call(service="iam", operation="DeleteRolePolicy", note="over-broad inline policy",
                   params={"RoleName": t.id, "PolicyName": name}) for name in inline]
    return calls + trust_calls


def steps(state: dict, t: Target) -> list[str]:
    out = []
    _, principals = _trust_fix(state["trust"])
    if principals:
        out.append(f"Trust policy: {', '.join(principals)} will no longer be able to assume the role.")
    inline, attached = _over_broad(state, t)
    dropped = sorted({g for d in [*inline.values(), *attached.values()] for g in _split(d, t.id, t.settings)[1]})
    if not dropped:
        return out
    return out + [f"Dropped wildcard grants (add back the specific actions the workload needs to "
            f"{POLICY_NAME} before applying): {', '.join(dropped)}",
            "Apply only with --allow-iam; test the workload right after (its jobs fail with AccessDenied "
            "if an action it needs was only granted by a wildcard)."]


register(Runbook(
    id="role-least-privilege", title="Replace over-broad role permissions with a least-privilege policy",
    policies=("MLW-IAM-001", "MLW-IAM-002", "MLW-IAM-003", "MLW-IAM-004", "MLW-IAM-005", "MLW-IAM-006",
              "MLW-IAM-007", "MLW-IAM-008"), resource_types=("AWS::IAM::Role",),
    permissions=("iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
                 "iam:GetPolicyVersion", "iam:GetRole", "iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRolePolicy"),
    read_state=read_state, changes=changes, steps=steps, requires_flag="allow-iam",
))
