"""The shipped policies pass the reference tools: `opa check --strict`, `opa test`, `regal lint`.

The binaries come from `scripts/bootstrap.sh opa` (built from the Go module proxy into
.tools/bin); on PATH, or through MLWARDEN_OPA / MLWARDEN_REGAL, works too. Without
them these tests skip and say why; CI builds them.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mlwarden.policy.library import shipped_policy_dir

ROOT = Path(__file__).resolve().parents[2]
POLICIES = shipped_policy_dir()


def _regal() -> Path | None:
    env = os.environ.get("MLWARDEN_REGAL")
    if env:
        return Path(env) if Path(env).is_file() else None
    found = shutil.which("regal") or (ROOT / ".tools" / "bin" / "regal")
    return Path(found) if Path(found).is_file() else None


def _run(cmd: list, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, cwd=ROOT, **kw)


def test_opa_check_strict_accepts_every_policy(opa_binary):
    out = _run([opa_binary, "check", "--strict", POLICIES])
    assert out.returncode == 0, out.stdout + out.stderr


def test_opa_test_passes_every_rego_unit_test(opa_binary):
    out = _run([opa_binary, "test", POLICIES, "--format", "json"])
    try:
        results = json.loads(out.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"opa test did not run: {out.stdout[-2000:]}{out.stderr[-2000:]}")
    failed = [f"{r['location']['file']}:{r['location']['row']}: {r['package']}.{r['name']}"
              + (f" ({r['error']['message']})" if r.get("error") else "")
              for r in results if r.get("fail") or r.get("error")]
    assert results, "opa test found no tests"
    assert out.returncode == 0 and not failed, f"{len(failed)} failing:\n" + "\n".join(failed[:40])


@pytest.mark.opa   # runs Regal, a Go tool: not in `make check`
def test_regal_lint_finds_no_errors():
    regal = _regal()
    if regal is None:
        pytest.skip("no `regal` binary (run scripts/bootstrap.sh opa, or set MLWARDEN_REGAL)")
    # .regal/config.yaml (repository root) tunes the rules to our conventions.
    out = _run([regal, "lint", "--format", "json", POLICIES.relative_to(ROOT) if POLICIES.is_relative_to(ROOT)
                else POLICIES])
    report = json.loads(out.stdout)
    errors = [f"{v['location']['file']}:{v['location']['row']}: {v['category']}/{v['title']}: {v['description']}"
              for v in report.get("violations", []) if v.get("level") == "error"]
    assert not errors, f"{len(errors)} regal errors:\n" + "\n".join(errors[:40])


@pytest.mark.opa
def test_regal_config_enforces_our_package_naming(tmp_path):
    """The tuned config is not just permissive: a misnamed package is still an error."""
    regal = _regal()
    if regal is None:
        pytest.skip("no `regal` binary (run scripts/bootstrap.sh opa, or set MLWARDEN_REGAL)")
    bad = tmp_path / "policies" / "tagging" / "x.rego"
    bad.parent.mkdir(parents=True)
    bad.write_text("package wrong.name\n\nimport rego.v1\n\ndeny contains sprintf(\"%v\", [input.x])\n")
    out = _run([regal, "lint", "--format", "json", "--config-file", ROOT / ".regal" / "config.yaml",
                tmp_path / "policies"])
    titles = {v["title"] for v in json.loads(out.stdout).get("violations", [])}
    assert {"naming-convention", "forbidden-function-call"} <= titles, titles
