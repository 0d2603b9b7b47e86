"""A newcomer's first command works from the wheel alone: build the wheel from a copy of
the source tree, install it into a fresh virtual environment (no repository on the path,
no test dependencies): without the [demo] extra `mlwarden demo` says in one line which
extra to install; with it added, as that line says, `mlwarden demo` runs there.

This is what `pip install 'mlwarden[demo]' && mlwarden demo` does on a new machine, and
what no in-repository test can show: that the wheel carries the policies, the compiled
Wasm library, the templates and the demo estate, and that the extras are enough."""
from __future__ import annotations

import json
import os
import subprocess
import venv
from pathlib import Path

import pytest

from tests.engine.test_wheel_portability import UNREACHABLE

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.slow, pytest.mark.e2e]


def _pip(env_dir: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(env_dir / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q", *args],
                          capture_output=True, text=True, timeout=900)
    if done.returncode != 0 and UNREACHABLE.search(done.stderr):
        pytest.skip(f"the package index is not reachable: {UNREACHABLE.search(done.stderr).group(0)}")
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def plain_install(mlwarden_wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel installed as `pip install mlwarden`
    leaves it: no extras. The test of the demo then adds [demo] to it, as the one-line
    error tells a user to (one environment and one install of the core, not two)."""
    env_dir = tmp_path_factory.mktemp("clean") / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _pip(env_dir, "install", str(mlwarden_wheel))
    return env_dir


def _clean_env(home: Path) -> dict[str, str]:
    """Nothing of this repository or its environment: no PYTHONPATH, no AWS settings."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "AWS_EC2_METADATA_DISABLED": "true"}


# Runs first (file order; pytest-xdist --dist loadscope keeps a module's order): the
# next test adds [demo] to the same environment.
def test_without_the_demo_extra_the_demo_says_which_extra_to_install(plain_install, tmp_path):
    env_dir = plain_install
    assert "moto==" not in _pip(env_dir, "list", "--format", "freeze").stdout.lower()   # the extra is not there yet
    work = tmp_path / "work"
    work.mkdir()
    run = subprocess.run([str(env_dir / "bin" / "mlwarden"), "demo", "--out", "out"], cwd=work,
                         env=_clean_env(work), capture_output=True, text=True, timeout=300)
    assert run.returncode == 2, run.stderr
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "mlwarden[demo]" in lines[0], run.stderr
    assert not (work / "out").exists() or not any((work / "out").iterdir())
    assert os.listdir(work) in ([], ["out"])


def test_mlwarden_demo_runs_from_a_clean_install_of_the_wheel(plain_install, mlwarden_wheel, tmp_path):
    env_dir = plain_install
    _pip(env_dir, "install", f"{mlwarden_wheel}[demo]")
    work = tmp_path / "work"
    work.mkdir()
    where = subprocess.run([str(env_dir / "bin" / "python"), "-c", "import mlwarden; print(mlwarden.__file__)"],
                           cwd=work, env=_clean_env(work), capture_output=True, text=True, timeout=60)
    assert where.returncode == 0, where.stderr
    assert str(env_dir) in where.stdout and str(REPO) not in where.stdout   # the wheel, not the checkout

    run = subprocess.run([str(env_dir / "bin" / "mlwarden"), "demo", "--out", "out"], cwd=work,
                         env=_clean_env(work), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    out = work / "out"
    for name in ("report.html", "findings.json", "findings.sarif", "junit.xml", "findings.csv", "manifest.json"):
        assert (out / name).is_file(), name
    findings = json.loads((out / "findings.json").read_text())["findings"]
    statuses = {f["status"] for f in findings}
    # a real judgement of the demo estate: both verdicts, every shipped policy family present
    assert {"PASS", "FAIL"} <= statuses
    families = {f["policy_id"].split("-")[1] for f in findings if f["policy_id"].startswith("MLW-")}
    assert {"ENC", "NET", "IAM", "TAG", "INT", "REG", "MON", "LIM"} <= families, families
    failing = sum(f["status"] == "FAIL" for f in findings)
    assert f"{failing} failing findings" in run.stdout + run.stderr   # the summary says what the file holds
