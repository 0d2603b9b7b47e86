"""`--out`: checked and locked before the run, written in one step, and never a mix of
two runs: formats an earlier run wrote and this one did not are removed (the manifest
is the truth), files no run wrote are kept, and a run that fails publishes nothing."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.output_dir import OutputDir

from ..conftest import ACCOUNT, REGION
from .test_gate import NOTEBOOK


@pytest.fixture
def inventory(tmp_path) -> Path:
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps({"schema_version": "1.0", "accounts": [ACCOUNT], "regions": [REGION],
                                "resources": [NOTEBOOK], "coverage": []}))
    return path


def _evaluate(inventory: Path, out, *extra: str):
    return CliRunner().invoke(main, ["evaluate", str(inventory), "--out", str(out), "--fail-on", "none", *extra])


def _everything(d: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(d.iterdir())}


def test_a_later_run_with_fewer_formats_removes_the_earlier_ones(inventory, tmp_path):
    out = tmp_path / "out"
    assert _evaluate(inventory, out, "--format", "json,sarif,junit,csv").exit_code == 0
    (out / "notes.txt").write_text("mine")            # the user's own file
    assert {"findings.sarif", "junit.xml", "findings.csv"} <= set(os.listdir(out))
    assert _evaluate(inventory, out, "--format", "json").exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert sorted(os.listdir(out)) == ["findings.json", "manifest.json", "notes.txt"]
    assert set(manifest["files"]) == {"findings.json"}
    assert (out / "notes.txt").read_text() == "mine"


def test_a_scan_replaces_the_inventory_an_evaluate_does_not_write(inventory, tmp_path):
    """An inventory.json left by an earlier scan does not belong to a later evaluate's findings."""
    out = tmp_path / "out"
    (tmp_path / "stack.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    iac = CliRunner().invoke(main, ["iac", str(tmp_path / "stack.yaml"), "--no-checkov", "--out", str(out),
                                    "--format", "json", "--fail-on", "none"])
    assert iac.exit_code == 0, iac.output
    assert "inventory.json" in json.loads((out / "manifest.json").read_text())["files"]
    assert _evaluate(inventory, out, "--format", "json").exit_code == 0
    assert not (out / "inventory.json").exists()


def test_a_failed_run_leaves_the_earlier_outputs_as_they_were(inventory, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert _evaluate(inventory, out, "--format", "json,html").exit_code == 0
    before = _everything(out)
    import jinja2

    def broken(self, *a, **kw):
        raise RuntimeError("disk trouble")

    monkeypatch.setattr(jinja2.Environment, "get_template", broken)
    failed = _evaluate(inventory, out, "--format", "json,html")
    assert failed.exit_code == 4
    assert _everything(out) == before   # no staging directory, no lock file, nothing replaced
    for line in failed.stderr.splitlines():
        if "traceback is in" in line:
            Path(re.search(r"traceback is in (\S+)\)", line).group(1)).unlink()


def test_timestamp_pattern_makes_a_folder_per_run(inventory, tmp_path):
    result = _evaluate(inventory, tmp_path / "runs" / "{timestamp}", "--format", "json")
    assert result.exit_code == 0, result.output
    (run,) = (tmp_path / "runs").iterdir()
    assert re.fullmatch(r"\d{8}T\d{6}Z", run.name)
    assert (run / "findings.json").is_file()
    assert str(run / "findings.json") in result.stdout
    bad = _evaluate(inventory, tmp_path / "runs" / "{date}", "--format", "json")
    assert bad.exit_code == 2 and "unknown pattern {date}" in bad.stderr


def test_out_that_is_a_file_or_under_a_file_is_one_line(inventory, tmp_path):
    (tmp_path / "file").write_text("x")
    for out, says in ((tmp_path / "file", "is a file, not a directory"),
                      (tmp_path / "file" / "sub", "is a file, not a directory")):
        result = _evaluate(inventory, out)
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.count("\n") == 1 and says in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere; the read-only file system case covers it")
def test_out_in_a_read_only_directory_is_one_line(inventory, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    result = _evaluate(inventory, locked / "out")
    assert result.exit_code == 2 and "is not writable" in result.stderr


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a read-only pseudo file system")
def test_out_on_a_file_system_that_refuses_directories_is_one_line(inventory):
    result = _evaluate(inventory, Path("/proc/mlwarden-out"))
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "--out /proc/mlwarden-out" in result.stderr


def test_a_second_run_into_a_locked_directory_is_refused(inventory, tmp_path):
    out = tmp_path / "out"
    with OutputDir.open(out):   # another run holds it
        result = _evaluate(inventory, out, "--format", "json")
        assert result.exit_code == 2
        assert f"another mlwarden run (pid {os.getpid()}) is writing there" in result.stderr
    assert _evaluate(inventory, out, "--format", "json").exit_code == 0   # released: free again
    assert not (out / ".mlwarden.lock").exists()


def test_report_command_publishes_the_same_way(inventory, tmp_path):
    out = tmp_path / "out"
    assert _evaluate(inventory, out, "--format", "json,sarif").exit_code == 0
    rendered = tmp_path / "rendered"
    assert _evaluate(inventory, rendered, "--format", "json,csv,sarif").exit_code == 0
    result = CliRunner().invoke(main, ["report", str(out / "findings.json"), "--out", str(rendered),
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(rendered)) == ["findings.csv", "findings.json", "manifest.json"]


def test_inventory_command_checks_out_first_and_writes_atomically(tmp_path):
    (tmp_path / "dir").mkdir()
    result = CliRunner().invoke(main, ["inventory", "--regions", REGION, "--endpoint-url", "http://127.0.0.1:9",
                                       "--out", str(tmp_path / "dir")])
    assert result.exit_code == 2 and "is a directory; name the inventory file" in result.stderr
