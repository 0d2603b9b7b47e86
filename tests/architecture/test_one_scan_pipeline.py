"""Sources are read, derived and judged in one place: scanner/pipeline.py. The CLI, the
Lambda audit (its parts and its event-driven scan), the IaC scan, remediation's
verifying re-scan and the demo all call it, so they cannot drift apart again: before,
each assembled collect → derive → evaluate itself, with its own subset of derivations,
and remediation re-verified on a fixed engine whatever `--engine` said."""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tests.architecture.test_import_cycles import PACKAGES, REPO

# module → the functions only the pipeline (and the module itself) may call.
GUARDED = {"mlwarden.inventory": {"collect"}, "mlwarden.derivations": {"derive"},
           "mlwarden.evaluate": {"evaluate"}}
PIPELINE = "mlwarden.pipeline"


def _module_name(path: Path) -> str:
    for folder, package in PACKAGES.items():
        if path.is_relative_to(REPO / folder):
            parts = list(path.relative_to(REPO / folder).with_suffix("").parts)
            return ".".join([package, *(parts[:-1] if parts[-1] == "__init__" else parts)])
    raise ValueError(path)


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[:len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def guarded_calls(source: str, module: str, is_package: bool = False,
                  guarded: dict[str, set[str]] = GUARDED) -> list[str]:
    """Calls in `source` (the module `module`) of a guarded function (`guarded`: module →
    function names), however imported: `from .evaluate import evaluate`, `from . import
    derivations` then `derivations.derive(...)`, `import mlwarden.inventory as inv` then
    `inv.collect(...)`."""
    tree = ast.parse(source)
    functions: dict[str, str] = {}   # local name → "module.function"
    modules: dict[str, str] = {}     # local name → guarded module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            origin = _absolute(module, is_package, node)
            for alias in node.names:
                local = alias.asname or alias.name
                if alias.name in guarded.get(origin, ()):
                    functions[local] = f"{origin}.{alias.name}"
                if f"{origin}.{alias.name}" in guarded:
                    modules[local] = f"{origin}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in guarded and alias.asname:
                    modules[alias.asname] = alias.name
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in functions:
            out.append(f"{node.lineno} {functions[f.id]}")
        elif isinstance(f, ast.Attribute):
            owner = ast.unparse(f.value)
            target = modules.get(owner) or (owner if owner in guarded else None)
            if target and f.attr in guarded[target]:
                out.append(f"{node.lineno} {target}.{f.attr}")
    return out


def test_only_the_pipeline_collects_derives_and_evaluates():
    offenders = []
    for folder in PACKAGES:
        for path in (REPO / folder).rglob("*.py"):
            module = _module_name(path)
            if module == PIPELINE or module in GUARDED:
                continue
            offenders += [f"{path.relative_to(REPO)}:{hit}"
                          for hit in guarded_calls(path.read_text(), module, path.name == "__init__.py")]
    assert offenders == [], "go through scanner/pipeline.py (gather / judge / run_scan): " + ", ".join(offenders)


@pytest.mark.parametrize("code", [
    "from ..evaluate import evaluate\nevaluate(inv, ps, e, s)",
    "from ..derivations import IAC, derive as d\nd(inv, scope)",
    "from .. import inventory\ninventory.collect(aws, regions)",
    "import mlwarden.evaluate as ev\nev.evaluate(inv, ps, e, s)",
    "def f():\n    from mlwarden.inventory import collect\n    return collect(aws, ['eu-west-1'])",
])
def test_the_check_sees_each_way_of_calling_past_the_pipeline(code):
    assert guarded_calls(textwrap.dedent(code), "mlwarden.audit.handler") != []


def test_the_check_lets_other_functions_of_those_names_through():
    code = "from ..inventory import Inventory, now\nnow()\nengine.evaluate(requests)\ngc.collect()"
    assert guarded_calls(code, "mlwarden.audit.handler") == []
