"""Running the policies' Rego unit tests (`*_test.rego`) with `opa test`.

`opa test` is the reference runner, and the engines run OPA's own compiler (the
Wasm engine runs what `opa build` makes of the very same modules), so the tests
run there, with the shipped library loaded so a team's tests can use its helpers.
Each result names the file and line of the test rule. For a failing test of the
library's `cases` convention (policies/lib/testing.rego), where a case lists the
violations it wants,

    check(name) if testing.matches(<policy>.deny, cases[name].want) with input as cases[name].input ...
    test_<case> if check("<case>")

the report adds what `deny` gave instead ("want [...], got [...]"); for the older
convention that counts (`count(<policy>.deny) == cases[name].want`), how many.

A test file that does not compile is reported with its file and line and left out;
the other files still run. Used by `mlwarden policies test` and by the test suite.
"""
from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from .library import load_policies, rego_files, shipped_policy_dir

PASS, FAIL, ERROR, SKIP = "PASS", "FAIL", "ERROR", "SKIP"
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)\s*$", re.M)
_CHECK = re.compile(r"^check\(name\) if (?:count\((\w+)\.deny\) == |testing\.matches\((\w+)\.deny, )cases\[name\]\.want\b",
                    re.M)
_IMPORT = re.compile(r"^import data\.([\w.]+)\s*$", re.M)
_CASE_TEST = re.compile(r'^test_(\w+) if check\("(\w+)"\)\s*$', re.M)
_LOCATED = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<line>\d+):\s*(?P<msg>.*)$", re.M)


@dataclass(frozen=True, kw_only=True)
class TestResult:
    path: Path
    line: int
    package: str
    name: str
    status: str            # PASS, FAIL, ERROR, SKIP
    message: str = ""      # why it failed

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class TestReport:
    results: list[TestResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)   # "file:line: message"
    files: int = 0

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def ok(self) -> bool:
        return not self.file_errors and self.count(FAIL) == 0 and self.count(ERROR) == 0

    @property
    def problems(self) -> list[TestResult]:
        return [r for r in self.results if r.status in (FAIL, ERROR)]

    def summary(self) -> str:
        return (f"{self.count(PASS)} passed, {self.count(FAIL)} failed, {self.count(ERROR)} errors, "
                f"{self.count(SKIP)} skipped ({len(self.results)} tests in {self.files} files"
                + (f", {len(self.file_errors)} files did not compile" if self.file_errors else "")
                + ")")


def _opa() -> Path:
    from ..engine.opa_server import find_opa_binary
    opa = find_opa_binary()
    if opa is None:
        raise InputError("policies test runs `opa test`, and no `opa` binary was found: install OPA "
                         "(https://www.openpolicyagent.org/docs/#running-opa), put it on PATH or set "
                         "MLWARDEN_OPA, or run scripts/bootstrap.sh opa in a checkout")
    return opa


def run_tests(dirs: Sequence[Path] = ()) -> TestReport:
    """Run every `*_test.rego` under `dirs` (default: the shipped policies).

    A policy that does not load (bad METADATA, duplicate id) raises InputError."""
    shipped = shipped_policy_dir().resolve()
    dirs = [Path(d) for d in dirs] or [shipped]
    for d in dirs:
        if not d.is_dir():
            raise InputError(f"{d}: not a directory")
    extra = [d for d in dirs if d.resolve() != shipped]
    load_policies(extra)   # fail early on a policy that does not load
    opa = _opa()
    tests = sorted(p for d in dirs for p in d.rglob("*_test.rego"))
    modules = [p for d in dirs for p in rego_files(d)]
    if extra and len(extra) == len(dirs):   # the shipped tests were not asked for: its modules only
        modules += rego_files(shipped)
    report = TestReport(files=len(tests))
    tests = _compiling(opa, modules, tests, report)
    if not tests:
        return report
    proc = subprocess.run([str(opa), "test", "--format", "json", *map(str, modules), *map(str, tests)],
                          capture_output=True, text=True)
    try:
        results = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        results = None
    if results is None or (proc.returncode != 0 and not results):
        report.file_errors.append(_first_error(proc.stderr or proc.stdout)
                                  or f"opa test failed (exit code {proc.returncode})")
        return report
    for r in results:
        loc = r.get("location") or {}
        if r.get("skip"):
            status, message = SKIP, "todo"
        elif r.get("error"):
            status, message = ERROR, str((r["error"] or {}).get("message", r["error"]))
        elif r.get("fail"):
            status, message = FAIL, "false or undefined"
        else:
            status, message = PASS, ""
        report.results.append(TestResult(path=Path(loc.get("file", "?")), line=int(loc.get("row", 1)),
                                         package=r.get("package", "").removeprefix("data."),
                                         name=r.get("name", "?"), status=status, message=message))
    _explain_case_failures(opa, modules, report)
    return report


def _first_error(text: str) -> str | None:
    m = _LOCATED.search(text or "")
    return f"{m.group('file')}:{m.group('line')}: {m.group('msg').strip()}" if m else None


def _compiling(opa: Path, modules: list[Path], tests: list[Path], report: TestReport) -> list[Path]:
    """The test files that compile with the modules; the others become file errors.
    One `opa check` for all; only when it fails, one per test file to find which."""
    def check(files: list[Path]) -> subprocess.CompletedProcess:
        return subprocess.run([str(opa), "check", *map(str, modules), *map(str, files)],
                              capture_output=True, text=True)
    first = check(tests)
    if first.returncode == 0:
        return tests
    if check([]).returncode != 0:   # the policies themselves do not compile
        report.file_errors.append(_first_error(first.stdout + first.stderr) or "policies do not compile")
        return []
    ok = []
    for t in tests:
        proc = check([t])
        if proc.returncode == 0:
            ok.append(t)
        else:
            report.file_errors.append((_first_error(proc.stdout + proc.stderr) or f"{t}:1: does not compile")
                                      + " (file not run)")
    return ok


def _explain_case_failures(opa: Path, modules: list[Path], report: TestReport) -> None:
    """For failing `test_<case> if check("<case>")` tests: how many violations `deny` gave."""
    failing: dict[Path, list[int]] = {}
    for i, r in enumerate(report.results):
        if r.status == FAIL:
            failing.setdefault(r.path, []).append(i)
    for path, indexes in failing.items():
        try:
            source = path.read_text()
        except OSError:
            continue
        check, pkg = _CHECK.search(source), _PACKAGE.search(source)
        alias = check and (check.group(1) or check.group(2))
        policy = next((i for i in _IMPORT.findall(source) if alias and i.rsplit(".", 1)[-1] == alias), None)
        if not (check and pkg and policy):
            continue
        cases = dict(_CASE_TEST.findall(source))
        # A module, not a query: in an `opa eval` query, `with input as <local>` inside
        # a comprehension did not replace the input (OPA 1.20); in a rule it does.
        module = (f"package mlwarden_explain\n\nimport rego.v1\n\n"
                  f"got[c] := [t.want, n] if {{\n\tsome c, t in data.{pkg.group(1)}.cases\n"
                  f"\tn := data.{policy}.deny with input as t.input "
                  f"with data.mlwarden_settings as object.get(t, \"settings\", {{}})\n}}\n")
        with tempfile.TemporaryDirectory(prefix="mlwarden-explain-") as tmp:
            (Path(tmp) / "explain.rego").write_text(module)
            proc = subprocess.run([str(opa), "eval", "--format", "json", *[f"-d={m}" for m in modules],
                                   f"-d={path}", f"-d={tmp}", "x := data.mlwarden_explain.got"],
                                  capture_output=True, text=True)
        try:
            got = json.loads(proc.stdout)["result"][0]["bindings"]["x"]
        except (ValueError, KeyError, IndexError, TypeError):
            continue
        for i in indexes:
            r = report.results[i]
            case = cases.get(r.name.removeprefix("test_"))
            if case in got:
                want, deny = got[case]
                report.results[i] = TestResult(path=r.path, line=r.line, package=r.package, name=r.name,
                                               status=FAIL, message=_explain(want, deny))


def _explain(want, deny: list) -> str:
    """What a failing case wanted and what `deny` gave, in the case table's own terms."""
    if isinstance(want, list):
        return f"want {json.dumps(want)}, got {json.dumps(sorted(deny, key=json.dumps))}"
    return f"want {want} violation(s), got {len(deny)}"


def format_report(report: TestReport, *, verbose: bool = False) -> Iterable[str]:
    """Lines for a terminal: every failure with file:line, then the summary."""
    for e in report.file_errors:
        yield f"ERROR {e}"
    for r in report.results:
        if r.status in (FAIL, ERROR):
            yield f"{r.status:5} {r.where}: {r.package}.{r.name}: {r.message}"
        elif verbose:
            yield f"{r.status:5} {r.where}: {r.package}.{r.name}"
    yield report.summary()
