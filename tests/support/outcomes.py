"""One verdict as a comparable outcome, for tests that compare verdicts across
engines or across garbled inputs."""
from __future__ import annotations

from mlwarden.engine.base import Verdict


def outcome(v: Verdict) -> tuple:
    """("ERROR",), ("NOT_APPLICABLE",), ("PASS",) or ("FAIL", sorted messages)."""
    if v.error:
        return ("ERROR",)
    if not v.applicable:
        return ("NOT_APPLICABLE",)
    msgs = tuple(sorted({x["msg"] for x in v.violations}))
    return ("FAIL", msgs) if msgs else ("PASS",)
