"""The Lambda package as the python3.12 runtime would load it: every native library
within the runtime's glibc, architecture and CPython ABI, and the handler importing
and evaluating the shipped policies from the package alone."""
from __future__ import annotations

import dataclasses
import glob
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlwarden.audit.elfcheck import check_tree, problems, read, shared_objects
from mlwarden.audit.package import build_package
from mlwarden.audit.runtime import LAMBDA_RUNTIME, LambdaRuntime

pytestmark = pytest.mark.slow  # resolves and downloads the runtime's wheels (cached after)

# A notebook without a KMS key, with direct internet and root access: fails the
# encryption and network policies whatever the settings.
TINY_EVALUATION = """
import json
import mlwarden.audit.handler  # the function's entry point
from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.inventory import Inventory
from mlwarden.model import Resource
nb = Resource(type="AWS::SageMaker::NotebookInstance", id="nb", account="123456789012", region="eu-west-1",
              arn="arn:aws:sagemaker:eu-west-1:123456789012:notebook-instance/nb",
              properties={"NotebookInstanceName": "nb", "DirectInternetAccess": "Enabled", "RootAccess": "Enabled"})
doc = evaluate_inventory(Inventory(accounts=["123456789012"], regions=["eu-west-1"], resources=[nb]),
                         EvalOptions(workers=1))
# what the collectors import lazily, so a missing distribution shows here and not in the account
import mlwarden.collectors.iam_analysis, mlwarden.secret_detection, mlwarden.reports.html
from cloudsplaining.scan.policy_document import PolicyDocument
from cryptography.hazmat.primitives.asymmetric import ec
import wasmtime, yaml, botocore
print(json.dumps({"python": __import__("sys").version_info[:2], "botocore": botocore.__file__,
                  "findings": sorted({f.policy_id + ":" + f.status.value for f in doc.findings})}))
"""


@pytest.fixture(scope="module")
def package_dir(tmp_path_factory) -> Path:
    pkg = build_package()
    root = tmp_path_factory.mktemp("lambda-package")
    zipfile.ZipFile(io.BytesIO(pkg.data)).extractall(root)
    return root


def test_every_shared_object_loads_on_the_runtime(package_dir):
    objects = shared_objects(package_dir)
    names = {o.path for o in objects}
    # the policy engine's runtime and the compiled extensions of the handler's dependencies
    assert any(n.startswith("wasmtime/") for n in names), names
    assert any(n.startswith("cryptography/") for n in names), names
    assert check_tree(package_dir, LAMBDA_RUNTIME) == []
    newest = max(o.glibc for o in objects if o.glibc)
    print(f"newest GLIBC needed: {newest}, runtime {LAMBDA_RUNTIME.glibc}")
    assert newest <= LAMBDA_RUNTIME.glibc
    # no extension module built for another interpreter than the runtime's
    tagged = [n for n in names if ".cpython-" in n]
    assert tagged and all(".cpython-312-x86_64-linux-gnu.so" in n for n in tagged), tagged


def test_the_check_rejects_what_would_not_load(package_dir):
    wasm_lib = next(p for p in package_dir.rglob("*.so") if p.parts[-3] == "wasmtime")
    need = read(wasm_lib, package_dir).glibc
    assert need and need > (2, 17)
    # the same library on an older C library (Amazon Linux 2's 2.26 or older)
    older = LambdaRuntime(name="old", python=(3, 12), architecture="x86_64", glibc=(2, need[1] - 1))
    assert any("needs GLIBC_" in p for p in check_tree(package_dir, older))
    # the same package on arm64, and on another CPython
    arm = LambdaRuntime(name="arm", python=(3, 12), architecture="arm64", glibc=(2, 34))
    assert any("built for EM_X86_64" in p for p in check_tree(package_dir, arm))
    # a library the runtime's image lacks: the same wasmtime library, needing OpenSSL too
    lib = read(wasm_lib, package_dir)
    assert "libc.so.6" in lib.needed and problems(lib, LAMBDA_RUNTIME) == []
    with_ssl = dataclasses.replace(lib, needed=(*lib.needed, "libssl.so.3"))
    assert problems(with_ssl, LAMBDA_RUNTIME) == [
        f"{lib.path}: needs libssl.so.3, which neither the runtime nor the package provides"]
    py313 = LambdaRuntime(name="py313", python=(3, 13), architecture="x86_64", glibc=(2, 34))
    assert any("CPython extension for cp312" in p for p in check_tree(package_dir, py313))


def test_package_holds_only_what_the_handler_needs(package_dir):
    top = {p.name for p in package_dir.iterdir()}
    assert {"mlwarden", "wasmtime", "boto3", "botocore", "cryptography", "yaml"} <= top
    for absent in ("cfnlint", "rich", "opa_client", "pip", "setuptools", "moto", "pytest", "regopy"):
        assert absent not in top
    assert not (package_dir / "mlwarden" / "commands").exists()
    assert not (package_dir / "cloudsplaining" / "output").exists()
    assert not list(package_dir.rglob("__pycache__")) and not list(package_dir.rglob("tests"))
    assert (package_dir / "mlwarden" / "engine" / "wasm" / "library.wasm").is_file()


def _python312() -> str | None:
    """A real CPython 3.12 (a pyenv shim on PATH may refuse to run one)."""
    pyenv_root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3.12"))
    found = shutil.which("python3.12")
    if found and "/shims/" not in found:
        candidates.append(found)
    return candidates[-1] if candidates else None


def test_handler_imports_and_evaluates_from_the_package_alone(package_dir, tmp_path):
    python = _python312()
    if python is None:
        pytest.skip("no python3.12 interpreter on this machine (the runtime's CPython); "
                    "the ABI/glibc check above still ran")
    # -S: no site-packages, so every import must come from the package (as in /var/task)
    proc = subprocess.run([python, "-S", "-c", TINY_EVALUATION], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300,
                          env={"PYTHONPATH": str(package_dir), "PATH": os.environ.get("PATH", ""),
                               "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["python"] == [3, 12]
    assert out["botocore"].startswith(str(package_dir))
    assert "MLW-ENC-001:FAIL" in out["findings"] and "MLW-NET-001:FAIL" in out["findings"]
    assert any(f.endswith(":PASS") for f in out["findings"])


def test_unreachable_index_and_empty_cache_is_one_line_exit_2(tmp_path):
    exe = Path(sys.executable).with_name("mlwarden")
    env = {**os.environ, "MLWARDEN_WHEELHOUSE": str(tmp_path / "wheels"),
           "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_EXTRA_INDEX_URL": "", "PIP_FIND_LINKS": ""}
    proc = subprocess.run([str(exe), "schedule", "package", "--out", str(tmp_path / "x.zip")], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "python3.12 x86_64 wheels" in lines[0] and str(tmp_path / "wheels") in lines[0]
    assert not (tmp_path / "x.zip").exists()
