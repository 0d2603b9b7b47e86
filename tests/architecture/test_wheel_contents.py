"""The wheel users install holds the product, not its tests.

Built by pip from a copy of the files git tracks or would track, tests/ and benchmarks/
included (tests/support/wheel.py, once per run), with the build backend pyproject.toml
names, as `pip install mlwarden` would build it. Skipped, with the reason, when the
package index that provides the build backend cannot be reached.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow   # a real build: about ten seconds

# Test hooks the product ships: none. The remediation tests' controls around the demo's
# emulation of moto's missing update calls live in tests/support/moto_sagemaker_updates.py.
TEST_HOOKS_IN_PRODUCT: list[str] = []


@pytest.fixture(scope="module")
def wheel(mlwarden_wheel) -> zipfile.ZipFile:
    with zipfile.ZipFile(mlwarden_wheel) as zf:
        yield zf


def _python(wheel: zipfile.ZipFile) -> dict[str, bytes]:
    return {n: wheel.read(n) for n in wheel.namelist() if n.endswith(".py")}


def test_the_wheel_holds_no_test_code(wheel):
    files = [n for n in wheel.namelist() if ".dist-info/" not in n]
    assert "mlwarden/cli.py" in files and "mlwarden/engine/wasm/library.wasm" in files
    test_code = [n for n in files
                 if n.startswith(("tests/", "benchmarks/")) or "/tests/" in n or "/support/" in n
                 or n.rsplit("/", 1)[-1].startswith(("test_", "conftest"))]
    assert not test_code, "test code in the wheel:\n" + "\n".join(test_code)
    assert not [n for n, text in _python(wheel).items() if re.search(rb"^\s*(import|from) tests\b", text, re.M)]


def test_the_wheel_ships_every_module_of_the_package(wheel):
    """A module missing from pyproject.toml's package list would be a broken install
    that the tests' editable install hides."""
    roots = {"scanner": "mlwarden", "reports": "mlwarden/reports", "remediations": "mlwarden/remediations"}
    expected = {f"{pkg}/{p.relative_to(REPO / folder).as_posix()}"
                for folder, pkg in roots.items() for p in (REPO / folder).rglob("*.py")}
    missing = sorted(expected - set(wheel.namelist()))
    assert not missing, "modules the wheel leaves out:\n" + "\n".join(missing)


def test_the_aws_emulation_stays_in_the_demo_package(wheel):
    """moto (the AWS stand-in) is an optional extra: only `mlwarden.demo` may import it,
    so a scan, the Lambda audit or a runbook never depends on it."""
    importers = sorted(n for n, text in _python(wheel).items()
                       if re.search(rb"^\s*(?:import moto|from moto\b)", text, re.M))
    assert importers and all(n.startswith("mlwarden/demo/") for n in importers), importers


def test_the_test_hooks_the_product_ships_are_the_known_ones(wheel):
    """Failure injection for tests in shipped code is a debt (issue 13); this list makes
    a new one a visible decision, and shrinks as the emulation moves out."""
    hooks = sorted(n for n, text in _python(wheel).items()
                   if re.search(rb"(?i)failure injection|\(tests only", text))
    assert hooks == TEST_HOOKS_IN_PRODUCT
