"""Every AWS FSBP control a policy claims is proven on that control's own population.

For each control id in a policy's METADATA (`controls.AWS-FSBP`), the policy's
`*_test.rego` beside it must hold, among its `cases`, a resource of one of the control's
resource types (scanner/policy/fsbp_controls.yaml, from the Security Hub user guide) that
the policy fails, and one it judges (applicable) and passes. `opa test` proves each case
gives the count it names; this test proves the cases exist for every claimed control,
so a claim cannot outrun its evidence. docs/controls.md must list every control too.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from mlwarden.policy.library import load_policies

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = yaml.safe_load((ROOT / "scanner" / "policy" / "fsbp_controls.yaml").read_text())
OPA = shutil.which("opa") or str(ROOT / ".tools" / "bin" / "opa")

pytestmark = pytest.mark.skipif(not Path(OPA).exists(), reason="opa not installed (.tools/bin/opa)")


def _claims() -> list[tuple[str, object]]:
    return [(c, p) for p in load_policies().policies for c in p.metadata.controls.get("AWS-FSBP", ())]


def _eval(query: str, input_doc: dict | None = None):
    cmd = [OPA, "eval", "-d", str(ROOT / "policies"), "--format", "json", query]
    if input_doc is not None:
        cmd[2:2] = ["--stdin-input"]
    out = subprocess.run(cmd, input=json.dumps(input_doc or {}), capture_output=True, text=True, check=True)
    result = json.loads(out.stdout).get("result") or []
    return result[0]["expressions"][0]["value"] if result else None


@pytest.fixture(scope="module")
def cases_by_package() -> dict:
    """`cases` of every *_test package, in one evaluation."""
    out = {}

    def walk(node, path):
        if isinstance(node, dict):
            if path and path[-1].endswith("_test") and isinstance(node.get("cases"), dict):
                out[".".join(path)] = node["cases"]
            for k, v in node.items():
                walk(v, path + [k])
    walk(_eval("data.mlwarden"), ["mlwarden"])
    return out


def _wanted(case: dict) -> int:
    """How many violations a case wants: its list of expected violations (lib/testing.rego),
    or a count in the older convention a team's own tests may still use."""
    want = case["want"]
    return len(want) if isinstance(want, list) else want


def test_every_claimed_control_is_in_the_catalogue():
    unknown = sorted({c for c, _ in _claims()} - set(CATALOGUE))
    assert not unknown, f"controls claimed but not in scanner/policy/fsbp_controls.yaml: {unknown}"


@pytest.mark.parametrize("control, policy", _claims(), ids=lambda v: v if isinstance(v, str) else v.id)
def test_claimed_control_has_a_failing_and_a_passing_case_of_its_population(control, policy, cases_by_package):
    population = set(CATALOGUE[control]["types"])
    assert population <= set(policy.metadata.resource_types), (
        f"{policy.id} claims {control} but does not judge its population {sorted(population)}")
    cases = cases_by_package.get(f"{policy.package}_test") or {}
    ours = {n: c for n, c in cases.items() if c["input"]["resource"]["type"] in population}
    failing = [n for n, c in ours.items() if _wanted(c) > 0]
    assert failing, f"{policy.id}/{control}: no failing case of {sorted(population)} in {policy.package}_test"
    passing = [n for n, c in ours.items() if _wanted(c) == 0 and (
        not policy.has_applies or _eval(f"data.{policy.package}.applies", c["input"]) is True)]
    assert passing, (f"{policy.id}/{control}: no applicable passing case of {sorted(population)} "
                     f"in {policy.package}_test")


def test_controls_doc_lists_every_sagemaker_control_and_every_claim():
    doc = (ROOT / "docs" / "controls.md").read_text()
    for control in CATALOGUE:
        if control.startswith("SageMaker."):
            assert f"| {control} |" in doc, f"docs/controls.md does not list {control}"
    for control, policy in _claims():
        row = next((line for line in doc.splitlines() if line.startswith(f"| {control} |")), "")
        assert policy.id in row, f"docs/controls.md: {control} does not name {policy.id}"
