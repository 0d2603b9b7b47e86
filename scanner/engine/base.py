"""The engine interface. The rest of mlwarden does not know which engine runs.

An engine is prepared once with a `PolicySet`, is given the scan's settings once
(`load_settings`), then judges `EvalRequest`s (one
resource's input document and the ids of the policies that apply to its type)
and answers one `Verdict` per (policy, resource). An engine never turns an error
into a pass: a failed evaluation is a Verdict with `error` set.
"""
from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any

from ..policy.library import Policy, PolicySet


@dataclass(frozen=True, kw_only=True)
class EvalRequest:
    key: str                     # the resource's key (ARN or synthetic)
    input: dict                  # {"resource", "related", "related_missing", "account"}
    policy_ids: tuple[str, ...]  # policies to run, all declaring the resource's type


@dataclass(kw_only=True)
class Verdict:
    policy_id: str
    key: str
    applicable: bool = True
    violations: list[dict] = field(default_factory=list)  # [{"msg": str, "path"?: list, "details"?: dict}]
    error: str | None = None


class Engine(abc.ABC):
    name: str = "abstract"

    @abc.abstractmethod
    def prepare(self, policy_set: PolicySet) -> None:
        """Compile the policies. Raises InputError for a policy that does not compile."""

    @abc.abstractmethod
    def evaluate(self, requests: list[EvalRequest]) -> list[Verdict]:
        """Judge every request; one Verdict per (request, policy id)."""

    def load_settings(self, settings: dict) -> None:
        """Hand the scan's settings over once, as the data document
        `data.mlwarden_settings` (read by `mlwarden.lib.util.settings`); they are not
        part of any input. Call after `prepare`, before `evaluate`."""
        self.settings = settings

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def driver_module(package: str, policies: list[Policy]) -> str:
    """A generated Rego module that evaluates several policies in one query.

    `results` maps policy id to {"deny": set, "applies": bool}. A policy that does
    not define `applies` is applicable to every resource of its declared types.
    """
    lines = [f"package {package}", "", "import rego.v1", ""]
    entries = []
    for i, p in enumerate(policies):
        if p.has_applies:
            lines += [f"default applies_{i} := false", "",
                      f"applies_{i} if data.{p.package}.applies", ""]
            applies = f"applies_{i}"
        else:
            applies = "true"
        entries.append(f'\t"{p.id}": {{"deny": data.{p.package}.deny, "applies": {applies}}},')
    lines += ["results := {", *entries, "}", ""]
    return "\n".join(lines)


def verdicts_from_results(req: EvalRequest, results: dict) -> list[Verdict]:
    """Turn a driver's `results` object into one Verdict per policy of the request.

    Shared by every engine so they agree on what counts as an error: a policy whose
    entry is missing, or whose `deny` is not a set, is an ERROR, never a pass.
    """
    verdicts = []
    for pid in req.policy_ids:
        r = results.get(pid)
        if r is None:
            verdicts.append(Verdict(policy_id=pid, key=req.key, error="policy result undefined"))
            continue
        deny = r.get("deny")
        if not isinstance(deny, list):
            verdicts.append(Verdict(policy_id=pid, key=req.key,
                                    error=f"'deny' must be a set, got {type(deny).__name__}"))
            continue
        verdicts.append(Verdict(policy_id=pid, key=req.key, applicable=bool(r.get("applies", True)),
                                violations=[normalise_violation(v) for v in deny]))
    return verdicts


def normalise_violation(v: Any) -> dict:
    """A rule's violation as {"msg": str, "path": [...]?, "details": {...}?}.

    Rules produce either a plain message string (a team's policy written before paths,
    or one that has none to give) or an object: {"msg", "path"} from
    `mlwarden.lib.util.violation`, with any other fields kept as details. A path is a
    list of keys and array indexes (policies/lib/util.rego); anything else in its place
    is kept among the details, not trusted as a path. Both engines go through here, so
    they report the same violations."""
    if isinstance(v, dict):
        msg = v.get("msg") or v.get("message") or ""
        out: dict = {"msg": str(msg)}
        path = v.get("path")
        extra = {k: val for k, val in v.items() if k not in ("msg", "message", "path")}
        if is_path(path):
            out["path"] = list(path)
        elif path is not None:
            extra["path"] = path
        if extra:
            out["details"] = extra
        return out
    return {"msg": str(v)}


def is_path(p: Any) -> bool:
    """A non-empty list of keys (strings) and array indexes (non-negative integers)."""
    return (isinstance(p, list) and len(p) > 0
            and all(isinstance(x, str) or (isinstance(x, int) and not isinstance(x, bool) and x >= 0)
                    for x in p))
