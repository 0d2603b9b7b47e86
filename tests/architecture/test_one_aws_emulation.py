"""One AWS emulation: what moto 5.2.5 lacks or answers unlike AWS is emulated once, in
scanner/demo/moto_*.py (installed by `mlwarden demo`, by tests/conftest.py for every test
session and by the benchmarks). tests/support only sets states no API call can produce
and injects failures on top of it; it adds no operation to moto and replaces none."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUPPORT = ROOT / "tests" / "support"

# The tests' failure-injection controls (tests/support/moto_sagemaker_updates.py): each
# wraps the emulation's own handler of that name and calls it.
WRAPPERS = {("moto_sagemaker_updates.py", "update_endpoint"),
            ("moto_sagemaker_updates.py", "describe_endpoint")}


def moto_patches(source: str) -> set[str]:
    """Attributes a module sets on moto's classes or URL maps: `monkeypatch.setattr(C, "x", …)`,
    `setattr(C, "x", …)`, `C.x = …` for a name imported from `moto…`, and any use of a
    moto `urls` module (a route added)."""
    tree = ast.parse(source)
    moto_names: set[str] = set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("moto"):
            moto_names |= {a.asname or a.name for a in node.names}
            if node.module.endswith(".urls") or any(a.name == "urls" for a in node.names):
                found.add("<urls>")
        elif isinstance(node, ast.Import) and any(a.name.startswith("moto") and a.name.endswith(".urls")
                                                  for a in node.names):
            found.add("<urls>")
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and len(node.args) >= 2:
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", None)
            target, attr = node.args[0], node.args[1]
            if name == "setattr" and isinstance(target, ast.Name) and target.id in moto_names \
                    and isinstance(attr, ast.Constant):
                found.add(attr.value)
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in moto_names:
                    found.add(t.attr)
    return found


def test_tests_support_adds_or_replaces_no_moto_operation():
    patched = {(p.name, attr) for p in sorted(SUPPORT.glob("*.py")) for attr in moto_patches(p.read_text())}
    assert patched <= WRAPPERS, (
        f"tests/support patches moto itself: {sorted(patched - WRAPPERS)}. An operation moto lacks or "
        "answers unlike AWS belongs in scanner/demo/moto_extensions.py (following the AWS API "
        "reference), so the demo, the tests and the benchmarks see the same AWS")


def test_the_wrapped_handlers_are_the_emulations_own():
    from mlwarden.demo.moto_updates import UpdateState, patches
    emulated = {name for _cls, name, _fn in patches(UpdateState())}
    assert {name for _file, name in WRAPPERS} <= emulated


def test_the_check_sees_a_second_emulation():
    # What tests/support/moto_sagemaker.py did before the emulation was one.
    second = ('from moto.sagemaker.responses import SageMakerResponse\n'
              'from moto.signer import urls as signer_urls\n'
              'def add(monkeypatch):\n'
              '    monkeypatch.setattr(SageMakerResponse, "list_monitoring_schedules", f, raising=False)\n'
              'def install():\n'
              '    SageMakerResponse.list_signing_profiles = g\n')
    assert moto_patches(second) == {"list_monitoring_schedules", "list_signing_profiles", "<urls>"}
