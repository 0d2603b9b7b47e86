"""Every runtime dependency installs from wheels on the platforms mlwarden supports.

A wheel built from this repository is pure Python; what decides whether it installs
on Linux aarch64, Linux x86_64 or macOS arm64 with CPython 3.13 (and on the oldest
CPython `requires-python` admits) is whether each dependency in pyproject.toml has a
binary or pure wheel there. `pip download --only-binary=:all: --platform …` answers
exactly that, from the package index pip is configured with. Skipped, with the
reason, when the index cannot be reached.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11+")

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
PLATFORMS = ["manylinux2014_aarch64", "manylinux2014_x86_64", "macosx_14_0_arm64"]
UNREACHABLE = re.compile(r"NewConnectionError|Failed to establish a new connection|Network is unreachable|"
                         r"Temporary failure in name resolution|Could not fetch URL|ConnectTimeout|"
                         r"Max retries exceeded|ProxyError", re.I)


def _project() -> dict:
    return tomllib.loads(PYPROJECT.read_text())["project"]


def _oldest_python() -> str:
    m = re.fullmatch(r">=\s*(3\.\d+)", _project()["requires-python"].strip())
    assert m, "requires-python should be a lower bound like '>=3.11'"
    return m.group(1)


def _download(reqs: list[str], platform: str, python: str, dest: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--no-deps",
                           "--platform", platform, "--python-version", python, "--implementation", "cp",
                           "--disable-pip-version-check", "-q", "-d", str(dest), *reqs],
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def wheel_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("wheels")   # shared: pure wheels are fetched once


@pytest.mark.parametrize("platform, python", [(p, "3.13") for p in PLATFORMS]
                         + [("manylinux2014_x86_64", "oldest"), ("manylinux2014_aarch64", "oldest")])
def test_every_runtime_dependency_has_a_wheel(platform, python, wheel_dir):
    python = _oldest_python() if python == "oldest" else python
    deps = _project()["dependencies"]
    out = _download(deps, platform, python, wheel_dir)
    if out.returncode == 0:
        return
    if UNREACHABLE.search(out.stderr):
        pytest.skip(f"the package index is not reachable: {UNREACHABLE.search(out.stderr).group(0)}")
    # Name every dependency that fails, not only the first pip stopped at: drop the one
    # pip names and ask again.
    failing, left = [], list(deps)
    while out.returncode != 0:
        m = re.search(r"No matching distribution found for (\S+)", out.stderr)
        if not m or m.group(1) not in left:
            failing.append(out.stderr.strip().splitlines()[-1])
            break
        failing.append(m.group(1))
        left.remove(m.group(1))
        out = _download(left, platform, python, wheel_dir) if left else out
        if not left:
            break
    pytest.fail(f"no installable wheel on {platform} for CPython {python}: {', '.join(failing)}")
