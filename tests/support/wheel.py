"""The wheel built from this source tree, once per test run.

Three test modules need it (tests/architecture/test_wheel_contents.py,
tests/engine/test_wheel_extras.py, tests/e2e/test_clean_install.py); each built its own,
about ten seconds apiece on a 2-core machine. It is built by pip, as `pip install` from a
checkout would build it, from a copy of the files git tracks or would track (untracked
files that are not ignored included, so a new module is in the wheel before its first
commit, and tests/ and benchmarks/ included, so the no-test-code check has something to
catch). The copy keeps the build from leaving anything in the checkout.

Under pytest-xdist the workers share one build: the first builds under a lock in the
run's common temporary directory, the others wait and read it.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _unreachable():
    from tests.engine.test_wheel_portability import UNREACHABLE
    return UNREACHABLE


def _source_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True)
    return sorted(set(filter(None, listed.stdout.decode().split("\0"))))


def _build(root: Path) -> Path:
    src, dist = root / "src", root / "dist"
    shutil.rmtree(src, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    for name in _source_files():
        if (REPO / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, src / name)
    dist.mkdir(parents=True)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                          "-q", "-w", str(dist), str(src)], capture_output=True, text=True, timeout=600)
    unreachable = _unreachable().search(out.stderr)
    if out.returncode != 0 and unreachable:
        pytest.skip(f"the package index is not reachable for the build backend: {unreachable.group(0)}")
    assert out.returncode == 0, out.stderr[-2000:]
    (built,) = dist.glob("mlwarden-*.whl")
    return built


def built_wheel(tmp_path_factory) -> Path:
    """The path of the wheel; built on first call in this run (shared by xdist workers)."""
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is <run>/popen-gwN; <run> belongs to this run only.
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "mlwarden-wheel"
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / "built"
        if done.is_file():
            built = Path(done.read_text())
            if built.is_file():
                return built
        built = _build(root)
        done.write_text(str(built))
        return built
