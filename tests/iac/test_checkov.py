"""checkov beside our policies: one finding where both judge the same thing, its own elsewhere."""
from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.api import EvalOptions
from mlwarden.errors import InputError
from mlwarden.iac import checkov as checkov_mod
from mlwarden.iac.scan import CHECKOV_AUTO, CHECKOV_ON, IacOptions, scan_iac
from mlwarden.model import Status

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "iac"

CHECKOV = checkov_mod.find_checkov()
needs_checkov = pytest.mark.skipif(
    CHECKOV is None, reason="checkov not installed: run scripts/bootstrap.sh checkov (.tools/checkov-venv)")


@needs_checkov
def test_checkov_results_merge_into_our_findings():
    stack = FIX / "ml_stack.yaml"
    result = scan_iac(IacOptions(paths=(stack,), checkov=CHECKOV_ON), EvalOptions())
    assert result.checkov["status"] == "ran" and result.checkov["results"] > 0
    findings = result.findings.findings
    # CKV_AWS_187 and MLW-ENC-001 judge the same KmsKeyId: one finding, ours, naming both
    plain = [f for f in findings if f.resource["id"] == "PlainNotebook"]
    assert not [f for f in plain if f.policy_id == "CKV_AWS_187"]
    ours = next(f for f in plain if f.policy_id == "MLW-ENC-001")
    assert ours.status == Status.FAIL and "checkov CKV_AWS_187" in ours.title
    assert ours.evidence["related_checks"][0]["id"] == "CKV_AWS_187"
    # checkov reads `!If [IsDev, !Ref Key, !Ref AWS::NoValue]` as a key being set; with the
    # default Environment=prod there is none. The one finding keeps our verdict and says so.
    assert ours.evidence["related_checks"][0]["result"] == "PASSED"
    assert ours.message.endswith("; checkov CKV_AWS_187 disagrees: PASSED")
    sealed = next(f for f in findings if f.resource["id"] == "SealedNotebook" and f.policy_id == "MLW-ENC-001")
    assert sealed.status == Status.PASS and sealed.evidence["related_checks"][0]["result"] == "PASSED"
    # a check we have no equivalent for stays a finding of its own, at checkov's line
    imds = next(f for f in plain if f.policy_id == "CKV_AWS_371")
    assert imds.status == Status.FAIL and imds.severity.value == "medium"
    assert imds.resource["source"]["file"] == str(stack) and imds.resource["source"]["line"] == 53
    # checkov ignores Conditions; the dev-only notebook is not deployed, so its verdicts go
    assert not [f for f in findings if f.resource["id"] == "DevOnlyNotebook"]


def test_missing_checkov_is_an_error_only_when_asked_for(monkeypatch, tmp_path):
    monkeypatch.setenv("MLWARDEN_CHECKOV", str(tmp_path / "no-such-checkov"))
    with pytest.raises(InputError, match="--checkov: checkov is not installed"):
        scan_iac(IacOptions(paths=(FIX / "ml_stack.yaml",), checkov=CHECKOV_ON), EvalOptions())
    result = scan_iac(IacOptions(paths=(FIX / "ml_stack.yaml",), checkov=CHECKOV_AUTO), EvalOptions())
    assert result.checkov == {"status": "not installed"}
    assert result.findings.scan["checkov"] == {"status": "not installed"}
