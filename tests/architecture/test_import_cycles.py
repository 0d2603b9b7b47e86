"""No import cycles among mlwarden's modules, and reports that import only the model.

A cycle makes the import order matter (a name is missing when the other module is
half-initialised) and ties the modules in it together for every later change. The
graph is read from the source, not from a running interpreter: each module's imports
(inside `if`/`try` too, not under `if TYPE_CHECKING:`) of modules of the `mlwarden`
package (scanner/, reports/, remediations/ as pyproject.toml maps them). The
import-time graph has the module-level imports; the full graph adds the imports
inside functions, which run later but tie the modules together just the same.
"""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parents[2]
PACKAGES = {"scanner": "mlwarden", "reports": "mlwarden.reports", "remediations": "mlwarden.remediations"}


def modules(repo: Path = REPO) -> dict[str, tuple[Path, bool]]:
    """Module name → (file, is a package's __init__)."""
    out = {}
    for folder, package in PACKAGES.items():
        for path in (repo / folder).rglob("*.py"):
            parts = list(path.relative_to(repo / folder).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            out[".".join([package, *(parts[:-1] if is_package else parts)])] = (path, is_package)
    return out


def _module_level(body: list[ast.stmt]):
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _module_level(node.body)
                yield from _module_level(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody, *(h.body for h in node.handlers)):
                yield from _module_level(block)


def _anywhere(node: ast.AST):
    """Every import of the module, in functions too, except under `if TYPE_CHECKING:`."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
            for other in child.orelse:
                yield from _anywhere(other)
        else:
            yield from _anywhere(child)


def import_graph(repo: Path = REPO, *, deferred: bool = False) -> nx.DiGraph:
    """Module → the mlwarden modules it imports (with `deferred`, inside functions too)."""
    known = modules(repo)
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, (path, is_package) in known.items():
        tree = ast.parse(path.read_text(), str(path))
        for node in (_anywhere(tree) if deferred else _module_level(tree.body)):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = name if is_package else name.rpartition(".")[0]
                if node.level:
                    base = ".".join(base.split(".")[:len(base.split(".")) - node.level + 1])
                    module = f"{base}.{node.module}" if node.module else base
                else:
                    module = node.module or ""
                # `from . import x` imports the module x; `from .m import f` imports m.
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in known else module
                           for a in node.names]
            graph.add_edges_from((name, t) for t in targets if t in known and t != name)
    return graph


def _cycles(graph: nx.DiGraph) -> list[str]:
    return sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(graph))


def test_no_import_cycles():
    cycles = _cycles(import_graph())
    assert not cycles, "import cycles among mlwarden modules:\n" + "\n".join(cycles)


def test_no_import_cycles_through_imports_inside_functions():
    # An import moved into a function hides a cycle from the import order, not from the
    # design: the modules still need each other.
    cycles = _cycles(import_graph(deferred=True))
    assert not cycles, "import cycles among mlwarden modules (with deferred imports):\n" + "\n".join(cycles)


# What a renderer may know about: the findings document's dataclasses and plain helpers.
# Collectors, engines, policies (their loader, metadata, controls), the IaC loaders and
# the runbooks are upstream stages; a report that reached into them would render what
# they say now, not what the document it was given recorded.
REPORTS_MAY_NOT_IMPORT = ("mlwarden.collectors", "mlwarden.engine", "mlwarden.policy", "mlwarden.iac",
                          "mlwarden.evaluate", "mlwarden.inventory", "mlwarden.type_registry",
                          "mlwarden.remediations", "mlwarden.aws")


def test_reports_import_nothing_from_collectors_engines_or_policies():
    graph = import_graph(deferred=True)
    reports = [m for m in graph if m.startswith("mlwarden.reports")]
    reached = {(r, t) for r in reports for t in nx.descendants(graph, r)
               if t.startswith(REPORTS_MAY_NOT_IMPORT)}
    direct = sorted(f"{r} -> {t}" for r, t in graph.edges(reports) if t.startswith(REPORTS_MAY_NOT_IMPORT))
    assert not direct, "reports import upstream stages:\n" + "\n".join(direct)
    assert not reached, "reports reach upstream stages through:\n" + "\n".join(
        f"{r} ~> {t}: {' -> '.join(nx.shortest_path(graph, r, t))}" for r, t in sorted(reached)[:20])


def test_the_graph_sees_relative_absolute_and_guarded_imports(tmp_path):
    pkg = tmp_path / "scanner"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from . import b\n")
    (pkg / "a.py").write_text("from .sub.b import f\nimport mlwarden.c\n")
    (pkg / "sub" / "b.py").write_text("try:\n    from .. import a\nexcept ImportError:\n    pass\n"
                                      "def f():\n    from ..c import g\n")
    (pkg / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .a import x\n")
    for folder in ("reports", "remediations"):
        (tmp_path / folder).mkdir()
    graph = import_graph(tmp_path)
    assert set(graph.edges) == {("mlwarden.sub", "mlwarden.sub.b"), ("mlwarden.a", "mlwarden.sub.b"),
                                ("mlwarden.a", "mlwarden.c"), ("mlwarden.sub.b", "mlwarden.a")}
    assert [sorted(c) for c in nx.simple_cycles(graph)] == [["mlwarden.a", "mlwarden.sub.b"]]
    # Inside functions too (b's `from ..c import g`), still not under TYPE_CHECKING (c's).
    deferred = import_graph(tmp_path, deferred=True)
    assert set(deferred.edges) == set(graph.edges) | {("mlwarden.sub.b", "mlwarden.c")}


def test_benchmarks_import_no_test_code():
    """Benchmarks share the AWS emulation with the tests (benchmarks/aws_sim/: the
    forwarding proxy, call counting), never the other way round: test code stays a test's."""
    found = []
    for path in sorted((REPO / "benchmarks").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            found += [f"{path.relative_to(REPO)}: {n}" for n in names if n == "tests" or n.startswith("tests.")]
    assert not found, "benchmarks import test code:\n" + "\n".join(found)
