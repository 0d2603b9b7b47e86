"""Secrets seeded in every place AWS lets a SageMaker estate hold one appear in no
output file of a scan, in any format; `--no-redact` shows them and every format says so.

The estate lives on a moto server on 127.0.0.1; the scan is the installed `mlwarden`
command reaching it through --endpoint-url, as a user runs it."""
from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import boto3
import pytest

from .conftest import mlwarden_exe, subprocess_env

REGION = "eu-west-1"
ROLE = "arn:aws:iam::123456789012:role/sm-exec"
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/train:1"

# One distinct value per place, so a hit names the place that leaked.
SECRETS = {
    "training_env": "hunter2-TRAINENV-7f3a",
    "training_hp": "hunter2-HYPER-91bc",
    "processing_env": "hunter2-PROCENV-22d0",
    "model_env": "hunter2-MODELENV-5e61",
    "pipeline_default": "hunter2-PIPEDEFAULT-0c4d",
    "pipeline_step_env": "hunter2-STEPENV-b8e2",
    "lifecycle": "hunter2-LIFECYCLE-4a9f",
    "aws_key": "AKIAZ7SECRETSEEDED42",
}
SCRIPT = (f"#!/bin/bash\nexport DB_PASSWORD={SECRETS['lifecycle']}\n"
          f"export AWS_ACCESS_KEY_ID={SECRETS['aws_key']}\nsudo -u ec2-user jupyter lab\n")


def _seed(url: str) -> None:
    sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=url)
    sm.create_training_job(
        TrainingJobName="train-secret", RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        HyperParameters={"epochs": "3", "db_password": SECRETS["training_hp"]},
        Environment={"DB_PASSWORD": SECRETS["training_env"]},
        OutputDataConfig={"S3OutputPath": "s3://out/train/"},
        ResourceConfig={"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 3600})
    sm.create_processing_job(
        ProcessingJobName="process-secret", RoleArn=ROLE,
        AppSpecification={"ImageUri": IMAGE},
        Environment={"API_TOKEN": SECRETS["processing_env"]},
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                               "VolumeSizeInGB": 10}},
        StoppingCondition={"MaxRuntimeInSeconds": 3600})
    sm.create_model(ModelName="model-secret", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": IMAGE, "Environment": {"SECRET_KEY": SECRETS["model_env"]}})
    definition = {
        "Version": "2020-12-01",
        "Parameters": [{"Name": "DbPassword", "Type": "String", "DefaultValue": SECRETS["pipeline_default"]}],
        "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {
            "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
            "RoleArn": ROLE,
            "Environment": {"DB_PASSWORD": {"Get": "Parameters.DbPassword"},
                            "STEP_TOKEN": SECRETS["pipeline_step_env"]},
            "OutputDataConfig": {"S3OutputPath": "s3://out/pipe/"},
            "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 10},
            "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}],
    }
    sm.create_pipeline(PipelineName="pipe-secret", PipelineDefinition=json.dumps(definition), RoleArn=ROLE)
    sm.create_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName="start-secret",
        OnStart=[{"Content": base64.b64encode(SCRIPT.encode()).decode()}])
    sm.create_notebook_instance(NotebookInstanceName="nb-secret", InstanceType="ml.t3.medium", RoleArn=ROLE,
                                LifecycleConfigName="start-secret")


def _pdf_available() -> str | None:
    """None when a PDF can be rendered and read here, else why not."""
    from mlwarden.reports.pdf import chromium_path
    try:
        import playwright  # noqa: F401
        import pypdf  # noqa: F401
    except ImportError as exc:
        return f"PDF not checked: {exc.name} is not installed"
    if not chromium_path():
        return "PDF not checked: no chromium to render it"
    return None


FORMATS = "json,html,sarif,junit,csv,asff"


@pytest.fixture(scope="module")
def scans(tmp_path_factory):
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.server import MotoServer, fake_credentials

    moto_extensions.install()
    server = MotoServer().start()
    try:
        server.reset()
        with fake_credentials():
            _seed(server.url)
        pdf_skip = _pdf_available()
        formats = FORMATS + ("" if pdf_skip else ",pdf")
        env = subprocess_env()
        out = {}
        for name, extra in (("redacted", []), ("plain", ["--no-redact"])):
            out_dir = tmp_path_factory.mktemp(name)
            proc = subprocess.run(
                [mlwarden_exe(), "scan", "--endpoint-url", server.url, "--regions", REGION,
                 "--out", str(out_dir), "--format", formats, *extra],
                env=env, capture_output=True, text=True, timeout=600)
            assert proc.returncode in (0, 1), proc.stderr
            out[name] = out_dir
        yield out, pdf_skip
    finally:
        server.stop()


def _texts(out_dir: Path) -> dict[str, str]:
    """Every file the scan wrote, as text (the PDF through its extracted text)."""
    texts = {}
    for f in sorted(p for p in out_dir.rglob("*") if p.is_file()):
        if f.suffix == ".pdf":
            from pypdf import PdfReader
            texts[f.name] = "\n".join(page.extract_text() or "" for page in PdfReader(f).pages)
            texts[f.name + " (bytes)"] = f.read_bytes().decode("latin-1")
        else:
            texts[f.name] = f.read_text(encoding="utf-8-sig", errors="replace")
    return texts


def _hits(texts: dict[str, str]) -> list[tuple[str, str]]:
    encoded = base64.b64encode(SCRIPT.encode()).decode()
    needles = {**SECRETS, "lifecycle_script_base64": encoded}
    return [(file, place) for file, text in texts.items() for place, value in needles.items() if value in text]


def test_no_seeded_secret_in_any_output_file(scans):
    out, _ = scans
    texts = _texts(out["redacted"])
    assert {"inventory.json", "findings.json", "report.html", "findings.sarif", "junit.xml", "findings.csv",
            "findings.asff.json"} <= set(texts)
    assert _hits(texts) == []


def test_no_seeded_secret_in_the_pdf(scans):
    out, pdf_skip = scans
    if pdf_skip:
        pytest.skip(pdf_skip)
    texts = _texts(out["redacted"])
    assert "report.pdf" in texts and "mlwarden" in texts["report.pdf"]   # the text was extracted
    assert _hits({k: v for k, v in texts.items() if "pdf" in k}) == []


def test_the_inventory_keeps_names_markers_and_detector_verdicts(scans):
    out, _ = scans
    inv = json.loads((out["redacted"] / "inventory.json").read_text())
    assert inv["redaction"]["enabled"] is True and inv["redaction"]["key_scope"] == "installation"
    by_id = {r["id"]: r for r in inv["resources"]}
    env = by_id["train-secret"]["properties"]["Environment"]
    assert set(env) == {"DB_PASSWORD"} and env["DB_PASSWORD"].startswith("[redacted:")
    assert {"path": "properties.Environment.DB_PASSWORD", "detector": "Secret Keyword"} in \
        by_id["train-secret"]["facts"]["secret_findings"]
    nb = by_id["nb-secret"]
    assert nb["properties"]["LifecycleConfig"]["OnStart"][0]["Content"].startswith("[redacted:")
    detectors = {(f["line"], f["detector"]) for f in nb["facts"]["secret_findings"]}
    assert {(2, "Secret Keyword"), (3, "AWS Access Key")} <= detectors
    # The same value gets the same marker in every scan with this installation's key.
    plain = json.loads((out["plain"] / "inventory.json").read_text())
    assert {r["id"]: r for r in plain["resources"]}["train-secret"]["facts"]["secret_findings"] == \
        by_id["train-secret"]["facts"]["secret_findings"]


def test_no_redact_shows_the_secrets_and_every_format_says_so(scans):
    out, _ = scans
    texts = _texts(out["plain"])
    leaked = {place for _, place in _hits(texts)}
    assert {"training_env", "model_env", "pipeline_default", "lifecycle_script_base64"} <= leaked
    findings = json.loads(texts["findings.json"])
    assert findings["scan"]["redaction"]["enabled"] is False
    notice = "NOT REDACTED (--no-redact)"
    for name in ("report.html", "findings.sarif", "junit.xml", "findings.csv"):
        assert notice in texts[name], name
    asff = json.loads(texts["findings.asff.json"])
    assert asff and all(f["ProductFields"]["mlwarden/redaction"] == "disabled (--no-redact)" for f in asff)
    assert "redaction" not in json.dumps(json.loads(_texts(out["redacted"])["findings.asff.json"]))


def test_the_lifecycle_finding_names_hook_lines_and_kinds_only(scans):
    """MLW-IAM-009 fails the configuration, saying which hook and what kind of secret
    on which line; the value is in no output (test_no_seeded_secret_in_any_output_file)."""
    out, _ = scans
    findings = json.loads((out["redacted"] / "findings.json").read_text())["findings"]
    got = [f for f in findings if f["policy_id"] == "MLW-IAM-009" and f["resource"]["id"] == "start-secret"]
    assert [(f["status"], f["message"]) for f in got] == [(
        "FAIL", "notebook lifecycle configuration start-secret has hard-coded secrets in its OnStart script: "
                "Secret Keyword (line 2), AWS Access Key (line 3)")]
    assert got[0]["violations"][0]["path"] == ["properties", "OnStart", 0, "Content"]
