"""The docs and the code's comments cite only files that are in the repository.

A newcomer follows the paths in README.md and docs/*.md to the code; a path that moved
or never existed sends them nowhere, and a pointer to a document outside the
repository (the design notes the product was built from) is one they cannot open.
So every repository path cited in the docs must exist, and no file of the product
may point outside it.
"""
from __future__ import annotations

import ast
import io
import re
import subprocess
import tokenize
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
PRODUCT = ("scanner", "policies", "reports", "remediations", "docs")
TOP = ("scanner", "policies", "reports", "remediations", "tests", "docs", "benchmarks", "scripts", r"\.ci")
# A path as docs write it: `scanner/derived.py`, `policies/<category>/`, `tests/support/moto_*.py`.
REPO_PATH = re.compile(r"(?<![\w./-])((?:%s)/[\w.*/-]*)" % "|".join(TOP))
CODE_SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
# A source file named in a code span without its root (`collectors/signature_check.py`);
# data paths (`cdk.out/*.template.json`) are the user's, not ours.
FILE_LIKE = re.compile(r"^[\w.-]+(?:/[\w.*-]+)+\.(?:py|rego|j2)$")
OUTSIDE = re.compile(r"DESIGN\.md|\.\./shared|/work/shared")


def _tracked(folders=()) -> list[Path]:
    out = subprocess.run(["git", "ls-files", "-z", "--", *folders], cwd=REPO, capture_output=True, check=True)
    return [REPO / p for p in out.stdout.decode().split("\0") if p]


def _exists(path: str, base: Path) -> bool:
    path = path.rstrip(".,;:)")
    # Policy files are cited from the library's root (`encryption/notebook_kms.rego`).
    roots = (REPO, base, REPO / "policies") if path.endswith(".rego") else (REPO, base)
    for root in roots:
        if any(ch in path for ch in "*?["):
            if list(root.glob(path)):
                return True
        elif (root / path).exists():
            return True
    return False


def cited_paths(doc: Path) -> list[tuple[int, str]]:
    """(line, path) for every repository path a Markdown file cites: in a code span, in
    prose, or as a relative link."""
    cited = []
    for no, line in enumerate(doc.read_text().splitlines(), 1):
        for target in LINK.findall(line):
            if "://" not in target and not target.startswith("mailto:"):
                cited.append((no, target))
        for m in REPO_PATH.finditer(line):
            cited.append((no, m.group(1)))
        for span in CODE_SPAN.findall(line):
            token = span.split(":")[0].split()[0] if span.strip() else ""
            if FILE_LIKE.match(token) and not REPO_PATH.match(token):
                cited.append((no, token))
    return cited


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_path_a_doc_cites_exists(doc):
    missing = [f"{doc.relative_to(REPO)}:{no}: {path}" for no, path in cited_paths(doc)
               if not _exists(path, doc.parent)]
    assert not missing, "paths cited but not in the repository:\n" + "\n".join(missing)


def test_the_path_extraction_sees_what_a_newcomer_would_follow(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("See `scanner/nowhere.py: Thing`, [guide](gone.md), scanner/derived.py and\n"
                   "`collectors/missing.py`; not `out/demo/report.html` nor https://example.com/a.md.\n")
    cited = [p for _, p in cited_paths(doc)]
    assert cited == ["gone.md", "scanner/nowhere.py", "scanner/derived.py", "collectors/missing.py"]
    assert [p for p in cited if not _exists(p, tmp_path)] == ["gone.md", "scanner/nowhere.py",
                                                            "collectors/missing.py"]


def test_nothing_in_the_product_points_outside_the_repository():
    files = _tracked(PRODUCT) + [REPO / "README.md"]
    hits = []
    for path in files:
        if path.suffix in (".wasm",):
            continue
        for no, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                hits.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
    assert not hits, "references to documents outside the repository:\n" + "\n".join(hits)


def _comments(source: str) -> list[tuple[int, str]]:
    """Comments and docstrings: the prose of a Python file."""
    out = [(t.start[0], t.string) for t in tokenize.generate_tokens(io.StringIO(source).readline)
           if t.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=False)
            if doc and node.body:
                out.append((node.body[0].lineno, doc))
    return out


def test_python_files_named_in_comments_exist():
    """`see facts.py` in a comment must name a module of this repository."""
    names = {p.name for p in _tracked()}
    missing = []
    for path in _tracked(("scanner", "reports", "remediations")):
        if path.suffix != ".py":
            continue
        for no, text in _comments(path.read_text()):
            for ref in re.findall(r"(?<![\w/.-])([\w/-]+\.py)\b", text):
                if Path(ref).name not in names and not ref.startswith("/"):
                    missing.append(f"{path.relative_to(REPO)}:{no}: {ref}")
    assert not missing, "comments naming Python files that are not in the repository:\n" + "\n".join(missing)
