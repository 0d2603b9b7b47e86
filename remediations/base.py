"""Runbooks declared as data.

A runbook (one module per runbook in this package, each calling `register`) is a
frozen `Runbook` spec:

- `read_state(target)` reads the part of the resource the runbook cares about
  (reads only: planning runs on a read-only `AwsContext`);
- `changes(state, target)` returns the exact calls that bring that state to the
  desired one, and nothing when it is already there. The same function makes the
  plan and re-checks the desired state at apply time, which is what makes apply
  idempotent;
- `execute(plan, executor, target, state)` is optional, for runbooks whose calls
  need choreography (stop a notebook, update it, start it again; blue/green
  endpoint redeployment). Without it, apply runs the planned calls in order.

A `Plan` carries a fingerprint of the state it was made from; apply re-reads the
resource and refuses a plan whose resource has changed since (unless the resource
already is compliant, in which case there is nothing to do). Every mutating call
goes through `Executor.call` (remediations/executor.py), which writes a JSON line to
the audit log before and after the call; the failures are in remediations/errors.py.
Runbooks import all of these from here. Modelled on Cloud Custodian's actions
(declared permissions, `valid_origin_states` as data).
"""
from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from mlwarden.aws.session import AwsContext
from mlwarden.errors import InputError
from mlwarden.model import Finding

# The runbooks' vocabulary, imported from here (`from .base import Call, Executor, ...`).
from .errors import (AnswerLost, ApplyRefused, PlanRefused, RemediationError, StalePlan,  # noqa: F401
                     error_code, line as _line)
from .executor import AuditLog, Call, Executor, region_of  # noqa: F401


@dataclass(frozen=True, kw_only=True)
class Plan:
    """What a runbook would do to one resource, made without side effects."""
    runbook: str
    policy_ids: tuple[str, ...]
    resource: dict                  # the finding's resource reference
    findings: tuple[dict, ...]      # the findings the plan answers (Finding.to_dict())
    fingerprint: str                # of the state the plan was made from
    origin_state: str
    calls: tuple[Call, ...]
    steps: tuple[str, ...] = ()     # human steps (plan-only runbooks, choreography notes)
    automatic: bool = True
    requires_flag: str | None = None

    @property
    def compliant(self) -> bool:
        """Nothing to do: the resource already is in the desired state."""
        return self.automatic and not self.calls

    def to_dict(self) -> dict:
        return {"runbook": self.runbook, "policy_ids": list(self.policy_ids),
                "resource": self.resource, "fingerprint": self.fingerprint,
                "origin_state": self.origin_state, "automatic": self.automatic,
                "requires_flag": self.requires_flag,
                "calls": [c.to_dict() for c in self.calls], "steps": list(self.steps),
                "findings": list(self.findings)}

    @classmethod
    def from_dict(cls, d: dict) -> "Plan":
        return cls(runbook=d["runbook"], policy_ids=tuple(d.get("policy_ids") or ()),
                   resource=d["resource"], findings=tuple(d.get("findings") or ()),
                   fingerprint=d["fingerprint"], origin_state=d.get("origin_state", ""),
                   calls=tuple(Call.from_dict(c) for c in d.get("calls") or ()),
                   steps=tuple(d.get("steps") or ()), automatic=d.get("automatic", True),
                   requires_flag=d.get("requires_flag"))


@dataclass(frozen=True, kw_only=True)
class Wait:
    """How long to wait for AWS to settle (notebooks stopping, endpoints updating).
    Tests pass a fast one."""
    poll_seconds: float = 15.0
    timeout_seconds: float = 3600.0
    bake_seconds: float = 300.0     # endpoint redeployment: watch the alarms this long


@dataclass(frozen=True, kw_only=True)
class Target:
    """What a runbook works on: a resource (usually the findings' own; for a runbook
    that retargets, e.g. the endpoint that uses a failing endpoint configuration),
    the findings it answers, AWS, the settings."""
    resource: dict
    findings: tuple[Finding, ...]
    aws: AwsContext
    settings: dict
    wait: Wait = Wait()

    @property
    def id(self) -> str:
        return str(self.resource.get("id") or "")

    @property
    def arn(self) -> str:
        return str(self.resource.get("arn") or "")

    @property
    def type(self) -> str:
        return str(self.resource.get("type") or "")

    @property
    def region(self) -> str:
        return region_of(self.resource)

    @property
    def account(self) -> str:
        return str(self.resource.get("account") or "")

    def client(self, service: str):
        return self.aws.client(service, self.region)

    def setting(self, key: str, default: Any = None) -> Any:
        """A value under `remediation:` in the settings."""
        return (self.settings.get("remediation") or {}).get(key, default)

    def required_setting(self, key: str) -> Any:
        value = self.setting(key)
        if value in (None, "", [], {}):
            raise PlanRefused(f"settings: 'remediation.{key}' is not set (needed by this runbook)")
        return value


@dataclass
class ApplyResult:
    runbook: str
    resource: dict
    status: str                        # applied | already-compliant | rolled-back | failed
    calls: list[dict] = field(default_factory=list)
    message: str = ""
    verification: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {"runbook": self.runbook, "resource": self.resource, "status": self.status,
                "calls": self.calls, "message": self.message, "verification": self.verification}


# --- the runbook spec -----------------------------------------------------------------

StateFn = Callable[[Target], dict]
ChangesFn = Callable[[dict, Target], list[Call]]
# returns a status (applied | rolled-back | failed) or (status, message)
ExecuteFn = Callable[[Plan, Executor, Target, dict], Any]


def fingerprint(state: dict) -> str:
    text = json.dumps(state, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, kw_only=True)
class Runbook:
    id: str
    title: str
    policies: tuple[str, ...]           # policy ids this runbook fixes
    resource_types: tuple[str, ...]
    permissions: tuple[str, ...]        # IAM actions plan + apply need
    read_state: StateFn
    changes: ChangesFn
    # The resource state the runbook may start from (`origin` extracts it from the
    # state); empty: any.
    valid_origin_states: tuple[str, ...] = ()
    origin: Callable[[dict], str] = lambda state: ""
    automatic: bool = True              # False: plan only, a person carries it out
    requires_flag: str | None = None    # e.g. "allow-iam": apply only with --allow-iam
    steps: Callable[[dict, Target], list[str]] | None = None
    execute: ExecuteFn | None = None
    # False where the fix lands later (a quota request AWS approves in days): a
    # re-scan right after apply is not expected to pass.
    verifiable: bool = True
    # For findings on another type than the runbook changes: the resources to act on
    # (an endpoint configuration's finding → the endpoints that use it).
    retarget: Callable[[Finding, AwsContext], list[dict]] | None = None
    # The resources whose verdicts show the fix (default: the findings' resources).
    verify_refs: Callable[[Plan, AwsContext], list[dict]] | None = None
    description: str = ""

    def __post_init__(self):
        if not self.permissions:
            raise TypeError(f"runbook {self.id}: declare the IAM permissions it needs")

    # -- plan: reads only --------------------------------------------------------------
    def plan(self, findings: Sequence[Finding], aws: AwsContext, settings: dict, *,
             resource: dict | None = None, wait: Wait = Wait()) -> Plan:
        findings = tuple(findings)
        target = Target(resource=resource or findings[0].resource, findings=findings, aws=aws,
                        settings=settings, wait=wait)
        if target.type not in self.resource_types:
            raise PlanRefused(f"runbook {self.id} does not handle {target.type} resources")
        state = self.read_state(target)
        origin = self.origin(state)
        calls = self.changes(state, target)
        if calls and self.valid_origin_states and origin not in self.valid_origin_states:
            raise PlanRefused(
                f"{target.id} is {origin or 'in an unknown state'}; runbook {self.id} starts only "
                f"from {', '.join(self.valid_origin_states)}")
        steps = self.steps(state, target) if self.steps else []
        return Plan(runbook=self.id, policy_ids=tuple(dict.fromkeys(f.policy_id for f in findings)),
                    resource=target.resource, findings=tuple(f.to_dict() for f in findings),
                    fingerprint=fingerprint(state), origin_state=origin, calls=tuple(calls),
                    steps=tuple(steps), automatic=self.automatic, requires_flag=self.requires_flag)

    # -- apply -------------------------------------------------------------------------
    def apply(self, plan: Plan, aws: AwsContext, audit: AuditLog, settings: dict, *,
              flags: frozenset[str] = frozenset(), wait: Wait = Wait()) -> ApplyResult:
        if plan.runbook != self.id:
            raise ApplyRefused(f"plan is for runbook {plan.runbook}, not {self.id}")
        if not self.automatic:
            raise ApplyRefused(f"runbook {self.id} is plan-only: carry out its steps by hand")
        if self.requires_flag and self.requires_flag not in flags:
            raise ApplyRefused(f"runbook {self.id} changes IAM and runs only with --{self.requires_flag}")
        findings = tuple(Finding.from_dict(f) for f in plan.findings)
        target = Target(resource=plan.resource, findings=findings, aws=aws, settings=settings, wait=wait)
        ex = Executor(aws=aws, audit=audit, runbook=self.id, resource=plan.resource,
                      policy_ids=plan.policy_ids)
        state = self.read_state(target)
        # Re-check the desired state first: a second apply changes nothing.
        if not self.changes(state, target):
            ex.event("already-compliant")
            return ApplyResult(runbook=self.id, resource=plan.resource, status="already-compliant",
                               message="resource already in the desired state; nothing changed")
        if fingerprint(state) != plan.fingerprint:
            ex.event("stale-plan-refused", planned=plan.fingerprint, found=fingerprint(state))
            raise StalePlan(f"{target.id} changed since the plan was made; run remediate again "
                            "to make a fresh plan")
        ex.event("apply-started", fingerprint=plan.fingerprint, calls=len(plan.calls))
        try:
            message = ""
            if self.execute is not None:
                outcome = self.execute(plan, ex, target, state) or "applied"
                status, message = outcome if isinstance(outcome, tuple) else (outcome, "")
            else:
                status, message = self._send_in_order(list(plan.calls), ex, target)
        except BaseException as exc:
            # Whatever the type, the audit log gets the end of this apply.
            ex.event("apply-failed", error=f"{error_code(exc)}: {_line(exc)}",
                     calls_sent=[f"{c['operation']} {c['outcome']}" for c in ex.done])
            raise
        ex.event("apply-finished", status=status, message=message)
        return ApplyResult(runbook=self.id, resource=plan.resource, status=status, calls=ex.done,
                           message=message)

    def _send_in_order(self, calls: list[Call], ex: Executor, target: Target) -> tuple[str, str]:
        """The planned calls in order. After a lost answer, re-read the resource: the
        calls `changes` still asks for are the ones not carried out, and only those
        are sent (once more at most; a second lost answer ends the apply)."""
        lost_once = False
        while calls:
            call = calls.pop(0)
            try:
                ex.call(call)
            except AnswerLost:
                if lost_once:
                    raise
                lost_once = True
                state = self.read_state(target)
                calls = self.changes(state, target)
                ex.event("re-read-after-lost-answer", call=f"{call.service}:{call.operation}",
                         still_needed=[f"{c.service}:{c.operation}" for c in calls])
        if lost_once:
            return "applied", "an answer was lost; the re-read resource showed what was still needed"
        return "applied", ""


_REGISTRY: dict[str, Runbook] = {}


def register(*runbooks: Runbook) -> None:
    for rb in runbooks:
        if rb.id in _REGISTRY and _REGISTRY[rb.id] is not rb:
            raise ValueError(f"runbook {rb.id} registered twice")
        _REGISTRY[rb.id] = rb


def registry() -> dict[str, Runbook]:
    """Every runbook, after importing every module of this package."""
    from mlwarden import remediations as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in ("base", "engine", "common", "errors", "executor"):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    return dict(_REGISTRY)


def runbook_for(f: Finding, runbooks: dict[str, Runbook]) -> Runbook | None:
    """The runbook a policy names in its metadata, else one that declares the policy."""
    rid = (f.remediation or {}).get("runbook")
    if rid:
        return runbooks.get(rid)
    for rb in runbooks.values():
        if f.policy_id in rb.policies and f.resource.get("type") in rb.resource_types:
            return rb
    return None


def get(runbook_id: str) -> Runbook:
    runbooks = registry()
    if runbook_id not in runbooks:
        raise InputError(f"unknown runbook {runbook_id!r} (known: {', '.join(sorted(runbooks))})")
    return runbooks[runbook_id]


# --- helpers shared by runbooks -------------------------------------------------------

def wait_until(read: Callable[[], str], wanted: set[str], *, wait: Wait, failed: set[str] = frozenset(),
               what: str = "resource") -> str:
    """Poll `read()` until it returns one of `wanted`; raise on `failed` or timeout."""
    deadline = time.monotonic() + wait.timeout_seconds
    while True:
        status = read()
        if status in wanted:
            return status
        if status in failed:
            raise RemediationError(f"{what} went to {status}")
        if time.monotonic() > deadline:
            raise RemediationError(f"{what} still {status} after {wait.timeout_seconds:.0f}s")
        time.sleep(wait.poll_seconds)
