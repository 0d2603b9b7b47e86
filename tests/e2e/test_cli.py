"""The CLI end to end, as a user runs it, against a moto server holding the demo estate.

`mlwarden scan` reaches the server only through `--endpoint-url`, over HTTP, with
the same collectors, engine and report writers a real account goes through.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from mlwarden.cli import main
from mlwarden.demo.server import fake_credentials
from mlwarden.model import Severity
from mlwarden.policy.library import load_policies

from .conftest import mlwarden_exe, subprocess_env

REGION = "eu-west-1"


def _findings(out: Path) -> dict:
    return json.loads((out / "findings.json").read_text())


def _verdicts(doc: dict) -> set[tuple]:
    return {(f["policy_id"], f["resource"].get("arn") or f["resource"]["id"], f["status"], f["message"])
            for f in doc["findings"]}


def _expected_exit(doc: dict, fail_on: str) -> int:
    rank = Severity(fail_on).rank
    return int(any(f["status"] in ("FAIL", "ERROR") and Severity(f["severity"]).rank >= rank
                   for f in doc["findings"]))


@pytest.fixture(scope="module")
def scanned(seeded_server, tmp_path_factory):
    """One `mlwarden scan` through click, shared by the checks on what it wrote."""
    server, estate = seeded_server
    out = tmp_path_factory.mktemp("scan") / "out"
    with fake_credentials():  # module scope: before the per-test environment fixture
        result = CliRunner().invoke(main, [
            "scan", "--endpoint-url", server.url, "--regions", REGION, "--out", str(out),
            "--format", "json", "--fail-on", "high"])
    return result, out, estate


def test_scan_writes_inventory_and_findings_and_fails_on_high(scanned):
    result, out, estate = scanned
    assert (out / "inventory.json").is_file() and (out / "findings.json").is_file()
    doc = _findings(out)
    statuses = {f["status"] for f in doc["findings"]}
    assert {"FAIL", "PASS"} <= statuses
    # the demo estate has high-severity failures (an unencrypted notebook, at least)
    assert _expected_exit(doc, "high") == 1
    assert result.exit_code == 1, result.output
    assert "failed" in result.output
    # the paths of what was written are printed
    assert str(out / "findings.json") in result.output
    assert str(out / "inventory.json") in result.output


def test_findings_document_has_the_documented_shape(scanned):
    _, out, estate = scanned
    doc = _findings(out)
    assert doc["schema_version"]
    scan = doc["scan"]
    for key in ("started", "finished", "tool_version", "engine", "accounts", "regions", "policy_count"):
        assert scan.get(key), key
    assert scan["accounts"] == [estate.account]
    assert scan["regions"] == [REGION]
    assert scan["engine"] == "wasm"
    assert scan["policy_count"] == len(load_policies().policies)
    assert isinstance(doc["findings"], list) and isinstance(doc["coverage"], list)
    f = doc["findings"][0]
    for key in ("policy_id", "title", "severity", "category", "status", "resource", "message"):
        assert key in f


def test_scan_sees_the_seeded_estate(scanned):
    _, out, estate = scanned
    inv = json.loads((out / "inventory.json").read_text())
    ids = {(r["type"], r["id"]) for r in inv["resources"]}
    for nb in estate.notebooks:
        assert ("AWS::SageMaker::NotebookInstance", nb) in ids
    for bucket in estate.buckets.values():
        assert ("AWS::S3::Bucket", bucket) in ids
    # the unencrypted notebook fails the KMS policy, the encrypted one passes
    verdicts = {f["resource"]["id"]: f["status"] for f in _findings(out)["findings"]
                if f["policy_id"] == "MLW-ENC-001"}
    assert verdicts["llm-playground"] == "FAIL"
    assert verdicts["fraud-research"] == "PASS"
    # everything the demo needs is readable: no coverage gap on the full estate
    assert inv["coverage"] == []
    assert len(inv["resources"]) >= 40
    # the estate has something of every type the scanner collects
    from mlwarden.collectors.base import registry
    assert set(registry()) <= {r["type"] for r in inv["resources"]}
    jobs = {r["id"]: r["properties"].get("TrainingJobStatus") for r in inv["resources"]
            if r["type"] == "MLW::SageMaker::TrainingJob"}
    assert jobs["churn-lgbm-2026-11-25"] == "Failed" and jobs["fraud-xgb-2026-11-20"] == "Completed"


def test_every_relation_the_scan_recorded_is_declared_by_its_type(scanned):
    # The targeted scan and remediation follow relations by the descriptors' declarations
    # (mlwarden.type_registry.relation_types): one a collector emits undeclared is not followed.
    from mlwarden.type_registry import resource_types
    _, out, _ = scanned
    declared = {t: {r.name for r in d.relations} for t, d in resource_types().items()}
    inv = json.loads((out / "inventory.json").read_text())
    undeclared = sorted({(r["type"], name) for r in inv["resources"] for name in r.get("relations") or {}
                         if name not in declared.get(r["type"], set())})
    assert undeclared == []


def test_a_scan_of_the_workload_account_alone_names_the_registry_account_it_did_not_read(scanned):
    """fraud-central-prod serves a package of the demo's central registry account, which
    this scan (one account) did not read: its lineage rules are NOT_ASSESSED, saying so."""
    _, out, estate = scanned
    central = {f["policy_id"]: f for f in _findings(out)["findings"]
               if f["resource"]["id"] == "fraud-central-prod" and f["policy_id"] in ("MLW-REG-003", "MLW-REG-004")}
    assert set(central) == {"MLW-REG-003", "MLW-REG-004"}
    package = estate.registry_packages["approved_central"]
    for f in central.values():
        assert f["status"] == "NOT_ASSESSED", f
        assert f"it serves model package {package}, in account {estate.registry_account}, " \
               "which this scan did not read" in f["message"]


def _verdict_of(doc: dict, policy_id: str) -> dict[str, tuple[str, str]]:
    return {f["resource"]["id"]: (f["status"], f["message"]) for f in doc["findings"]
            if f["policy_id"] == policy_id}


def test_demo_pipelines_gate_registration_or_fail(scanned):
    """The fraud pipeline checks model quality before it registers; the churn pipeline
    registers straight into Approved and fails, naming the step."""
    _, out, _ = scanned
    gate = _verdict_of(_findings(out), "MLW-REG-008")
    assert gate["fraud-retrain-weekly"][0] == "PASS"
    status, message = gate["churn-retrain-adhoc"]
    assert status == "FAIL"
    assert "step Register (RegisterModel) registers models as Approved with no quality check" in message


def test_demo_packages_move_through_lifecycle_stages(scanned):
    """Packages in DEV, QA and PROD pass; an undefined stage and a missing one fail; a
    PROD promotion without a reason fails; the production endpoint serving the PROD
    package passes and the one serving an unregistered model fails."""
    _, out, estate = scanned
    doc = _findings(out)
    inv = json.loads((out / "inventory.json").read_text())
    stages = {r["id"]: (r["properties"].get("ModelLifeCycle") or {}).get("Stage") for r in inv["resources"]
              if r["type"] == "AWS::SageMaker::ModelPackage"}
    signed, unsigned = estate.model_packages["approved_signed"], estate.model_packages["approved_unsigned"]
    tampered, pending = estate.model_packages["approved_tampered"], estate.model_packages["pending"]
    assert (stages[signed], stages[unsigned], stages[pending]) == ("PROD", "QA", "DEV")

    stage = _verdict_of(doc, "MLW-REG-009")
    assert {stage[a][0] for a in (signed, unsigned, tampered, pending)} == {"PASS"}
    failing = sorted(message.split(" is in ")[-1].split(" has ")[-1]
                     for status, message in stage.values() if status == "FAIL")
    assert failing == ["lifecycle stage Staging, not one of DEV, QA, PROD",
                       "no lifecycle stage (ModelLifeCycle.Stage)",
                       "no lifecycle stage (ModelLifeCycle.Stage)"]

    recorded = _verdict_of(doc, "MLW-REG-010")
    assert recorded[signed][0] == "PASS"
    assert recorded[tampered] == ("FAIL", f"model package {tampered} is in stage PROD without a description "
                                          "(ModelLifeCycle.StageDescription)")

    serving = _verdict_of(doc, "MLW-REG-011")
    assert serving["fraud-scoring-prod"][0] == "PASS"
    assert serving["churn-scoring-prod"][0] == "FAIL"
    assert "serves model churn-lgbm-v1, which comes from no registered model package" in serving["churn-scoring-prod"][1]


def test_demo_large_models_start_with_fitting_timeouts(scanned):
    """Both served artefacts are over 50 GB as S3 reports them; the fraud endpoint sets
    its start-up timeouts, the churn endpoint does not."""
    _, out, _ = scanned
    inv = json.loads((out / "inventory.json").read_text())
    sizes = {r["id"]: r["facts"]["variant_artifacts"]["primary"]["bytes"] for r in inv["resources"]
             if r["type"] == "AWS::SageMaker::Endpoint" and r["id"] in ("fraud-scoring-prod", "churn-scoring-prod")}
    assert sizes == {"fraud-scoring-prod": 62_000_000_000, "churn-scoring-prod": 55_000_000_000}
    cold = _verdict_of(_findings(out), "MLW-MON-011")
    assert cold["fraud-scoring-prod"][0] == "PASS"
    assert cold["churn-scoring-prod"] == ("FAIL", (
        "endpoint churn-scoring-prod variant primary serves 55 GB of model data (model churn-lgbm-v1) without "
        "ContainerStartupHealthCheckTimeoutInSeconds; endpoint churn-scoring-prod variant primary serves 55 GB "
        "of model data (model churn-lgbm-v1) without ModelDataDownloadTimeoutInSeconds"))


def test_demo_inference_component_is_judged_on_its_startup_parameters(scanned):
    """assistant-shared hosts its 80 GB model as an inference component, whose
    StartupParameters fit it: MLW-MON-011 judges the component and passes. Its lineage
    follows the component: a container of its own, so a model from no package (the
    registry rules judge production endpoints; this one is a development endpoint)."""
    _, out, _ = scanned
    inv = json.loads((out / "inventory.json").read_text())
    [ep] = [r for r in inv["resources"] if r["type"] == "AWS::SageMaker::Endpoint" and r["id"] == "assistant-shared"]
    assert ep["facts"]["variant_artifacts"] == {"shared/assistant-llm": {
        "InferenceComponent": "assistant-llm", "bytes": 80_000_000_000,
        "ModelDataDownloadTimeoutInSeconds": 3600, "ContainerStartupHealthCheckTimeoutInSeconds": 1800}}
    assert _verdict_of(_findings(out), "MLW-MON-011")["assistant-shared"][0] == "PASS"
    assert ep["facets"]["lineage"] == {"read": True}
    assert ep["facts"]["model_packages"] == []
    assert ep["facts"]["unregistered_models"] == ["assistant-llm (inference component with its own container artefact)"]


def test_demo_drift_alarms_start_retraining_or_alert_nobody(scanned):
    """fraud-scoring-prod's drift alarm notifies its team and an EventBridge rule on it starts
    the retraining pipeline; fraud-central-prod's alarm has no actions and a lax threshold;
    churn-scoring-prod measures no drift at all."""
    _, out, _ = scanned
    inv = json.loads((out / "inventory.json").read_text())
    [fraud] = [r for r in inv["resources"] if r["type"] == "AWS::SageMaker::Endpoint" and r["id"] == "fraud-scoring-prod"]
    dq = next(s for s in fraud["facts"]["drift_response"]["schedules"] if s["kind"] == "DataQuality")
    assert dq["acts"] == ["notification", "retraining"]
    assert {a["via"] for a in dq["alarms"][0]["actions"]} == {"alarm action", "rule fraud-drift-retrain"}
    doc = _findings(out)
    acts, threshold = _verdict_of(doc, "MLW-MON-012"), _verdict_of(doc, "MLW-MON-013")
    assert acts["fraud-scoring-prod"][0] == "PASS" and threshold["fraud-scoring-prod"][0] == "PASS"
    assert acts["fraud-central-prod"] == ("FAIL", (
        "production endpoint fraud-central-prod: drift triggers nothing (alarm(s) fraud-central-feature-drift on "
        "schedule fraud-central-data-quality start no retraining, notification or automation)"))
    assert threshold["fraud-central-prod"][0] == "FAIL" and "distance of 30 %" in threshold["fraud-central-prod"][1]
    baseline = _verdict_of(doc, "MLW-MON-015")
    assert baseline["fraud-scoring-prod"][0] == "PASS"
    assert baseline["fraud-central-prod"][0] == "FAIL" and "30 % (comparison_threshold)" in baseline["fraud-central-prod"][1]
    assert acts["churn-scoring-prod"] == ("FAIL", (
        "production endpoint churn-scoring-prod has no data-quality or model-quality monitoring schedule: "
        "drift is not measured"))


def test_fail_on_threshold_sets_the_exit_code(seeded_server, tmp_path):
    server, _ = seeded_server
    out = tmp_path / "out"
    result = CliRunner().invoke(main, [
        "scan", "--endpoint-url", server.url, "--regions", REGION, "--out", str(out),
        "--format", "json", "--fail-on", "critical"])
    assert result.exit_code == _expected_exit(_findings(out), "critical"), result.output


def test_offline_evaluate_gives_the_same_findings(scanned, tmp_path):
    _, out, _ = scanned
    again = tmp_path / "again"
    result = CliRunner().invoke(main, [
        "evaluate", str(out / "inventory.json"), "--out", str(again), "--format", "json",
        "--fail-on", "high"])
    assert result.exit_code == 1, result.output
    assert _verdicts(_findings(again)) == _verdicts(_findings(out))


def test_scan_as_a_subprocess_of_the_installed_command(seeded_server, tmp_path):
    server, _ = seeded_server
    proc = subprocess.run(
        [mlwarden_exe(), "scan", "--endpoint-url", server.url, "--regions", REGION,
         "--out", "out", "--format", "json", "--fail-on", "high"],
        cwd=tmp_path, env=subprocess_env(), capture_output=True, text=True, timeout=300)
    out = tmp_path / "out"
    assert proc.returncode == 1, proc.stderr
    assert (out / "inventory.json").is_file()
    doc = _findings(out)
    assert {"FAIL", "PASS"} <= {f["status"] for f in doc["findings"]}
    assert "out/findings.json" in proc.stdout


def test_demo_end_to_end(tmp_path):
    """`mlwarden demo` starts its own server, seeds, scans, writes reports, stops."""
    proc = subprocess.run(
        [mlwarden_exe(), "demo", "--out", "out/demo", "--format", "json,html"],
        cwd=tmp_path, env=subprocess_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out" / "demo"
    lines = [ln.split() for ln in proc.stdout.strip().splitlines()]
    printed_paths = [ln[-1] for ln in lines if ln and ln[-1].startswith("out/demo/")]
    for name in ("inventory.json", "findings.json", "report.html"):
        assert f"out/demo/{name}" in printed_paths, proc.stdout
    # the output ends with the report paths
    assert lines[-1][-1].startswith("out/demo/")
    for p in printed_paths:
        assert (tmp_path / p).is_file()
    assert (out / "inventory.json").is_file()

    doc = _findings(out)
    statuses = {f["status"] for f in doc["findings"]}
    assert {"FAIL", "PASS"} <= statuses
    assert doc["coverage"] == []
    # Every category of the shipped policies has at least one failure in the demo,
    # so the report shows each kind of problem (tightens as policies are added).
    shipped = {p.metadata.category for p in load_policies().policies}
    failing = {f["category"] for f in doc["findings"] if f["status"] == "FAIL"}
    assert shipped <= failing, f"no FAIL in: {sorted(shipped - failing)}"
    inv = json.loads((out / "inventory.json").read_text())
    assert len(inv["resources"]) >= 40
    # Two accounts, read as an organisation scan reads them: the workload account's
    # fraud-central-prod is judged on the central registry's package as it is there
    # (Approved, not signed), not "could not determine".
    from mlwarden.demo.registry_account import REGISTRY_ACCOUNT
    assert doc["scan"]["accounts"] == ["123456789012", REGISTRY_ACCOUNT]
    central = {f["policy_id"]: (f["status"], f["message"]) for f in doc["findings"]
               if f["resource"]["id"] == "fraud-central-prod"}
    package = f"arn:aws:sagemaker:{REGION}:{REGISTRY_ACCOUNT}:model-package/fraud-central/1"
    assert central["MLW-REG-003"][0] == "PASS"
    assert central["MLW-REG-004"] == (
        "FAIL", f"production endpoint fraud-central-prod serves model package {package}, which is not signed")
    assert "fraud-central-prod" in proc.stdout   # among the failing policies' first resources
