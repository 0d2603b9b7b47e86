"""No import cycles among mlwarden's modules at import time.

A cycle makes the import order matter (a name is missing when the other module is
half-initialised) and ties the modules in it together for every later change. The
graph is read from the source, not from a running interpreter: each module's imports
at module level (inside `if`/`try` too, not under `if TYPE_CHECKING:`), of modules of
the `mlwarden` package (scanner/, reports/, remediations/ as pyproject.toml maps them).
Imports inside functions run later, when every module is loaded, and are left out.
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


def import_graph(repo: Path = REPO) -> nx.DiGraph:
    known = modules(repo)
    graph = nx.DiGraph()
    graph.add_nodes_from(known)
    for name, (path, is_package) in known.items():
        for node in _module_level(ast.parse(path.read_text(), str(path)).body):
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


def test_no_import_cycles():
    cycles = sorted(" -> ".join([*c, c[0]]) for c in nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles among mlwarden modules:\n" + "\n".join(cycles)


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
