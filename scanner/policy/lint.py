"""`mlwarden policies lint`: mistakes that would make the scanner refuse a policy.

Both checks run the real tools, so the lint says exactly what a scan would say:
- `sandbox` and compile errors: `opa check --strict` with the scanner's capabilities
  allow-list (scanner/engine/capabilities.json). A policy that calls `opa.runtime`,
  `http.send`, `net.*`, `print` or another builtin outside the list is named with
  file and line, as are unused variables, shadowed names and type errors.
- `wasm-builtin`: a builtin OPA's WebAssembly runtime does not implement (`sprintf`
  is the usual one) compiles with OPA but is refused by the default engine. The
  files are compiled to Wasm (`opa build -t wasm`) and every builtin the module
  would import from the host, and mlwarden does not provide, is reported where the
  file calls it.

The shipped library is loaded with the given files so that their imports resolve;
only problems in the given files are reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..errors import InputError


@dataclass(frozen=True, kw_only=True)
class LintWarning:
    path: Path
    line: int
    code: str      # "sandbox", "compile", "wasm-builtin"
    message: str
    level: str = "error"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: [{self.code}] {self.message}"


_LOCATED = re.compile(r"(?P<file>[^\s:]+\.rego):(?P<line>\d+):\s*(?P<kind>rego_\w+):\s*(?P<msg>.*)$", re.M)


def lint_paths(paths: Iterable[Path]) -> list[LintWarning]:
    """Lint every .rego file under the given files and directories."""
    from ..engine import wasm_build
    from .library import rego_files, shipped_policy_dir
    files = _rego_files(paths)
    if not files:
        return []
    shipped = shipped_policy_dir().resolve()
    mine = {f.resolve() for f in files}
    library = [p for p in rego_files(shipped) if p.resolve() not in mine]
    opa = wasm_build._require_opa()
    import subprocess
    proc = subprocess.run([str(opa), "check", "--strict", "--max-errors=-1", "--capabilities",
                           str(wasm_build.CAPABILITIES), *map(str, library), *map(str, files)],
                          capture_output=True, text=True)
    out: list[LintWarning] = []
    for m in _LOCATED.finditer(proc.stdout + proc.stderr):
        path = Path(m.group("file"))
        if path.resolve() not in mine:
            continue
        msg = m.group("msg").strip()
        fn = msg.rsplit(" ", 1)[-1] if "undefined function" in msg else ""
        if fn and wasm_build.denied(fn):
            out.append(LintWarning(path=path, line=int(m.group("line")), code="sandbox",
                                   message=f"{fn} is not allowed in mlwarden policies: a policy may not "
                                           "read the environment, reach the network or write output"))
        else:
            out.append(LintWarning(path=path, line=int(m.group("line")), code="compile",
                                   message=f"{m.group('kind')}: {msg}"))
    if proc.returncode != 0 and not out:
        text = (proc.stdout + proc.stderr).strip().splitlines()
        raise InputError(f"opa check failed: {text[-1] if text else proc.returncode}")
    if not out:
        out.extend(_wasm_builtins(files, library))
    return sorted(out, key=lambda w: (str(w.path), w.line, w.code))


def _wasm_builtins(files: list[Path], library: list[Path]) -> list[LintWarning]:
    """Builtins the module of these files would import from the host and we lack."""
    from ..engine import wasm_build
    from ..engine.wasm_runtime import HOST_BUILTINS, OpaModule
    from .library import load_policies, shipped_policy_dir
    dirs = sorted({f.parent for f in files})
    try:
        ps = load_policies(dirs, include_shipped=not any(
            d.resolve() == shipped_policy_dir().resolve() for d in dirs))
        if not ps.policies:
            return []
        wasm, _ = wasm_build.build(ps)
        names = OpaModule(wasm, where="lint", check_builtins=False).builtins
    except InputError:
        return []   # not a loadable policy set (no METADATA...): the scan reports that itself
    out = []
    for name in sorted(set(names) - set(HOST_BUILTINS)):
        call = re.compile(r"(?<![\w.])" + re.escape(name) + r"\s*\(")
        for f in files:
            for i, line in enumerate(f.read_text().splitlines(), 1):
                code = line.split("#", 1)[0]
                if call.search(code):
                    out.append(LintWarning(path=f, line=i, code="wasm-builtin", message=(
                        f"{name} is not available in OPA's WebAssembly runtime, which the default "
                        "engine runs: the scan would refuse this policy (use --engine opa, or "
                        "rewrite it: concat instead of sprintf)")))
    return out


def _rego_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(x for x in p.rglob("*.rego")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return files
