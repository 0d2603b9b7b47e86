"""Every shipped policy loads with valid METADATA, and its Rego unit tests pass both
under `opa test` and on the engine the scanner runs by default (OPA compiled to Wasm).

Test-file convention (policies/<category>/<name>_test.rego): the fixtures are data,

    cases := {"fails_without_key": {"want": [{"msg": "...", "path": ["properties", "KmsKeyId"]}],
                                    "input": {...}, "settings": {...}}, ...}
    check(name) if testing.matches(<policy>.deny, cases[name].want) with input as cases[name].input
        with data.mlwarden_settings as object.get(cases[name], "settings", {})
    test_fails_without_key if check("fails_without_key")

`opa test` runs them as written; this suite also reads each `cases` table (with
`opa eval`) and judges every case through the shipped Wasm module, with the case's
settings handed over as data exactly as a scan does: the violations (message and
path) must be exactly the ones the case lists. Shipped cases list exact messages and
paths (`msg_contains` and path-less wants are for a team's own tests).
"""
from __future__ import annotations

import functools
import json
import re
import subprocess
from pathlib import Path

import pytest

from mlwarden.policy.library import load_policies, shipped_policy_dir
from mlwarden.policy.metadata import parse_module

POLICY_DIR = shipped_policy_dir()
TEST_FILES = sorted(POLICY_DIR.rglob("*_test.rego"))
_TEST_RULE = re.compile(r"^test_(\w+)\s+if\s+check\(\"(\w+)\"\)\s*$", re.M)


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


def test_docs_tables_are_generated_from_the_metadata(tmp_path):
    """docs/policies.md's tables are what METADATA generates (`mlwarden policies docs
    --check`); a stale copy fails the check, and a page without markers is one line, exit 2."""
    from click.testing import CliRunner
    from mlwarden.cli import main
    page = Path(__file__).parents[2] / "docs" / "policies.md"
    ok = CliRunner().invoke(main, ["policies", "docs", "--check", str(page)])
    assert ok.exit_code == 0, ok.output + "  (run: mlwarden policies docs --write docs/policies.md)"
    doc = page.read_text()
    assert all(f"| {p.id} | {p.metadata.title} |" in doc for p in _policy_set().policies)
    stale = tmp_path / "policies.md"
    first = next(p for p in _policy_set().policies)
    stale.write_text(doc.replace(f"| {first.id} |", "| MLW-OLD-999 |"))
    failed = CliRunner().invoke(main, ["policies", "docs", "--check", str(stale)])
    assert failed.exit_code == 1 and "out of date" in failed.output
    assert CliRunner().invoke(main, ["policies", "docs", "--write", str(stale)]).exit_code == 0
    assert stale.read_text() == doc                      # --write restores exactly the generated tables
    bare = tmp_path / "bare.md"
    bare.write_text("# no markers\n")
    refused = CliRunner().invoke(main, ["policies", "docs", "--check", str(bare)])
    assert refused.exit_code == 2 and len(refused.output.strip().splitlines()) == 1, refused.output


def test_every_test_file_belongs_to_a_policy():
    for t in TEST_FILES:
        assert t.with_name(t.name.replace("_test.rego", ".rego")).is_file(), t


@functools.cache
def _all_cases(opa: str) -> dict:
    """Every test package's `cases` table, read by OPA in one query."""
    packages = [parse_module(t, require_metadata=False).package for t in TEST_FILES]
    query = "x := {" + ", ".join(f'"{p}": data.{p}.cases' for p in packages) + "}"
    proc = subprocess.run([opa, "eval", "--format", "json", "-d", str(POLICY_DIR), query],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)["result"][0]["bindings"]["x"]


def test_the_shipped_rego_tests_pass_under_opa_test(opa_binary):
    from mlwarden.policy.testing import run_tests
    report = run_tests()
    problems = [f"{r.where}: {r.name}: {r.message}" for r in report.problems] + report.file_errors
    assert report.ok, "\n".join(problems)
    assert report.count("PASS") >= 300 and report.files == len(TEST_FILES)


@pytest.mark.parametrize("test_file", TEST_FILES, ids=lambda p: str(p.relative_to(POLICY_DIR)))
def test_rego_cases_pass_on_the_wasm_engine(test_file: Path, opa_binary):
    from mlwarden.engine.base import EvalRequest
    from mlwarden.engine.wasm_engine import WasmEngine
    ps = _policy_set()
    policy_path = test_file.with_name(test_file.name.replace("_test.rego", ".rego"))
    policy = next(p for p in ps.policies if p.path == policy_path)
    source = test_file.read_text()
    test_package = parse_module(test_file, source, require_metadata=False).package
    assert test_package == policy.package + "_test", test_file
    cases = _all_cases(str(opa_binary))[test_package]

    rules = _TEST_RULE.findall(source)
    assert {r for r, _ in rules} == {c for _, c in rules} == set(cases), (
        f"{test_file}: every case needs a rule `test_<case> if check(\"<case>\")`")
    wants = {name: c["want"] for name, c in cases.items()}
    assert all(isinstance(w, list) and all(set(x) == {"msg", "path"} for x in w) for w in wants.values()), (
        f"{test_file}: every case lists the violations it wants, each with its exact msg and path")
    assert any(wants.values()) and not all(wants.values()), (
        f"{test_file}: needs at least one failing and one passing case")

    engine = WasmEngine(workers=1)
    engine.prepare(ps)   # the shipped module: nothing to compile
    failed = []
    for name, case in cases.items():
        engine.load_settings(case.get("settings", {}))
        [verdict] = engine.evaluate([EvalRequest(key=name, input=case["input"], policy_ids=(policy.id,))])
        got = sorted(((v["msg"], v.get("path")) for v in verdict.violations), key=repr) \
            if verdict.applicable else []
        want = sorted(((w["msg"], w["path"]) for w in case["want"]), key=repr)
        if verdict.error or got != want:
            failed.append(f"test_{name}: want {want}, got {verdict.error or got}")
    assert not failed, f"{test_file}:\n" + "\n".join(failed)


def test_the_shipped_wasm_module_is_built_from_the_current_policies(tmp_path):
    """Fails when policies/ changed and `python -m mlwarden.engine.wasm_build` was not run."""
    import shutil
    from mlwarden.engine.wasm_build import SHIPPED_MANIFEST, SHIPPED_WASM, Manifest, sources_digest
    assert SHIPPED_WASM.is_file() and SHIPPED_MANIFEST.is_file()
    manifest = Manifest.load(SHIPPED_MANIFEST)
    assert manifest.digest == sources_digest(_policy_set()), (
        f"{SHIPPED_WASM} is stale: run python -m mlwarden.engine.wasm_build")
    assert set(manifest.singles) == {p.id for p in _policy_set().policies}
    # the digest sees a one-character change in any policy
    copy = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, copy, ignore=shutil.ignore_patterns("*_test.rego", "__pycache__"))
    victim = copy / "encryption" / "notebook_kms.rego"
    victim.write_text(victim.read_text().replace("deny contains", "deny  contains", 1))
    assert sources_digest(load_policies([copy], include_shipped=False)) != manifest.digest
