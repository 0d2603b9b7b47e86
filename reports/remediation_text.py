"""How a finding is fixed, in words: the runbook that fixes it (its title and what it
will do) or, where there is none, the steps by hand from the policy's METADATA
(`custom.remediation.steps`), else what to change, named from the properties the
policy judged. Reports show this instead of raw remediation JSON, and offer a runbook
command only where a runbook exists.

Which runbook fixes a finding is what the findings document recorded at evaluation
(`policies[id].runbooks[type]`, scanner/policy/catalogue.py), not what the runbook
registry says now. Not a renderer: it registers nothing.
"""
from __future__ import annotations

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


def recorded_runbook(doc, f: Finding) -> dict:
    """The runbook the document recorded for this finding's policy and resource type ({}
    when none fixes it, or the file predates schema 1.2)."""
    policies = getattr(doc, "policies", None)
    entry = policies.get(f.policy_id) if isinstance(policies, dict) else None
    runbooks = entry.get("runbooks") if isinstance(entry, dict) else None
    found = runbooks.get(str(f.resource.get("type") or "")) if isinstance(runbooks, dict) else None
    return found if isinstance(found, dict) and found.get("id") else {}


def advice(doc, f: Finding) -> Advice:
    """The advice for `f`, a finding of `doc`."""
    rem = f.remediation or {}
    named = str(rem.get("runbook") or "")
    rtype = str(f.resource.get("type") or "")
    steps = tuple(str(s) for s in rem.get("steps") or ())
    rb = recorded_runbook(doc, f)
    if rb:
        return Advice(runbook=str(rb["id"]), runbook_title=str(rb.get("title") or "").rstrip("."),
                      runbook_does=str(rb.get("description") or ""), automatic=bool(rb.get("automatic")),
                      requires_flag=str(rb.get("requires_flag") or ""), steps=steps)
    evidence = sorted(k for k in (f.evidence or {}) if k != "coverage_gap")
    change = ", ".join(evidence) if evidence else "the resource's configuration"
    return Advice(missing_runbook=named, steps=steps,
                  what_to_change=f"Change {change} on this {rtype or 'resource'} so that: {f.title.rstrip('.')}.")
