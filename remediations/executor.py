"""The one wrapper every mutating call goes through: the call as planned (`Call`), the
append-only audit log (`AuditLog`) and the `Executor`, which writes a JSON line to the
log before and after each call, sends each write exactly once (throttling aside) and
says what is known when an answer is lost (`AnswerLost`). The runbooks that plan the
calls are declared in remediations/base.py."""
from __future__ import annotations

import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from botocore import xform_name
from botocore.exceptions import (ClientError, ConnectTimeoutError, EndpointConnectionError,
                                 NoCredentialsError, NoRegionError, ParamValidationError,
                                 PartialCredentialsError, ProxyConnectionError, UnknownServiceError)

from mlwarden.aws.readonly import WriteRefused
from mlwarden.aws.session import AwsContext
from mlwarden.errors import InputError

from .errors import AnswerLost, error_code, line as _line


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


def region_of(resource: dict) -> str:
    """The region to call for a resource; global ones (IAM, "global") go to us-east-1."""
    region = resource.get("region") or ""
    return "us-east-1" if region in ("", "global") else region
