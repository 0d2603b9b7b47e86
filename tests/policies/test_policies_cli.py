"""`mlwarden policies list | show | test | lint`, as a user runs them."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.policy.testing import run_tests

POLICY = textwrap.dedent("""\
    # METADATA
    # title: Notebooks carry an owner tag
    # description: Every notebook names its owner, so someone answers for it.
    # custom:
    #   id: TEAM-TAG-001
    #   severity: low
    #   category: tagging
    #   resource_types: [AWS::SageMaker::NotebookInstance]
    #   controls:
    #     INTERNAL: [T-1]
    package team.tagging.owner

    import rego.v1

    deny contains msg if {
    	not input.resource.tags.owner
    	msg := concat("", ["notebook ", input.resource.id, " has no owner tag"])
    }
    """)

# The library's test convention: a `cases` table, a `check` rule, one test rule per case.
TESTS = textwrap.dedent("""\
    package team.tagging.owner_test

    import rego.v1

    import data.team.tagging.owner

    cases := {
    	"fails_without_owner": {"want": 1, "input": {"resource": {"id": "nb", "tags": {}}}},
    	"passes_with_owner": {"want": 0, "input": {"resource": {"id": "nb", "tags": {"owner": "ml"}}}},
    	"wrong_expectation": {"want": 0, "input": {"resource": {"id": "nb", "tags": {}}}},
    }

    check(name) if count(owner.deny) == cases[name].want with input as cases[name].input

    test_fails_without_owner if check("fails_without_owner")

    test_passes_with_owner if check("passes_with_owner")

    test_wrong_expectation if check("wrong_expectation")
    """)


def _team(tmp_path: Path, tests: str = TESTS) -> Path:
    d = tmp_path / "team" / "tagging"
    d.mkdir(parents=True)
    (d / "owner.rego").write_text(POLICY)
    (d / "owner_test.rego").write_text(tests)
    return tmp_path / "team"


def _run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_list_shows_shipped_policies_and_adds_custom_ones(tmp_path):
    shipped = _run("policies", "list")
    assert shipped.exit_code == 0, shipped.output
    assert shipped.output.splitlines()[0].split() == ["ID", "SEVERITY", "CATEGORY", "TYPES", "TITLE"]
    assert "MLW-ENC-001" in shipped.output and "TEAM-TAG-001" not in shipped.output
    team = _run("policies", "list", "--policies", _team(tmp_path), "--json")
    rows = {r["id"]: r for r in json.loads(team.output)}
    assert rows["TEAM-TAG-001"]["category"] == "tagging"
    assert rows["TEAM-TAG-001"]["resource_types"] == ["AWS::SageMaker::NotebookInstance"]
    assert "MLW-ENC-001" in rows


def test_show_prints_metadata_controls_file_and_source(tmp_path):
    out = _run("policies", "show", "team-tag-001", "--policies", _team(tmp_path))
    assert out.exit_code == 0, out.output
    assert "TEAM-TAG-001  Notebooks carry an owner tag" in out.output
    assert "control:         INTERNAL: T-1" in out.output
    assert str(tmp_path / "team" / "tagging" / "owner.rego") in out.output
    assert "Every notebook names its owner" in out.output
    assert "package team.tagging.owner" in out.output   # the source


def test_show_prints_the_runbook_or_the_steps_by_hand():
    runbook = _run("policies", "show", "MLW-NET-003")
    assert "runbook:         notebook-root-access" in runbook.output
    steps = _run("policies", "show", "MLW-ENC-005").output.splitlines()
    first = next(i for i, line in enumerate(steps) if line.startswith("  by hand:"))
    assert steps[first].endswith("1. Set ResourceConfig.VolumeKmsKeyId to a customer-managed KMS key "
                                 "(SageMaker Python SDK: volume_kms_key).")
    assert steps[first + 1].strip().startswith("2. A training job cannot be changed once started")


def test_show_unknown_policy_is_a_one_line_input_error():
    out = _run("policies", "show", "MLW-NOPE-999")
    assert out.exit_code == 2
    assert "no policy 'MLW-NOPE-999'" in out.output


def test_policies_test_reports_the_failing_test_with_file_and_line_and_exits_1(tmp_path):
    team = _team(tmp_path)
    out = _run("policies", "test", team)
    assert out.exit_code == 1, out.output
    test_file = team / "tagging" / "owner_test.rego"
    line = TESTS.splitlines().index('test_wrong_expectation if check("wrong_expectation")') + 1
    assert f"FAIL  {test_file}:{line}: team.tagging.owner_test.test_wrong_expectation" in out.output
    assert "want 0 violation(s), got 1" in out.output
    assert "2 passed, 1 failed, 0 errors" in out.output


# The shipped library's convention: each case lists the violations it wants, checked
# with the library's helper (a team's tests load the shipped library, helpers included).
MESSAGE_TESTS = textwrap.dedent("""\
    package team.tagging.owner_test

    import rego.v1

    import data.mlwarden.lib.testing
    import data.team.tagging.owner

    cases := {
    	"fails_without_owner": {"want": [{"msg": "notebook nb has no owner tag"}], "input": {"resource": {"id": "nb", "tags": {}}}},
    	"passes_with_owner": {"want": [], "input": {"resource": {"id": "nb", "tags": {"owner": "ml"}}}},
    	"wrong_message": {"want": [{"msg_contains": "has no team tag"}], "input": {"resource": {"id": "nb", "tags": {}}}},
    }

    check(name) if testing.matches(owner.deny, cases[name].want) with input as cases[name].input

    test_fails_without_owner if check("fails_without_owner")

    test_passes_with_owner if check("passes_with_owner")

    test_wrong_message if check("wrong_message")
    """)


def test_policies_test_with_expected_messages_reports_what_deny_gave(tmp_path):
    out = _run("policies", "test", _team(tmp_path, MESSAGE_TESTS))
    assert out.exit_code == 1, out.output
    assert "team.tagging.owner_test.test_wrong_message" in out.output
    # A plain-string violation (a team's policy) has no path; the helper still matches it.
    assert 'want [{"msg_contains": "has no team tag"}], got ["notebook nb has no owner tag"]' in out.output
    assert "2 passed, 1 failed, 0 errors" in out.output


def test_policies_test_passes_when_every_test_passes(tmp_path):
    team = _team(tmp_path, TESTS.replace('"wrong_expectation": {"want": 0', '"wrong_expectation": {"want": 1'))
    out = _run("policies", "test", "-v", team)
    assert out.exit_code == 0, out.output
    assert "PASS" in out.output and "3 passed, 0 failed" in out.output


def test_tests_written_directly_with_input_run_like_the_cases(tmp_path):
    """Ordinary `opa test` style (`with input as` in the test rule) runs as written."""
    direct = TESTS + textwrap.dedent("""
        test_written_directly if {
        	count(owner.deny) == 1 with input as {"resource": {"id": "nb", "tags": {}}}
        }

        test_written_directly_wrong if {
        	count(owner.deny) == 0 with input as {"resource": {"id": "nb", "tags": {}}}
        }
        """)
    team = _team(tmp_path, direct)
    report = run_tests([team])
    assert not report.ok
    line = direct.splitlines().index("test_written_directly_wrong if {") + 1
    assert {r.name: (r.status, r.line) for r in report.results if r.name.startswith("test_written")} == {
        "test_written_directly": ("PASS", line - 4), "test_written_directly_wrong": ("FAIL", line)}
    assert {r.name: r.status for r in report.results if not r.name.startswith("test_written")} == {
        "test_fails_without_owner": "PASS", "test_passes_with_owner": "PASS", "test_wrong_expectation": "FAIL"}


def test_policies_test_without_opa_says_so_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("MLWARDEN_OPA", str(tmp_path / "no-such-opa"))
    monkeypatch.setenv("PATH", "/nonexistent")
    from mlwarden.engine import opa_engine
    if opa_engine.find_opa_binary() is not None:
        pytest.skip("an opa binary is always found here")
    out = _run("policies", "test", _team(tmp_path))
    assert out.exit_code == 2 and "no `opa` binary" in out.output


def _custom(d: Path, name: str, body: str) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    path = d / f"{name}.rego"
    path.write_text(POLICY.replace("TEAM-TAG-001", f"TEAM-{name.upper()}-001")
                    .replace("package team.tagging.owner", f"package team.{name}")
                    .split("deny contains")[0] + textwrap.dedent(body))
    return path


def test_lint_refuses_builtins_outside_the_sandbox_with_file_and_line(tmp_path):
    d = tmp_path / "team"
    _custom(d, "leak", """\
        # http.send( in a comment is not flagged
        deny contains msg if {
        	msg := opa.runtime().env.AWS_SECRET_ACCESS_KEY
        }

        deny contains msg if {
        	msg := http.send({"method": "get", "url": "http://127.0.0.1:1"}).body
        }
        """)
    out = _run("policies", "lint", d)
    assert out.exit_code == 1, out.output
    lines = [ln for ln in out.output.splitlines() if ln.startswith("error:")]
    head = POLICY.split("deny contains")[0].count("\n")
    assert f"{d / 'leak.rego'}:{head + 3}: [sandbox] opa.runtime is not allowed" in lines[0], lines
    assert f"{d / 'leak.rego'}:{head + 7}: [sandbox] http.send is not allowed" in lines[1], lines
    assert len(lines) == 2, lines


def test_lint_flags_a_builtin_the_wasm_engine_lacks(tmp_path):
    d = tmp_path / "team"
    _custom(d, "fmt", """\
        deny contains msg if {
        	not input.resource.tags.owner
        	msg := sprintf("notebook %v has no owner tag", [input.resource.id])
        }
        """)
    out = _run("policies", "lint", d)
    assert out.exit_code == 1, out.output
    head = POLICY.split("deny contains")[0].count("\n")
    assert f"error: {d / 'fmt.rego'}:{head + 3}: [wasm-builtin] sprintf is not available" in out.output


def test_lint_passes_the_shipped_library_and_a_clean_team_policy(tmp_path):
    assert _run("policies", "lint").exit_code == 0
    out = _run("policies", "lint", _team(tmp_path))
    assert out.exit_code == 0, out.output
    assert "error:" not in out.output


def test_lint_on_a_missing_path_is_an_input_error(tmp_path):
    out = _run("policies", "lint", tmp_path / "nope")
    assert out.exit_code == 2 and "no such file or directory" in out.output


def test_case_messages_with_quotes_and_newlines_are_read_safely(tmp_path):
    """Hostile strings in a case table do not confuse the runner or its report."""
    hostile = TESTS.replace('"fails_without_owner": {"want": 1, "input": {"resource": {"id": "nb", "tags": {}}}}',
                            '"fails_without_owner": {"want": 1, "input": {"resource": {"id": "nb \\"x\\"\\n", "tags": {}}}}')
    assert hostile != TESTS
    report = run_tests([_team(tmp_path, hostile)])
    assert {r.name: r.status for r in report.results} == {
        "test_fails_without_owner": "PASS", "test_passes_with_owner": "PASS", "test_wrong_expectation": "FAIL"}


def test_a_broken_cases_table_is_reported_and_the_other_files_still_run(tmp_path):
    team = _team(tmp_path)
    (team / "tagging" / "other.rego").write_text(POLICY.replace("TEAM-TAG-001", "TEAM-TAG-002")
                                                 .replace("package team.tagging.owner", "package team.tagging.other"))
    (team / "tagging" / "other_test.rego").write_text(textwrap.dedent("""\
        package team.tagging.other_test

        import rego.v1

        cases := {
        	"broken": {"want": 1, "input": {"resource": {,}}},
        }

        test_broken if check("broken")
        """))
    report = run_tests([team])
    assert any(e.startswith(str(team / "tagging" / "other_test.rego") + ":") for e in report.file_errors), report.file_errors
    assert {r.name: r.status for r in report.results} == {
        "test_fails_without_owner": "PASS", "test_passes_with_owner": "PASS", "test_wrong_expectation": "FAIL"}
