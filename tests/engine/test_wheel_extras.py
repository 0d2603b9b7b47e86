"""The optional parts are honest: the wheel built from this repository declares the
extras [demo], [iac] and [pdf], its core requirements hold none of their packages, and
without them the core still runs while each command that needs one says, in one line
and exit 2, which extra to install."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from .test_wheel_portability import _project

# extra -> the distribution it adds, and the module whose absence the test simulates
OPTIONAL = {"demo": ("moto", "moto"), "iac": ("cfn-lint", "cfnlint"), "pdf": ("playwright", "playwright")}


def _name(requirement: str) -> str:
    return Requirement(requirement).name.lower().replace("_", "-")


@pytest.fixture(scope="module")
def metadata(mlwarden_wheel):
    """METADATA of the wheel built from this source tree."""
    with zipfile.ZipFile(mlwarden_wheel) as z:
        [name] = [n for n in z.namelist() if n.endswith(".dist-info/METADATA")]
        return Parser().parsestr(z.read(name).decode())


@pytest.mark.slow
def test_the_wheel_declares_each_extra_with_its_package(metadata):
    extras = set(metadata.get_all("Provides-Extra"))
    assert {"demo", "iac", "pdf"} <= extras
    requires = [Requirement(r) for r in metadata.get_all("Requires-Dist")]
    for extra, (dist, _) in OPTIONAL.items():
        in_extra = {r.name.lower() for r in requires if r.marker and r.marker.evaluate({"extra": extra})}
        assert dist in in_extra, f"[{extra}] should require {dist}: {sorted(in_extra)}"


@pytest.mark.slow
def test_the_core_requires_no_optional_package(metadata):
    requires = [Requirement(r) for r in metadata.get_all("Requires-Dist")]
    core = {r.name.lower() for r in requires if r.marker is None}
    assert core == {_name(d) for d in _project()["dependencies"]}
    assert not core & {dist for dist, _ in OPTIONAL.values()}


def _without(modules: tuple[str, ...], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`mlwarden ARGS` in a Python where these packages cannot be imported, as after a
    plain `pip install mlwarden`."""
    code = ("import sys\n"
            f"for m in {modules!r}: sys.modules[m] = None\n"
            "from mlwarden.cli import main\n"
            f"sys.argv = ['mlwarden', *{list(args)!r}]\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=cwd)


ALL_OPTIONAL = tuple(module for _, module in OPTIONAL.values())


def _one_line_exit_2(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    return lines[0]


def test_without_the_extras_the_core_evaluates_and_reports(tmp_path):
    inv = tmp_path / "inventory.json"
    inv.write_text('{"schema_version": "1.0", "accounts": ["123456789012"], "regions": ["eu-west-1"], '
                   '"resources": [], "coverage": []}')
    proc = _without(ALL_OPTIONAL, "evaluate", str(inv), "--out", "out", "--format", "json,html,sarif",
                    "--fail-on", "none", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert {"findings.json", "report.html", "findings.sarif"} <= {p.name for p in (tmp_path / "out").iterdir()}


def test_iac_without_cfn_lint_names_the_extra(tmp_path):
    (tmp_path / "stack.yaml").write_text("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    line = _one_line_exit_2(_without(ALL_OPTIONAL, "iac", "stack.yaml", "--no-checkov", "--out", "out",
                                     cwd=tmp_path))
    assert "pip install 'mlwarden[iac]'" in line


def test_demo_without_moto_names_the_extra(tmp_path):
    line = _one_line_exit_2(_without(ALL_OPTIONAL, "demo", "--out", "out", cwd=tmp_path))
    assert "pip install 'mlwarden[demo]'" in line


def test_pdf_without_playwright_names_the_extra(tmp_path):
    inv = tmp_path / "inventory.json"
    inv.write_text('{"schema_version": "1.0", "accounts": ["123456789012"], "regions": ["eu-west-1"], '
                   '"resources": [], "coverage": []}')
    line = _one_line_exit_2(_without(ALL_OPTIONAL, "evaluate", str(inv), "--out", "out", "--format", "json,pdf",
                                     cwd=tmp_path))
    assert "pip install 'mlwarden[pdf]'" in line
