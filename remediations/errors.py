"""What can go wrong in a remediation, each failure a `RemediationError` whose message
says why in one line: refused before (`PlanRefused`, `ApplyRefused`), stale
(`StalePlan`), or a call whose answer was lost (`AnswerLost`, raised by the Executor in
remediations/executor.py)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from .executor import Call


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
                         f"({error_code(cause)}: {line(cause)})")


def line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def error_code(exc: BaseException) -> str:
    """AWS's error code for an answer with one, else the exception's type name."""
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") or "ClientError"
    return type(exc).__name__
