"""How a finding is fixed, in words: the runbook that fixes it (its title and what it
will do) or, where there is none, the steps by hand from the policy's METADATA
(`custom.remediation.steps`), else what to change, named from the properties the
policy judged. Reports show this instead of raw remediation JSON, and offer a runbook
command only where a runbook exists.

Not a renderer: it registers nothing.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from mlwarden.model import Finding


@dataclass(frozen=True, kw_only=True)
class Advice:
    runbook: str = ""              # the runbook's id, when one exists for this finding
    runbook_title: str = ""
    runbook_does: str = ""         # what applying it changes, in a sentence or two
    automatic: bool = False        # False: the runbook plans, a person carries the plan out
    requires_flag: str = ""        # e.g. "allow-iam"
    missing_runbook: str = ""      # named by the policy but not in this mlwarden
    steps: tuple[str, ...] = ()    # by hand, from the policy's metadata
    what_to_change: str = ""       # when there are no steps: a sentence naming the evidence

    def how(self) -> str:
        """How the runbook is applied, in a sentence."""
        flag = f" with --{self.requires_flag}" if self.requires_flag else ""
        return (f"mlwarden remediate plans it (a dry run); --apply{flag} carries it out once approved."
                if self.automatic else
                "mlwarden remediate plans it; a person carries the plan out (this runbook does not apply itself).")

    def text(self) -> str:
        """The whole advice as plain text (SARIF help, ASFF recommendation)."""
        if self.runbook:
            return " ".join(x for x in (f"Runbook {self.runbook}: {self.runbook_title}.", self.runbook_does,
                                        self.how()) if x)
        head = (f"No runbook for this policy (it names {self.missing_runbook!r}, which this mlwarden does not have)."
                if self.missing_runbook else "No runbook for this policy: fix it by hand.")
        body = [f"{n}. {s}" for n, s in enumerate(self.steps, 1)] or [self.what_to_change]
        return " ".join([head, *body, "Then re-scan."])


@functools.lru_cache(maxsize=1)
def _runbooks() -> dict:
    from mlwarden.remediations.base import registry
    return registry()


_CACHE: dict[tuple, Advice] = {}


def advice(f: Finding) -> Advice:
    rem = f.remediation or {}
    named = str(rem.get("runbook") or "")
    rtype = str(f.resource.get("type") or "")
    steps = tuple(str(s) for s in rem.get("steps") or ())
    evidence = tuple(sorted(k for k in (f.evidence or {}) if k != "coverage_gap"))
    key = (f.policy_id, rtype, named, steps, f.title, evidence)
    found = _CACHE.get(key)
    if found is None:
        found = _CACHE[key] = _advice(f, named, rtype, steps, evidence)
    return found


def _advice(f: Finding, named: str, rtype: str, steps: tuple[str, ...], evidence: tuple[str, ...]) -> Advice:
    from mlwarden.remediations.engine import runbook_for
    rb = runbook_for(f, _runbooks())
    if rb is not None:
        return Advice(runbook=rb.id, runbook_title=rb.title.rstrip("."), runbook_does=rb.description,
                      automatic=rb.automatic, requires_flag=rb.requires_flag or "", steps=steps)
    change = ", ".join(evidence) if evidence else "the resource's configuration"
    return Advice(missing_runbook=named, steps=steps,
                  what_to_change=f"Change {change} on this {rtype or 'resource'} so that: {f.title.rstrip('.')}.")
