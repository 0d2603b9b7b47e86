"""Runbooks declared as data, and the one wrapper every mutating call goes through.

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
goes through `Executor.call`, which writes a JSON line to the audit log before
and after the call. Modelled on Cloud Custodian's actions (declared permissions,
`valid_origin_states` as data).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import json
import os
import pkgutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from botocore import xform_name
from botocore.exceptions import (ClientError, ConnectTimeoutError, EndpointConnectionError,
                                 NoCredentialsError, NoRegionError, ParamValidationError,
                                 PartialCredentialsError, ProxyConnectionError, UnknownServiceError)

from mlwarden.aws.readonly import WriteRefused
from mlwarden.aws.session import AwsContext
from mlwarden.errors import InputError
from mlwarden.model import Finding


class RemediationError(RuntimeError):
    """A runbook could not plan or apply; the message says why, in one line."""


class PlanRefused(RemediationError):
    """The resource is not in a state the runbook may start from, or a setting is missing."""


class StalePlan(RemediationError):
    """The resource changed between plan and apply: plan again."""


class ApplyRefused(RemediationError):
    """Apply was not allowed: a plan-only runbook, or a flag the runbook requires is missing."""


class AnswerLost(RemediationError):
    """A mutating call was sent but no answer came back: AWS may or may not have
    carried it out. Never re-sent blindly; re-read the resource first."""

    def __init__(self, call: "Call", cause: BaseException):
        self.call = call
        super().__init__(f"{call.service}:{call.operation} was sent but its answer was lost "
                         f"({error_code(cause)}: {_line(cause)})")


# The request never reached AWS (no connection, bad parameters) or AWS answered with an
# error: the call was not carried out, whatever else happens.
NOT_SENT = (ClientError, EndpointConnectionError, ConnectTimeoutError, ProxyConnectionError,
            ParamValidationError, NoCredentialsError, PartialCredentialsError, NoRegionError,
            UnknownServiceError, NotImplementedError, WriteRefused)


# Error codes AWS answers a write with before doing anything (the request was rate
# limited), and how often and how patiently the Executor sends the write again.
THROTTLED = frozenset({"Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
                       "RequestLimitExceeded", "SlowDown", "RequestThrottled", "RequestThrottledException"})
THROTTLE_ATTEMPTS = 4
THROTTLE_BACKOFF_SECONDS = 1.0


def _line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@dataclass(frozen=True, kw_only=True)
class Call:
    """One AWS API call, exactly as it will be sent."""
    service: str        # boto3 service name
    operation: str      # API operation name, e.g. PutBucketEncryption
    params: dict
    note: str = ""      # why, for the printed plan

    def to_dict(self) -> dict:
        d = {"service": self.service, "operation": self.operation, "params": self.params}
        if self.note:
            d["note"] = self.note
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "Call":
        return cls(service=d["service"], operation=d["operation"], params=d.get("params") or {},
                   note=d.get("note", ""))


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


# --- audit log ------------------------------------------------------------------------

def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds")


class AuditLog:
    """Append-only JSON lines: one before and one after every mutating call, and the
    events around them (stale plans, rollbacks, verification)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._identity: dict[int, str] = {}

    def identity(self, aws: AwsContext, region: str) -> str:
        key = id(aws)
        if key not in self._identity:
            self._identity[key] = aws.client("sts", region).get_caller_identity()["Arn"]
        return self._identity[key]

    def write(self, record: dict) -> None:
        line = json.dumps({"time": _now(), **record}, default=str, sort_keys=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # O_APPEND: lines from concurrent writers never interleave or overwrite.
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, (line + "\n").encode())
                os.fsync(fd)
            finally:
                os.close(fd)

    def check_writable(self) -> None:
        """Refuse to start an apply whose audit log cannot be written: every change
        must be recorded, so this is checked before the first one."""
        # Checked without creating anything: declining the confirmation leaves no file.
        if self.path.is_dir():
            raise InputError(f"--audit-log: {self.path} is a directory")
        existing = self.path if self.path.exists() else next(
            (d for d in self.path.absolute().parents if d.exists()), Path("/"))
        if not existing.is_dir() and existing != self.path or not os.access(existing, os.W_OK):
            raise InputError(f"--audit-log: cannot write {self.path}")

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        return [json.loads(ln) for ln in self.path.read_text().splitlines() if ln.strip()]


class Executor:
    """The ONE wrapper for mutating calls: audit line, call, audit line."""

    def __init__(self, *, aws: AwsContext, audit: AuditLog, runbook: str, resource: dict,
                 policy_ids: Sequence[str] = ()):
        self.aws = aws
        self.audit = audit
        self.runbook = runbook
        self.resource = resource
        self.policy_ids = list(policy_ids)
        self.region = region_of(resource)
        self.identity = audit.identity(aws, self.region)
        self.done: list[dict] = []

    def _base(self) -> dict:
        return {"identity": self.identity, "runbook": self.runbook,
                "policy_ids": self.policy_ids,
                "resource": self.resource.get("arn") or self.resource.get("id")}

    def event(self, event: str, **details) -> None:
        self.audit.write({**self._base(), "event": event, **details})

    def call(self, call: Call) -> dict:
        """Send one mutating call exactly once, logged before and after.

        The write client never retries (AwsContext.write_client). The record after
        the call says what is known: `succeeded`, `failed` (AWS answered with an
        error, or the request never left), or `answer-lost` (it was sent and may
        have been carried out: the caller re-reads the resource before anything
        else, see `AnswerLost`)."""
        record = {**self._base(), "event": "call", "call": f"{call.service}:{call.operation}",
                  "parameters": call.params}
        for attempt in range(1, THROTTLE_ATTEMPTS + 1):
            self.audit.write({**record, "outcome": "started", "attempt": attempt})
            try:
                client = self.aws.write_client(call.service, self.region)
                response = getattr(client, xform_name(call.operation))(**call.params)
                break
            except ClientError as exc:
                # Throttling is refused before AWS does anything: the one error after
                # which sending the same write again cannot make it happen twice.
                if error_code(exc) in THROTTLED and attempt < THROTTLE_ATTEMPTS:
                    self._after(record, call, "throttled", f"{error_code(exc)}: {_line(exc)}", attempt)
                    time.sleep(THROTTLE_BACKOFF_SECONDS * 2 ** (attempt - 1))
                    continue
                self._after(record, call, "failed", f"{error_code(exc)}: {_line(exc)}", attempt)
                raise
            except NOT_SENT as exc:
                self._after(record, call, "failed", f"{error_code(exc)}: {_line(exc)}", attempt)
                raise
            except BaseException as exc:
                # Anything else (a reset connection, a timeout, an answer that does not
                # parse, an interrupt) happened after the request may have reached AWS.
                self._after(record, call, "answer-lost", f"{error_code(exc)}: {_line(exc)}", attempt)
                if isinstance(exc, Exception):
                    raise AnswerLost(call, exc) from exc
                raise
        response = dict(response or {})
        response.pop("ResponseMetadata", None)
        self._after(record, call, "succeeded", "", attempt)
        return response

    def _after(self, record: dict, call: Call, outcome: str, error: str, attempt: int) -> None:
        extra = {"error": error} if error else {}
        self.audit.write({**record, "outcome": outcome, "attempt": attempt, **extra})
        if outcome != "throttled":
            self.done.append({**call.to_dict(), "outcome": outcome, **extra})

    def send(self, service: str, operation: str, note: str = "", **params) -> dict:
        return self.call(Call(service=service, operation=operation, params=params, note=note))


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
        if mod.name not in ("base", "engine", "common"):
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

def region_of(resource: dict) -> str:
    """The region to call for a resource; global ones (IAM, "global") go to us-east-1."""
    region = resource.get("region") or ""
    return "us-east-1" if region in ("", "global") else region


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") or "ClientError"
    return type(exc).__name__


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
