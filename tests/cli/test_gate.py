"""The exit code a CI job acts on, and the terminal output around it, for runs that
need no AWS: `mlwarden evaluate` on saved inventories and `mlwarden iac` on a template.

0 clean; 1 a FAIL/ERROR at or above --fail-on; 2 input error; 3 incomplete (coverage
gaps, or NOT_ASSESSED at or above --fail-on) unless --allow-gaps; 4 internal error.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from ..conftest import ACCOUNT, REGION

# As a scan saves it: with its derived facet (a notebook's provenance) recorded, which
# the policies reading it need; without it they are NOT_ASSESSED ("not derived").
NOTEBOOK = {"type": "AWS::SageMaker::NotebookInstance", "id": "nb-1",
            "arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:notebook-instance/nb-1",
            "account": ACCOUNT, "region": REGION, "tags": {},
            "properties": {"NotebookInstanceName": "nb-1", "DirectInternetAccess": "Enabled",
                           "RootAccess": "Enabled"},
            "facts": {"provenance": {"kind": "none"}}, "facets": {"provenance": {"read": True}}}
KMS_DENIED = {"resource_type": "AWS::KMS::Key", "account": ACCOUNT, "region": REGION,
              "operation": "kms:ListKeys", "error_code": "AccessDeniedException",
              "message": "not authorized to perform: kms:ListKeys"}

TEMPLATE = """\
Resources:
  Nb:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: ml.t3.medium
      RoleArn: arn:aws:iam::123456789012:role/x
      KmsKeyId: !ImportValue shared-key
      DirectInternetAccess: Disabled
      RootAccess: Disabled
      SubnetId: subnet-0abc
      SecurityGroupIds: [sg-1]
"""
# The network stack owns the subnet and group; their policies are waived here, so what
# remains at 'high' is the key, known only after deployment: NOT_ASSESSED.
WAIVERS = """\
waivers:
  - {policy_id: MLW-NET-012, resource: "*", reason: network stack, owner: platform, expires: 2999-01-01}
  - {policy_id: MLW-NET-013, resource: "*", reason: network stack, owner: platform, expires: 2999-01-01}
"""


def _inventory(tmp_path: Path, resources: list, coverage: list) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps({"schema_version": "1.0", "accounts": [ACCOUNT], "regions": [REGION],
                                "resources": resources, "coverage": coverage}))
    return path


def _evaluate(tmp_path: Path, inv: Path, *extra: str):
    return CliRunner().invoke(main, ["evaluate", str(inv), "--out", str(tmp_path / "out"),
                                     "--format", "json", *extra])


@pytest.fixture
def gap_inventory(tmp_path):
    return _inventory(tmp_path, [NOTEBOOK], [KMS_DENIED])


def test_clean_run_exits_0(tmp_path):
    result = _evaluate(tmp_path, _inventory(tmp_path, [NOTEBOOK], []), "--fail-on", "critical")
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("PASSED: nothing at or above 'critical' failed")
    assert "0 NOT_ASSESSED, 0 coverage gaps" in result.stdout


def test_a_coverage_gap_makes_the_run_incomplete_exit_3(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "critical")
    assert result.exit_code == 3, result.output
    gate = result.stderr.strip().splitlines()[-1]
    assert gate.startswith("INCOMPLETE: 1 coverage gap") and "--allow-gaps" in gate
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    kms = [f for f in doc["findings"] if f["resource"]["type"] == "AWS::KMS::Key"]
    assert kms and {f["status"] for f in kms} == {"NOT_ASSESSED"}


def test_allow_gaps_accepts_an_incomplete_run_and_still_says_so(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "critical", "--allow-gaps")
    assert result.exit_code == 0, result.output
    assert "accepted with --allow-gaps: 1 coverage gap" in result.stderr
    assert "NOT ASSESSED AWS::KMS::Key" in result.stdout


def test_a_failure_outranks_incompleteness(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "high")
    assert result.exit_code == 1, result.output
    gate = result.stderr.strip().splitlines()[-1]
    assert gate.startswith("FAILED:") and "failed" in gate and "also incomplete" in gate


def test_fail_on_none_reports_only(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "none")
    assert result.exit_code == 0, result.output
    assert "report only (--fail-on none)" in result.stderr
    # and an input error is still an input error
    bad = _evaluate(tmp_path, tmp_path / "missing.json", "--fail-on", "none")
    assert bad.exit_code == 2


def test_not_assessed_is_reported_first_with_its_reason(tmp_path, gap_inventory):
    out = _evaluate(tmp_path, gap_inventory, "--fail-on", "high").stdout
    reason = out.index("NOT ASSESSED AWS::KMS::Key eu-west-1: kms:ListKeys failed with AccessDeniedException")
    assert out.index("NOT ASSESSED:") < reason < out.index("category")
    # then the failing policies by severity, naming the resource
    table = out[out.index("Failing policies"):]
    row = next(line for line in table.splitlines() if "MLW-ENC-001" in line)
    assert row.split()[0] == "HIGH" and "nb-1" in row


def test_quiet_prints_only_the_gate_line(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "high", "--quiet")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("FAILED:")


def test_verbose_lists_every_failing_policy(tmp_path):
    from ..support import synthetic
    inv = tmp_path / "synthetic.json"
    synthetic.inventory(30, seed=5).save(inv)
    short = _evaluate(tmp_path, inv, "--fail-on", "none", "--workers", "1").stdout
    full = _evaluate(tmp_path, inv, "--fail-on", "none", "--verbose", "--workers", "1").stdout
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    failing = {f["policy_id"] for f in doc["findings"] if f["status"] == "FAIL"}
    assert len(failing) > 10, "the estate fails more policies than one screen shows"
    assert all(pid in full for pid in failing)
    assert sum(pid in short for pid in failing) == 10
    assert f"… {len(failing) - 10} more failing policies" in short


def test_json_on_stdout_everything_else_on_stderr(tmp_path, gap_inventory):
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "high", "--output-format", "json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc == json.loads((tmp_path / "out" / "findings.json").read_text())
    assert "NOT ASSESSED:" in result.stderr and "FAILED:" in result.stderr


def test_out_dash_writes_findings_to_stdout_and_no_files(tmp_path, gap_inventory, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["evaluate", str(gap_inventory), "--out", "-", "--fail-on", "critical"])
    assert result.exit_code == 3, result.output
    doc = json.loads(result.stdout)
    assert {f["status"] for f in doc["findings"]} >= {"FAIL", "NOT_ASSESSED"}
    assert not (tmp_path / "-").exists() and not (tmp_path / "out").exists()
    # other formats need a directory: one line, exit 2
    bad = CliRunner().invoke(main, ["evaluate", str(gap_inventory), "--out", "-", "--format", "json,html"])
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "--format" in bad.stderr


def test_colour_only_on_a_terminal(tmp_path, gap_inventory):
    """Off a terminal (a CI log, a pipe, this runner) the output has no escape codes."""
    result = _evaluate(tmp_path, gap_inventory, "--fail-on", "high")
    assert "\x1b[" not in result.stdout and "\x1b[" not in result.stderr


def test_control_characters_from_aws_reach_the_terminal_escaped(tmp_path):
    hostile = dict(NOTEBOOK, id="nb-\x1b[2J\x1b]0;pwned\x07", tags={"owner": "x"})
    result = _evaluate(tmp_path, _inventory(tmp_path, [hostile], []), "--fail-on", "none", "--verbose")
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert r"nb-\x1b[2J\x1b]0;pwned\x07" in result.stdout


def test_iac_unknown_values_at_the_threshold_make_the_gate_incomplete(tmp_path):
    (tmp_path / "stack.yaml").write_text(TEMPLATE)
    (tmp_path / "waivers.yaml").write_text(WAIVERS)

    def iac(*extra):
        return CliRunner().invoke(main, ["iac", str(tmp_path / "stack.yaml"), "--no-checkov", "--format", "json",
                                         "--out", str(tmp_path / "o"), "--waivers", str(tmp_path / "waivers.yaml"),
                                         *extra])
    high = iac("--fail-on", "high")
    assert high.exit_code == 3, high.output
    assert re.search(r"INCOMPLETE: 0 coverage gaps, 2 NOT_ASSESSED finding\(s\) at or above 'high'", high.stderr)
    assert "value unknown before deployment: properties.KmsKeyId" in high.stdout
    assert iac("--fail-on", "high", "--allow-gaps").exit_code == 0
    assert iac("--fail-on", "critical").exit_code == 0   # the unknowns are 'high', under the threshold


def test_an_internal_error_is_one_line_and_a_log_not_exit_1(tmp_path, monkeypatch):
    """A fault nobody anticipated (here: the HTML template engine breaks) is reported as
    a bug with its traceback in a file, and never mistaken for 'findings failed'."""
    import jinja2

    def broken(self, *a, **kw):
        raise RuntimeError("template cache corrupted")

    monkeypatch.setattr(jinja2.Environment, "get_template", broken)
    monkeypatch.setattr(jinja2.Environment, "from_string", broken)
    result = CliRunner().invoke(main, ["evaluate", str(_inventory(tmp_path, [NOTEBOOK], [])),
                                       "--out", str(tmp_path / "out"), "--format", "json,html"])
    assert result.exit_code == 4, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mlwarden: internal error: RuntimeError: template cache")
    log = Path(re.search(r"the traceback is in (\S+)\)", lines[0]).group(1))
    assert "Traceback (most recent call last)" in log.read_text() and "template cache corrupted" in log.read_text()
    log.unlink()
    # nothing half-written was published
    assert not (tmp_path / "out").exists()
