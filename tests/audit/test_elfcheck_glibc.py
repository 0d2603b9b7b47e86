"""The Lambda package check refuses a shared object that needs a newer glibc than the
declared runtime's, on libraries built here for the purpose: one calling arc4random
(GLIBC_2.36, newer than Amazon Linux 2023's 2.34) and one calling only strlen."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mlwarden.audit.elfcheck import check_tree, read
from mlwarden.audit.runtime import LAMBDA_RUNTIME

GCC = shutil.which("gcc") or shutil.which("cc")
pytestmark = pytest.mark.skipif(GCC is None, reason="needs a C compiler to build the test libraries")

NEW = "#include <stdlib.h>\nunsigned int token(void) { return arc4random(); }\n"
OLD = "#include <string.h>\nsize_t width(const char *s) { return strlen(s); }\n"


def _build(directory: Path, name: str, source: str) -> Path:
    src = directory / f"{name}.c"
    src.write_text(source)
    out = directory / f"lib{name}.so"
    subprocess.run([GCC, "-shared", "-fPIC", "-O1", "-o", str(out), str(src)], check=True,
                   capture_output=True)
    return out


def test_a_library_needing_a_newer_glibc_is_refused(tmp_path):
    lib = _build(tmp_path, "newglibc", NEW)
    needed = read(lib, tmp_path).glibc
    if needed is None or needed <= LAMBDA_RUNTIME.glibc:
        pytest.skip(f"this machine's glibc gives arc4random version {needed}, not newer than the runtime's")
    found = check_tree(tmp_path, LAMBDA_RUNTIME)
    assert found == [f"libnewglibc.so: needs GLIBC_{needed[0]}.{needed[1]}, the runtime has "
                     f"{LAMBDA_RUNTIME.glibc[0]}.{LAMBDA_RUNTIME.glibc[1]}"]


def test_a_library_within_the_runtime_glibc_passes(tmp_path):
    lib = _build(tmp_path, "oldglibc", OLD)
    assert read(lib, tmp_path).glibc <= (2, 17)     # strlen: GLIBC_2.2.5 on x86_64
    assert check_tree(tmp_path, LAMBDA_RUNTIME) == []


def test_the_declared_runtime_is_what_the_template_and_installer_deploy():
    from mlwarden.audit import install, template
    assert LAMBDA_RUNTIME.glibc >= (2, 28)   # wasmtime's own requirement
    assert install.RUNTIME == LAMBDA_RUNTIME.name == "python3.12"
    functions = [r["Properties"] for r in template.template()["Resources"].values()
                 if r["Type"] == "AWS::Lambda::Function"]
    assert functions and all(f["Runtime"] == LAMBDA_RUNTIME.name for f in functions)
    assert all(f.get("Architectures", [LAMBDA_RUNTIME.architecture]) == [LAMBDA_RUNTIME.architecture]
               for f in functions)
