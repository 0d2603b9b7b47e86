"""Every shipped policy loads with valid METADATA, and its Rego unit tests pass on regopy.

Test-file convention (policies/<category>/<name>_test.rego): the fixtures are data,

    cases := {"fails_without_key": {"want": 1, "input": {...}}, "passes_with_key": {...}}
    check(name) if count(<policy>.deny) == cases[name].want with input as cases[name].input
    test_fails_without_key if check("fails_without_key")

so `opa test` runs them with `with input as`, and this suite runs the same cases
on the embedded engine by setting the input directly: regopy 1.5.2 cannot run
`with input as` over rules that call other rules or functions (a module holding
such a `with` makes every query fail, and printing that output segfaults), so
only the `cases := {...}` block (ending with a `}` line at column 0) is read from
the test file and evaluated on its own.
"""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from mlwarden.policy.library import load_policies, shipped_policy_dir
from mlwarden.policy.metadata import parse_module

POLICY_DIR = shipped_policy_dir()
TEST_FILES = sorted(POLICY_DIR.rglob("*_test.rego"))
_CASES = re.compile(r"^cases := (\{.*?^\})", re.M | re.S)
_TEST_RULE = re.compile(r"^test_(\w+)\s+if\s+check\(\"(\w+)\"\)\s*$", re.M)


def _interpreter():
    from regopy import Interpreter, LogLevel
    it = Interpreter()
    it.log_level = LogLevel.NONE
    it.strict_built_in_errors = True
    return it


def _query(it, query: str):
    out = it.query(query)
    # Never str() or repr() an output that is not ok: regopy 1.5.2 segfaults on it
    # (so no `assert out.ok()`: pytest would print the output).
    ok = out.ok()
    assert ok, f"query failed on regopy: {query}"
    return json.loads(str(out))["bindings"]["x"]


@functools.cache
def _policy_set():
    return load_policies()


def test_library_loads_with_valid_metadata():
    ps = _policy_set()
    assert len(ps.policies) >= 60
    for p in ps.policies:
        # The package mirrors the path: policies/<category_dir>/<stem>.rego
        rel = p.path.relative_to(POLICY_DIR).with_suffix("")
        assert p.package == "mlwarden." + ".".join(rel.parts), p.path
        assert p.metadata.category.replace("-", "_") == rel.parts[0], p.path
        assert (p.path.parent / f"{p.path.stem}_test.rego").is_file(), f"{p.path} has no test"


def test_docs_table_lists_every_policy():
    doc = (Path(__file__).parents[2] / "docs" / "policies.md").read_text()
    missing = [p.id for p in _policy_set().policies if f"| {p.id} |" not in doc]
    assert not missing, f"docs/policies.md does not list: {', '.join(missing)}"


def test_every_test_file_belongs_to_a_policy():
    for t in TEST_FILES:
        assert t.with_name(t.name.replace("_test.rego", ".rego")).is_file(), t


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: str(p.relative_to(POLICY_DIR)))
def test_rego_cases_pass_on_regopy(test_file: Path):
    ps = _policy_set()
    policy_path = test_file.with_name(test_file.name.replace("_test.rego", ".rego"))
    policy = next(p for p in ps.policies if p.path == policy_path)
    source = test_file.read_text()
    test_package = parse_module(test_file, source, require_metadata=False).package
    assert test_package == policy.package + "_test", test_file

    it = _interpreter()
    for m in ps.modules:
        it.add_module(str(m.path), m.source)
    it.add_module(str(policy_path), policy.source)
    block = _CASES.search(source)
    assert block, f"{test_file}: no `cases := {{...}}` block"
    it.add_module(f"{test_file} (cases)", f"package {test_package}\n\nimport rego.v1\n\n"
                  f"cases := {block.group(1)}\n")
    cases = _query(it, f"x := data.{test_package}.cases")

    rules = _TEST_RULE.findall(source)
    assert {r for r, _ in rules} == {c for _, c in rules} == set(cases), (
        f"{test_file}: every case needs a rule `test_<case> if check(\"<case>\")`")
    wants = {name: c["want"] for name, c in cases.items()}
    assert any(w > 0 for w in wants.values()) and any(w == 0 for w in wants.values()), (
        f"{test_file}: needs at least one failing and one passing case")

    from regopy import Input
    failed = []
    for name, case in cases.items():
        it.set_input(Input(case["input"]))
        deny = _query(it, f"x := data.{policy.package}.deny")
        if len(deny) != case["want"]:
            failed.append(f"test_{name}: want {case['want']} violation(s), got {deny}")
    assert not failed, f"{test_file}:\n" + "\n".join(failed)
