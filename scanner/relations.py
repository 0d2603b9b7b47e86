"""Finding the resource a relation names, across the whole inventory.

A relation holds what the source document named: an ARN, an id, a KMS alias, or (from
a template) the synthetic ARN of a resource of the same file. Evaluation resolves
relations into `input.related` with this index; marking the ML estate and picking a
saved live inventory's context for an IaC scan use the same one, so all three agree on
what a reference means.
"""
from __future__ import annotations

from .model import Resource
from .type_registry import global_types


class RelationIndex:
    """Finds resources by ARN, id, or KMS alias, for resolving relations."""

    def __init__(self, resources: list[Resource]):
        self._by: dict[str, Resource] = {}
        global_ = global_types()
        for r in resources:
            for k in keys(r, global_):
                self._by.setdefault(k, r)

    def get(self, ref: str, account: str, region: str) -> Resource | None:
        return (self._by.get(ref) or self._by.get(f"{account}/{region}/{ref}")
                or self._by.get(f"{account}/global/{ref}"))


def keys(r: Resource, global_: frozenset[str] | None = None) -> list[str]:
    """Every string a relation may use to name `r` (`global_`: the types whose ids are
    unique per account, `account/global/id`; all descriptors' when not given)."""
    out = [r.arn] if r.arn else []
    scope = "global" if r.type in (global_types() if global_ is None else global_) else r.region
    out.append(f"{r.account}/{scope}/{r.id}")
    aliases = r.facts.get("aliases")
    # An inventory file may hold anything here: only a list of names is an alias list.
    for alias in aliases if isinstance(aliases, list) else []:
        if not isinstance(alias, str):
            continue
        out.append(f"{r.account}/{r.region}/{alias}")
        out.append(f"arn:aws:kms:{r.region}:{r.account}:{alias}")
    return out
