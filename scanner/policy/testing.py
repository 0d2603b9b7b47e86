"""Running the policies' Rego unit tests (`*_test.rego`) on the embedded engine.

`opa test` is the reference runner, but the scanner judges with regopy, so a
policy's tests must pass there too. regopy has no test runner: we compile the
policy library and the test files into one bundle whose entry points are the
`test_*` rules, and query each one. A test passes when its rule is `true`;
`false` or undefined is a failure; an evaluation error (a builtin that failed,
a conflict) is an error. Each result names the file and line of the test rule.

Used by `mlwarden policies test` and by the test suite.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import InputError
from .library import PolicySet, load_policies, rego_files, shipped_policy_dir

# A test is a top-level rule whose name starts with test_ (OPA's convention);
# todo_test_ marks a test that is skipped.
_TEST_RULE = re.compile(r"^(todo_)?(test_[A-Za-z0-9_]*)\b", re.M)
_PACKAGE = re.compile(r"^package\s+([A-Za-z_][\w.]*)\s*$", re.M)
# regopy reports an error as an S-expression naming the message and a source span:
#   (error (errormsg 14:invalid syntax) (errorast (rego-STRING 6:t.rego|127|5:"abc")) …)
_ERR_MSG = re.compile(r"\(errormsg \d+:([^)\n]*)\)")
_ERR_AT = re.compile(r"\d+:([^|()\s]+)\|(\d+)\|\d+")

PASS, FAIL, ERROR, SKIP = "PASS", "FAIL", "ERROR", "SKIP"


@dataclass(frozen=True, kw_only=True)
class TestResult:
    path: Path
    line: int
    package: str
    name: str
    status: str            # PASS, FAIL, ERROR, SKIP
    message: str = ""      # why it failed: "undefined", "false", the error text

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class TestReport:
    results: list[TestResult] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)   # "file:line: message" (parse errors)
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


@dataclass(frozen=True, kw_only=True)
class _TestFile:
    path: Path
    source: str
    package: str
    tests: tuple[tuple[str, int, bool], ...]   # (rule name, line, todo)


def run_tests(dirs: Sequence[Path] = (), *, engine: str = "regopy") -> TestReport:
    """Run every `*_test.rego` under `dirs` (default: the shipped policies).

    The shipped library is always loaded, so a team's tests can use its helpers;
    a policy that does not load (bad METADATA, duplicate id) raises InputError.
    engine "opa" runs `opa test` (the reference) instead of the embedded engine.
    """
    shipped = shipped_policy_dir().resolve()
    dirs = [Path(d) for d in dirs] or [shipped]
    for d in dirs:
        if not d.is_dir():
            raise InputError(f"{d}: not a directory")
    extra = [d for d in dirs if d.resolve() != shipped]
    load_policies(extra)   # fail early, in this process, on a policy that does not load
    files = [_read_test_file(p) for d in dirs for p in sorted(d.rglob("*_test.rego"))]
    report = TestReport(files=len(files))
    if engine == "opa":
        _run_opa_test(shipped, dirs, extra, report)
    elif engine == "regopy":
        _run_in_children(extra, files, report)
    else:
        raise InputError(f"--engine: unknown engine {engine!r} (known: regopy, opa)")
    return report


def _run_opa_test(shipped: Path, dirs: list[Path], extra: list[Path], report: TestReport) -> None:
    """`opa test --format json`: the shipped library (without its tests, unless asked
    for) and the given directories."""
    from ..engine.opa_engine import find_opa_binary
    opa = find_opa_binary()
    if opa is None:
        raise InputError("--engine opa: no `opa` binary found (set MLWARDEN_OPA, put `opa` on PATH, "
                         "or run `scripts/bootstrap.sh opa`)")
    targets = [str(d) for d in dirs]
    if extra and len(extra) == len(dirs):   # the shipped tests were not asked for
        targets += [str(p) for p in rego_files(shipped)]
    proc = subprocess.run([str(opa), "test", "--format", "json", *targets], capture_output=True, text=True)
    try:
        results = json.loads(proc.stdout) if proc.stdout.strip() else []
    except json.JSONDecodeError:
        results = None
    if results is None or (proc.returncode != 0 and not results):
        err = (proc.stderr or proc.stdout).strip().splitlines()
        report.file_errors.append(err[-1] if err else f"opa test failed (exit code {proc.returncode})")
        return
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


def _read_test_file(path: Path) -> _TestFile:
    source = path.read_text()
    m = _PACKAGE.search(source)
    if m is None:
        raise InputError(f"{path}:1: no 'package' line")
    tests, seen = [], set()
    for t in _TEST_RULE.finditer(source):
        name = t.group(2)
        if name in seen:   # incremental definitions of one test rule: one test
            continue
        seen.add(name)
        tests.append((name, source.count("\n", 0, t.start()) + 1, bool(t.group(1))))
    return _TestFile(path=path, source=source, package=m.group(1), tests=tuple(tests))


# --- crash isolation -------------------------------------------------------------------
#
# regopy is C++: some constructs abort the whole process instead of raising (regopy
# 1.5.2 aborts on `with input as data.x.y`, a rule reference as the `with` value).
# So the tests run in a child process that reports each step as a JSON line in a
# file; when the child dies, the step it was on is reported as an ERROR naming the
# crash, and a new child carries on with the files after it.

def _run_in_children(extra: list[Path], files: list[_TestFile], report: TestReport) -> None:
    pending = list(files)
    shared = True   # first try: compile every file's cases together (much faster)
    while pending:
        with tempfile.NamedTemporaryFile("w+", suffix=".jsonl") as events:
            job = {"extra": [str(d) for d in extra], "files": [str(f.path) for f in pending],
                   "shared": shared}
            proc = subprocess.run(
                [sys.executable, "-c", "from mlwarden.policy.testing import _child; _child()",
                 events.name], input=json.dumps(job), capture_output=True, text=True)
            events.seek(0)
            lines = [json.loads(x) for x in events.read().splitlines() if x.strip()]
        current, started = _apply_events(lines, report)
        if proc.returncode == 0:
            return
        if current is None and shared and not lines:
            shared = False   # the shared compile crashed: go file by file to find the culprit
            continue
        if current is None:  # died before the first file: not a test problem
            raise RuntimeError(f"the Rego test runner failed: {proc.stderr.strip()[-500:]}")
        crash = _crash_text(proc)
        f = next(x for x in pending if str(x.path) == current)
        finished = {r.name for r in report.results if str(r.path) == current}
        if started is None:
            line, hint = _crash_hint(f)
            report.file_errors.append(f"{f.path}:{line}: the embedded engine (regopy) crashed "
                                      f"compiling this file: {crash}{hint}")
        else:
            name, line = started
            report.results.append(TestResult(path=f.path, line=line, package=f.package, name=name,
                                             status=ERROR, message=f"the embedded engine crashed: {crash}"))
            finished.add(name)
            for other, oline, todo in f.tests:
                if other not in finished and not todo:
                    report.results.append(TestResult(
                        path=f.path, line=oline, package=f.package, name=other, status=ERROR,
                        message=f"not run: the embedded engine crashed on {name} in this file"))
        pending = pending[pending.index(f) + 1:]


def _apply_events(lines: list[dict], report: TestReport):
    """Fold the child's events into the report; return (the file being run,
    (test, line) being run) so a crash can be placed."""
    current, started = None, None
    for e in lines:
        kind = e["event"]
        if kind == "file":
            current, started = e["file"], None
        elif kind == "start":
            started = (e["name"], e["line"])
        elif kind == "result":
            report.results.append(TestResult(path=Path(e["file"]), line=e["line"], package=e["package"],
                                             name=e["name"], status=e["status"], message=e["message"]))
            started = None
        elif kind == "file_error":
            report.file_errors.append(f"{e['file']}:{e['line']}: does not compile: {e['message']}")
        elif kind == "done":
            current, started = None, None
    return current, started


def _crash_text(proc: subprocess.CompletedProcess) -> str:
    tail = [ln.strip() for ln in proc.stderr.splitlines() if ln.strip()]
    reason = tail[-1].removeprefix("what():").strip() if tail else ""
    sig = f"signal {-proc.returncode}" if proc.returncode < 0 else f"exit code {proc.returncode}"
    return f"{reason} ({sig})" if reason else sig


def _crash_hint(f: _TestFile) -> tuple[int, str]:
    """Point at a construct known to crash regopy, if the file has one."""
    from .lint import lint_source
    for w in lint_source(f.path, f.source):
        if w.code in ("with-rule-ref", "with-input"):
            return w.line, f"; likely cause, line {w.line}: {w.message}"
    return 1, ""


def _child() -> None:
    """Entry point of the child process: run the files named on stdin."""
    job = json.loads(sys.stdin.read())
    policy_set = load_policies([Path(d) for d in job["extra"]])
    with open(sys.argv[1], "a", buffering=1) as out:
        def emit(**event):
            out.write(json.dumps(event) + "\n")
            out.flush()
            os.fsync(out.fileno())
        files = [_read_test_file(Path(name)) for name in job["files"]]
        shared = _SharedCases.build(policy_set, files) if job.get("shared") else None
        for f in files:
            emit(event="file", file=str(f.path))
            _run_file(policy_set, f, emit, shared)
            emit(event="done", file=str(f.path))


def _interpreter():
    from regopy import Interpreter, LogLevel
    it = Interpreter()
    it.log_level = LogLevel.NONE         # compile errors would otherwise go to stdout
    it.strict_built_in_errors = True     # a failing builtin is an error, not undefined
    return it


def _run_file(policy_set: PolicySet, f: _TestFile, emit, shared: "_SharedCases | None" = None) -> None:
    """Run one test file: its `cases` table on the policy directly, the rest as rules."""
    library = [*policy_set.modules, *policy_set.policies]
    sources = {str(m.path): m.source for m in library}
    sources[str(f.path)] = f.source
    by_case = _case_tests(f)
    rules = []
    for name, line, todo in f.tests:
        if todo:
            emit(event="result", file=str(f.path), line=line, package=f.package, name=name,
                 status=SKIP, message="todo")
        elif name not in by_case:
            rules.append((name, line))
    if by_case:
        _run_cases(policy_set, f, by_case, sources, emit, shared)
    if rules:
        _run_rules(library, f, rules, sources, emit)


# The library's test convention (docs/policies.md, tests/policies/test_policy_library.py):
#     cases := {"fails_without_key": {"want": 1, "input": {...}}, ...}
#     check(name) if count(<policy>.deny) == cases[name].want with input as cases[name].input
#     test_fails_without_key if check("fails_without_key")
# regopy 1.5.2 crashes on `with input as` over rules that call builtins, so on the
# embedded engine a case runs by setting the input and counting `deny` of the policy
# under test (the test package without `_test`); `opa test` runs the rules themselves.
_CASES = re.compile(r"^cases := (\{.*?^\})", re.M | re.S)
_CHECK_RULE = re.compile(r"^(test_\w+) if check\(\"(\w+)\"\)\s*$", re.M)


def _case_tests(f: _TestFile) -> dict[str, tuple[str, int]]:
    """test rule name -> (case name, line), for rules of the form `test_x if check("x")`."""
    if not _CASES.search(f.source):
        return {}
    return {m.group(1): (m.group(2), f.source.count("\n", 0, m.start()) + 1)
            for m in _CHECK_RULE.finditer(f.source)}


def _cases_module(f: _TestFile) -> tuple[str, int]:
    """The file's `cases` table alone, padded so regopy's line numbers match the file's."""
    block = _CASES.search(f.source)
    cases_line = f.source.count("\n", 0, block.start()) + 1
    return (f"package {f.package}\n" + "\n" * (cases_line - 2) + f"cases := {block.group(1)}\n",
            cases_line)


def _eps(f: _TestFile) -> tuple[str, str]:
    """(deny entrypoint of the policy under test, cases entrypoint)."""
    return (f.package.removesuffix("_test").replace(".", "/") + "/deny",
            f.package.replace(".", "/") + "/cases")


@dataclass
class _SharedCases:
    """The library and every file's `cases` compiled into one bundle: compiling the
    library once instead of once per test file. Any problem: None (file by file)."""
    it: object
    bundle: object
    files: set[str]

    @classmethod
    def build(cls, policy_set: PolicySet, files: list[_TestFile]) -> "_SharedCases | None":
        packages = {p.package for p in policy_set.policies}
        usable = [f for f in files if _case_tests(f) and f.package.removesuffix("_test") in packages]
        if not usable:
            return None
        try:
            it = _interpreter()
            for m in [*policy_set.modules, *policy_set.policies]:
                it.add_module(str(m.path), m.source)
            for f in usable:
                it.add_module(str(f.path), _cases_module(f)[0])
            bundle = it.build(None, sorted({ep for f in usable for ep in _eps(f)}))
        except Exception:
            return None
        return cls(it=it, bundle=bundle, files={str(f.path) for f in usable})


def _run_cases(policy_set: PolicySet, f: _TestFile, by_case: dict, sources: dict, emit,
               shared: _SharedCases | None = None) -> None:
    from regopy import Input

    policy_pkg = f.package.removesuffix("_test")
    module, cases_line = _cases_module(f)
    if not any(p.package == policy_pkg for p in policy_set.policies):
        emit(event="file_error", file=str(f.path), line=1,
             message=f"no policy with package {policy_pkg} (the test package without _test)")
        return
    deny_ep, cases_ep = _eps(f)
    if shared is not None and str(f.path) in shared.files:
        it, bundle = shared.it, shared.bundle
    else:
        it = _interpreter()
        for m in [*policy_set.modules, *policy_set.policies]:
            it.add_module(str(m.path), m.source)
        try:
            it.add_module(str(f.path), module)
            bundle = it.build(None, [deny_ep, cases_ep])
        except Exception as exc:
            message, _, line = _locate(str(exc), sources)
            emit(event="file_error", file=str(f.path), line=line, message=f"cases: {message}")
            return
    ok, cases = _entrypoint(it, bundle, cases_ep, sources)
    if not ok or not isinstance(cases, dict):
        emit(event="file_error", file=str(f.path), line=cases_line,
             message=str(cases) if not ok else "`cases` must be an object of {\"want\": n, \"input\": {...}}")
        return
    for name, (case, line) in by_case.items():
        c = cases.get(case)
        emit(event="start", file=str(f.path), name=name, line=line)
        if not isinstance(c, dict) or "input" not in c or not isinstance(c.get("want"), int):
            status, message = ERROR, f"no case {case!r} with an integer 'want' and an 'input' in `cases`"
        else:
            it.set_input(Input(c["input"]))
            ok, deny = _entrypoint(it, bundle, deny_ep, sources)
            if not ok:
                status, message = ERROR, str(deny)
            else:
                deny = [] if deny is _UNDEFINED else deny
                got = len(deny) if isinstance(deny, list) else -1
                status = PASS if got == c["want"] else FAIL
                message = "" if status == PASS else f"want {c['want']} violation(s), got {got}: {deny}"
        emit(event="result", file=str(f.path), line=line, package=f.package, name=name,
             status=status, message=message)


def _run_rules(library, f: _TestFile, rules: list[tuple[str, int]], sources: dict, emit) -> None:
    """Other test rules: query each `test_*` rule; true passes."""
    from regopy import Input

    it = _interpreter()
    for m in library:
        it.add_module(str(m.path), m.source)   # the library loaded already; it parses
    try:
        it.add_module(str(f.path), f.source)
    except Exception as exc:  # regopy raises on a parse error, with an S-expression
        message, _, line = _locate(str(exc), sources)
        emit(event="file_error", file=str(f.path), line=line, message=message)
        return
    runnable = [(name, line, f.package.replace(".", "/") + "/" + name) for name, line in rules]
    try:
        bundle = it.build(None, [ep for *_, ep in runnable])
    except Exception as exc:
        message, where, line = _locate(str(exc), sources)
        if where and where != str(f.path):
            message, line = f"{message} (in {where}:{line})", 1
        emit(event="file_error", file=str(f.path), line=line, message=message)
        return
    for name, line, ep in runnable:
        emit(event="start", file=str(f.path), name=name, line=line)
        it.set_input(Input({}))
        status, message = _judge(it, bundle, ep, sources)
        emit(event="result", file=str(f.path), line=line, package=f.package, name=name,
             status=status, message=message)


_UNDEFINED = object()


def _entrypoint(it, bundle, entrypoint: str, sources: dict[str, str]) -> tuple[bool, object]:
    """(True, value) — `_UNDEFINED` when undefined — or (False, error text).

    The value is read from regopy's result tree, not its JSON, which regopy 1.5.2
    writes without escaping strings (see engine/regopy_engine.py)."""
    from regopy.rego_shared import (rego_bundle_query_entrypoint, rego_free_output, rego_node_json,
                                    rego_output_expressions_at_index, rego_output_node, rego_output_ok)
    from ..engine.regopy_engine import _node_value
    impl = rego_bundle_query_entrypoint(it._impl, bundle._impl, entrypoint)
    try:
        if not rego_output_ok(impl):
            message, where, line = _locate(rego_node_json(rego_output_node(impl)), sources)
            return False, f"{message} (at {where}:{line})" if where else message
        try:
            node = rego_output_expressions_at_index(impl, 0)
        except Exception:  # no expression: undefined
            return True, _UNDEFINED
        if not node:
            return True, _UNDEFINED
        value = _node_value(node)
        while isinstance(value, list) and len(value) == 1 and isinstance(value[0], (dict, list)):
            value = value[0]  # unwrap Terms/Result wrappers
        return True, value
    finally:
        rego_free_output(impl)


def _judge(it, bundle, entrypoint: str, sources: dict[str, str]) -> tuple[str, str]:
    ok, value = _entrypoint(it, bundle, entrypoint, sources)
    if not ok:
        return ERROR, str(value)
    if value is _UNDEFINED:
        return FAIL, "undefined"
    if value is True or value == [True]:
        return PASS, ""
    return FAIL, json.dumps(value, default=str)


def _locate(sexpr: str, sources: dict[str, str]) -> tuple[str, str, int]:
    """(message, file, line) from a regopy error S-expression; file is "" when unknown."""
    msg = _ERR_MSG.search(sexpr)
    message = msg.group(1).strip() if msg else (sexpr.splitlines() or ["evaluation error"])[0][:200]
    at = _ERR_AT.search(sexpr)
    if at and at.group(1) in sources:
        return message, at.group(1), sources[at.group(1)][: int(at.group(2))].count("\n") + 1
    return message, "", 1


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
