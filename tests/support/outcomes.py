"""One verdict as a comparable outcome, for tests that compare verdicts across
engines or across garbled inputs."""
from __future__ import annotations

from mlwarden.engine.base import Verdict


def outcome(v: Verdict) -> tuple:
    """("ERROR",), ("NOT_APPLICABLE",), ("PASS",) or ("FAIL", sorted (message, path))
    where the path is the dotted attribute path, "" for a violation without one."""
    if v.error:
        return ("ERROR",)
    if not v.applicable:
        return ("NOT_APPLICABLE",)
    found = tuple(sorted({(x["msg"], ".".join(map(str, x.get("path") or ()))) for x in v.violations}))
    return ("FAIL", found) if found else ("PASS",)
