"""The CI gate: what a run's exit code says, decided from its findings and coverage.

A gate never passes on what it did not see: a scan with coverage gaps, or with
NOT_ASSESSED findings at or above the threshold, is *incomplete* (exit 3) unless the
user accepts gaps with `--allow-gaps`. A FAIL outranks incompleteness (exit 1): it is
a definite answer, and the line says the scan was incomplete as well.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .model import Finding, Severity, Status

EXIT_OK = 0           # nothing at or above --fail-on failed, and everything was read
EXIT_FAILED = 1       # a FAIL or ERROR at or above --fail-on
EXIT_INPUT = 2        # usage or input error, before anything was judged
EXIT_INCOMPLETE = 3   # coverage gaps / NOT_ASSESSED at or above --fail-on (without --allow-gaps)
EXIT_INTERNAL = 4     # a bug: one line, and the traceback in a log file
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)

FAIL_ON_NONE = "none"  # report only: exit 0 whatever was found
FAIL_ON_CHOICES = tuple(s.value for s in Severity) + (FAIL_ON_NONE,)


@dataclass(frozen=True, kw_only=True)
class Gate:
    """The verdict of one run, and the one line that states it."""
    threshold: Severity | None       # None: --fail-on none
    allow_gaps: bool
    failed: tuple[Finding, ...]        # FAIL/ERROR at or above the threshold
    not_assessed: tuple[Finding, ...]  # NOT_ASSESSED at or above the threshold
    gaps: int                          # coverage gaps (reads that failed)
    code: int

    @property
    def incomplete(self) -> bool:
        return bool(self.gaps or self.not_assessed)

    def line(self) -> str:
        if self.threshold is None:
            return (f"report only (--fail-on none): {_count(self.failed, 'failing finding')}, "
                    f"{self._incompleteness()}")
        at = f"at or above '{self.threshold.value}'"
        if self.code == EXIT_FAILED:
            policies = len({f.policy_id for f in self.failed})
            text = f"FAILED: {len(self.failed)} finding(s) {at} failed in {_count(policies, 'policy', 'policies')}"
            return text + (f"; the scan was also incomplete ({self._incompleteness()})" if self.incomplete else "")
        if self.code == EXIT_INCOMPLETE:
            return (f"INCOMPLETE: {self._incompleteness()}; nothing judged failed {at}, "
                    "but the gate does not pass what it could not judge (--allow-gaps to accept)")
        accepted = f"; accepted with --allow-gaps: {self._incompleteness()}" if self.incomplete else ""
        return f"PASSED: nothing {at} failed{accepted}"

    def _incompleteness(self) -> str:
        if not self.incomplete:
            return "no coverage gap"
        at = f" at or above '{self.threshold.value}'" if self.threshold else ""
        return f"{_count(self.gaps, 'coverage gap')}, {len(self.not_assessed)} NOT_ASSESSED finding(s){at}"


def _count(n, noun: str, plural: str | None = None) -> str:
    n = n if isinstance(n, int) else len(n)
    return f"{n} {noun if n == 1 else (plural or noun + 's')}"


def parse_fail_on(value: str) -> Severity | None:
    return None if value == FAIL_ON_NONE else Severity(value)


def judge(doc, threshold: Severity | None, *, allow_gaps: bool = False) -> Gate:
    """The gate for a findings document (anything with `.findings` and `.coverage`)."""
    if threshold is None:
        failed = tuple(f for f in doc.findings if f.status in (Status.FAIL, Status.ERROR))
        unassessed = tuple(f for f in doc.findings if f.status == Status.NOT_ASSESSED)
        return Gate(threshold=None, allow_gaps=allow_gaps, failed=failed, not_assessed=unassessed,
                    gaps=len(doc.coverage), code=EXIT_OK)
    at_or_above = [f for f in doc.findings if f.severity.rank >= threshold.rank]
    failed = tuple(f for f in at_or_above if f.status in (Status.FAIL, Status.ERROR))
    unassessed = tuple(f for f in at_or_above if f.status == Status.NOT_ASSESSED)
    gaps = len(doc.coverage)
    if failed:
        code = EXIT_FAILED
    elif (gaps or unassessed) and not allow_gaps:
        code = EXIT_INCOMPLETE
    else:
        code = EXIT_OK
    return Gate(threshold=threshold, allow_gaps=allow_gaps, failed=failed, not_assessed=unassessed,
                gaps=gaps, code=code)


def not_assessed_reasons(doc) -> list[tuple[str, int]]:
    """Why findings are NOT_ASSESSED, most frequent first: the failed call and its error
    for coverage gaps, the finding's own message otherwise (values unknown before
    deployment, a facet that could not be read)."""
    reasons: Counter = Counter()
    for f in doc.findings:
        if f.status != Status.NOT_ASSESSED:
            continue
        gap = (f.evidence or {}).get("coverage_gap") if isinstance(f.evidence, dict) else None
        if isinstance(gap, dict) and gap.get("operation"):
            reasons[f"{gap['operation']} failed with {gap.get('error_code') or 'an error'}"] += 1
        else:
            reasons[f.message.removeprefix("not assessed: ")[:120]] += 1
    return reasons.most_common()
