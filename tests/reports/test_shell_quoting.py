"""Suggested `mlwarden remediate` commands are shell-quoted in every output.

A Terraform key is the author's free text: `aws_s3_bucket.data["$(touch x)"]`. The
command the reports suggest for its findings is copied into shells; it must hand
the key to mlwarden as one word and run nothing. The test runs each suggested
command in bash, with `mlwarden` a function that records its arguments."""
from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main

KEY = '$(touch x)'
ADDRESS = f'aws_s3_bucket.data["{KEY}"]'
PLAN = {"format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": [{
            "address": ADDRESS, "mode": "managed", "type": "aws_s3_bucket", "name": "data", "index": KEY,
            "values": {"bucket": "fraud-data", "tags": {}}}]}},
        "resource_changes": []}


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("quoting")
    (d / "plan.json").write_text(json.dumps(PLAN))
    result = CliRunner().invoke(main, ["iac", str(d / "plan.json"), "--no-checkov", "--out", str(d / "out"),
                                       "--format", "json,html,sarif,asff,csv"])
    assert result.exit_code == 1, result.output     # the bucket fails policies with runbooks
    return d / "out"


def _run_in_shell(command: str, tmp_path: Path) -> list[str]:
    """Paste `command` into bash; the arguments mlwarden would have received."""
    script = 'mlwarden() { printf "%s\\n" "$@" > args.txt; }\n' + command + "\n"
    subprocess.run(["bash", "-c", script], cwd=tmp_path, check=True, timeout=10)
    assert not (tmp_path / "x").exists(), f"pasting {command!r} ran the embedded command"
    return (tmp_path / "args.txt").read_text().splitlines()


@pytest.fixture(scope="module")
def label(out) -> str:
    """How the findings name the resource: the plan's synthetic ARN, holding the key."""
    [arn] = {f["resource"]["arn"] for f in json.loads((out / "findings.json").read_text())["findings"]}
    assert arn.endswith(ADDRESS)
    return arn


def test_sarif_and_asff_commands_are_quoted_and_run_nothing(out, label, tmp_path):
    sarif = json.loads((out / "findings.sarif").read_text())
    asff = json.loads((out / "findings.asff.json").read_text())
    asff = asff if isinstance(asff, list) else asff["Findings"]
    commands = [r["properties"]["runbook"] for r in sarif["runs"][0]["results"] if "runbook" in r["properties"]]
    commands += [f["ProductFields"]["mlwarden/runbook"] for f in asff if "mlwarden/runbook" in f["ProductFields"]]
    assert len(commands) >= 4
    for command in commands:
        assert shlex.quote(label) in command
        args = _run_in_shell(command, tmp_path)
        assert args[:3] == ["remediate", "findings.json", "--policy"]
        assert args[-2:] == ["--resource", label]


def test_html_report_holds_the_quoted_words_and_builds_a_safe_command(out, label, tmp_path):
    html = (out / "report.html").read_text()
    blob = re.search(r'<script type="application/json" id="mlw-data">(.*?)</script>', html, re.S).group(1)
    data = json.loads(blob)
    S = data["strings"]
    assert shlex.quote(label) in S
    # The page composes the command from the quoted words (report.js, d-command).
    js = (Path(__file__).parents[2] / "reports" / "templates" / "report.js").read_text()
    assert '"mlwarden remediate findings.json --policy " + S[p[7]] + " --resource " + S[r[7]]' in js
    [resource] = [r for r in data["resources"] if S[r[1]] == ADDRESS]
    for p in data["policies"]:
        command = "mlwarden remediate findings.json --policy " + S[p[7]] + " --resource " + S[resource[7]]
        assert _run_in_shell(command, tmp_path)[-1] == label
