"""Build the Lambda deployment package for the function's declared runtime and
architecture, not for the Python that happens to run `mlwarden schedule install`.

Third-party distributions are resolved by pip for CPython 3.12 on manylinux x86_64
(binary wheels only), so every native extension matches the runtime's interpreter,
architecture and glibc; mlwarden itself is pure Python plus the compiled policy
library and is copied from the installed package. The package is then checked:
no shared object may need a newer glibc than the runtime has (see `elfcheck`).

boto3/botocore are bundled rather than taken from the runtime: the copy the Lambda
runtime ships is updated on AWS's schedule, not pinned, and the collectors need the
version this package declares (the runtime's copy stays unused: /var/task comes first
on the function's sys.path).
"""
from __future__ import annotations

import functools
import importlib.metadata as md
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .runtime import LAMBDA_RUNTIME, LambdaRuntime

# What the audit handler imports, directly or lazily (collectors, report writer):
# the policy engine, the HTML report, YAML settings, secret detection, IAM policy
# analysis, signature checks and the AWS SDK. The CLI-only distributions (click's
# commands, rich, cfn-lint, the OPA REST client) stay out.
HANDLER_DISTRIBUTIONS = ("boto3", "wasmtime", "jinja2", "pyyaml", "cryptography", "detect-secrets",
                         "cloudsplaining", "policy-sentry")
# Parts of mlwarden the handler never imports.
MLWARDEN_SKIPPED = ("commands", "cli.py", "iac", "demo")
# Files in third-party distributions no import needs.
# (Only "tests": botocore imports its own `docs` package at import time.)
PRUNED_DIRS = {"__pycache__", "tests"}
# Parts of a distribution the handler never imports: cloudsplaining's HTML report
# bundle (the handler uses its policy-document analysis only).
PRUNED_PARTS = ("cloudsplaining/output",)
PRUNED_SUFFIXES = (".pyc", ".pyi", ".c", ".h", ".pyx", ".pxd")
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024
WHEELHOUSE_ENV = "MLWARDEN_WHEELHOUSE"


@dataclass(frozen=True)
class Package:
    data: bytes
    zipped_size: int
    unzipped_size: int
    files: int
    distributions: tuple[str, ...]
    runtime: LambdaRuntime = LAMBDA_RUNTIME

    def check_limits(self) -> None:
        if self.zipped_size > LAMBDA_ZIP_LIMIT or self.unzipped_size > LAMBDA_UNZIPPED_LIMIT:
            raise ValueError(f"Lambda package too large: {self.zipped_size} bytes zipped, "
                             f"{self.unzipped_size} unzipped")


def requirements() -> list[str]:
    """mlwarden's declared requirement (name and version range) for each distribution
    the handler needs; a name mlwarden does not declare is taken unpinned."""
    declared = {}
    for req in md.requires("mlwarden") or []:
        if "extra ==" in req:
            continue
        name = re.split(r"[\s<>=!~;\[(]", req, maxsplit=1)[0]
        declared[_key(name)] = req.split(";")[0].strip()
    return [declared.get(_key(d), d) for d in HANDLER_DISTRIBUTIONS]


def wheelhouse(runtime: LambdaRuntime = LAMBDA_RUNTIME) -> Path:
    """Where downloaded wheels are kept, so a later build works offline."""
    root = os.environ.get(WHEELHOUSE_ENV) or Path.home() / ".cache" / "mlwarden" / "wheels"
    return Path(root) / f"{runtime.name}-{runtime.architecture}"


def install_dependencies(target: Path, runtime: LambdaRuntime = LAMBDA_RUNTIME) -> None:
    """Resolve and install the handler's distributions for `runtime` into `target`:
    fetched from the package index into the wheelhouse, then installed from there
    only, so an unreachable index falls back to wheels fetched earlier."""
    house = wheelhouse(runtime)
    house.mkdir(parents=True, exist_ok=True)
    reqs = requirements()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    download = subprocess.run(
        [*pip, "download", "--quiet", "--retries", "1", "--timeout", "15", "--dest", str(house),
         *runtime.pip_args(), *reqs], capture_output=True, text=True)
    install = subprocess.run(
        [*pip, "install", "--quiet", "--no-index", "--find-links", str(house), "--target", str(target),
         "--no-compile", *runtime.pip_args(), *reqs], capture_output=True, text=True)
    if install.returncode != 0:
        why = _first_error(download.stderr) if download.returncode else _first_error(install.stderr)
        raise InputError(
            f"Lambda package: cannot get {runtime.name} {runtime.architecture} wheels for "
            f"{', '.join(reqs)}: the package index failed ({why}) and the wheel cache {house} "
            f"lacks them (set {WHEELHOUSE_ENV} to a directory of such wheels)")


def _first_error(stderr: str) -> str:
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ERROR")]
    return (errors or lines or ["no output"])[0][:300]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pruned(path: Path, root: Path) -> bool:
    rel = path.relative_to(root)
    return (bool(PRUNED_DIRS.intersection(rel.parts[:-1])) or rel.parts[0] == "bin"
            or rel.as_posix().startswith(PRUNED_PARTS)
            or path.name.endswith(PRUNED_SUFFIXES) or path.name == "RECORD")


def _mlwarden_sources() -> dict[str, Path]:
    import mlwarden
    roots = {"mlwarden": Path(mlwarden.__file__).parent}
    for sub in ("reports", "remediations", "policies"):
        mod = __import__(f"mlwarden.{sub}", fromlist=["_"])
        roots[f"mlwarden/{sub}"] = Path(mod.__file__).parent
    files = {}
    for arc_root, src in roots.items():
        for path in sorted(src.rglob("*")):
            if path.is_dir() or "__pycache__" in path.parts or path.name.endswith(("_test.rego", ".pyc")):
                continue
            rel = path.relative_to(src)
            if arc_root == "mlwarden" and rel.parts[0] in ("reports", "remediations", "policies",
                                                          *MLWARDEN_SKIPPED):
                continue
            files[f"{arc_root}/{rel.as_posix()}"] = path
    return files


def build_tree(target: Path, runtime: LambdaRuntime = LAMBDA_RUNTIME) -> list[str]:
    """The unzipped package in `target`; returns the distributions it holds."""
    install_dependencies(target, runtime)
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and _pruned(path, target):
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for arc, src in _mlwarden_sources().items():
        dest = target / arc
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    return sorted(p.name.split("-")[0] for p in target.glob("*.dist-info"))


@functools.lru_cache(maxsize=2)
def build_package(runtime: LambdaRuntime = LAMBDA_RUNTIME) -> Package:
    """The zipped package (cached per process: a build resolves dozens of wheels).
    Raises InputError when the wheels cannot be had or the package would not load
    on the runtime."""
    from .elfcheck import check_tree  # needs pyelftools: only building a package does
    with tempfile.TemporaryDirectory(prefix="mlwarden-lambda-") as tmp:
        tree = Path(tmp)
        dists = build_tree(tree, runtime)
        problems = check_tree(tree, runtime)
        if problems:
            raise InputError(f"Lambda package would not load on {runtime.name}: {problems[0]}"
                             + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        buf = io.BytesIO()
        unzipped = count = 0
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for path in sorted(tree.rglob("*")):
                if path.is_file():
                    zf.write(path, path.relative_to(tree).as_posix())
                    unzipped += path.stat().st_size
                    count += 1
    data = buf.getvalue()
    return Package(data=data, zipped_size=len(data), unzipped_size=unzipped, files=count,
                   distributions=tuple(dists), runtime=runtime)
