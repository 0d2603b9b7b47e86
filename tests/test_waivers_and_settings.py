"""Waivers hide a failure until they expire; settings merge over the defaults."""
from __future__ import annotations

import datetime as dt
import json

from click.testing import CliRunner

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.cli import main
from mlwarden.inventory import Inventory
from mlwarden.model import Resource, Status


def _inventory() -> Inventory:
    def nb(name):
        return Resource(type="AWS::SageMaker::NotebookInstance", id=name,
                        arn=f"arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/{name}",
                        account="111122223333", region="eu-west-1",
                        properties={"DirectInternetAccess": "Disabled", "RootAccess": "Disabled"})
    return Inventory(resources=[nb("legacy-nb"), nb("other-nb")], accounts=["111122223333"],
                     regions=["eu-west-1"])


def _waivers(tmp_path, expires: str):
    path = tmp_path / "waivers.yaml"
    path.write_text(f"""\
waivers:
  - policy_id: MLW-ENC-001
    resource: "arn:aws:sagemaker:*:*:notebook-instance/legacy-*"
    reason: decommissioned in Q1, data is synthetic
    owner: ml-platform@example.com
    expires: {expires}
  - policy_id: MLW-NET-001
    resource: arn:aws:sagemaker:eu-west-1:111122223333:notebook-instance/gone
    reason: stale entry
    owner: someone@example.com
    expires: 2030-01-01
""")
    return path


def _verdict(doc, policy, rid):
    return next(f for f in doc.findings if f.policy_id == policy and f.resource["id"] == rid)


def test_active_waiver_hides_the_failure_with_its_reason(tmp_path):
    opts = EvalOptions(waivers_file=_waivers(tmp_path, "2027-03-31"), workers=1, today=dt.date(2027, 3, 31))
    doc = evaluate_inventory(_inventory(), opts)
    waived = _verdict(doc, "MLW-ENC-001", "legacy-nb")
    assert waived.status == Status.WAIVED
    assert waived.waiver["reason"].startswith("decommissioned") and waived.waiver["expired"] is False
    assert _verdict(doc, "MLW-ENC-001", "other-nb").status == Status.FAIL
    unused = [w for w in doc.waivers if w["unused"]]
    assert [w["policy_id"] for w in unused] == ["MLW-NET-001"]


def test_expired_waiver_resurfaces_the_failure(tmp_path):
    opts = EvalOptions(waivers_file=_waivers(tmp_path, "2027-03-31"), workers=1, today=dt.date(2027, 4, 1))
    doc = evaluate_inventory(_inventory(), opts)
    back = _verdict(doc, "MLW-ENC-001", "legacy-nb")
    assert back.status == Status.FAIL
    assert back.waiver["expired"] is True  # the report can say which waiver lapsed


def test_settings_show_merges_over_defaults(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text("required_tags: [owner, team]\nquota_headroom_percent: 90\n")
    out = CliRunner().invoke(main, ["settings", "show", "--settings", str(path)])
    assert out.exit_code == 0, out.output
    assert "- team" in out.output and "quota_headroom_percent: 90" in out.output
    assert "stale_pending_days" in out.output  # defaults still present


def test_required_tags_from_settings_reach_the_policies(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text("required_tags: [team]\n")
    inv = _inventory()
    inv.resources[0].tags = {"team": "fraud"}
    doc = evaluate_inventory(inv, EvalOptions(settings_file=path, workers=1))
    assert _verdict(doc, "MLW-TAG-001", "legacy-nb").status == Status.PASS
    assert "team" in _verdict(doc, "MLW-TAG-001", "other-nb").message


def test_evaluate_command_applies_waivers(tmp_path):
    inv_path = tmp_path / "inventory.json"
    _inventory().save(inv_path)
    out = CliRunner().invoke(main, ["evaluate", str(inv_path), "--waivers", str(_waivers(tmp_path, "2999-01-01")),
                                    "--out", str(tmp_path / "out"), "--format", "json", "--workers", "1"])
    assert out.exit_code == 1, out.output  # other failures remain
    doc = json.loads((tmp_path / "out" / "findings.json").read_text())
    assert any(f["status"] == "WAIVED" and f["resource"]["id"] == "legacy-nb" for f in doc["findings"])
