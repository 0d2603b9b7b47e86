"""The AWS defaults the descriptors declare (`ResourceType.defaults`) are what both sources apply.

For every entry of every descriptor: a describe answer without the field, run through the live collector's
normaliser, and a template (or pipeline step) without it, run through the IaC loader,
both carry the table's value at the entry's path. A second test reads the collectors,
the IaC normaliser, the runbooks (all of scanner/ and remediations/) and fails when one of them writes a default the
table holds as a literal again, which is how the three copies drifted before.
"""
from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from mlwarden.aws_defaults import AwsDefault
from mlwarden.collectors import sagemaker_domains, sagemaker_endpoints, sagemaker_jobs, sagemaker_models, \
    sagemaker_notebooks
from mlwarden.collectors.base import Scope
from mlwarden.iac.loader import load
from mlwarden.iac.relations import values_at   # every value at a table path (`Name[]` walks a list)
from mlwarden.type_registry import resource_types

NOTEBOOK, MODEL, DOMAIN = sagemaker_notebooks.NOTEBOOK, sagemaker_models.MODEL_TYPE, sagemaker_domains.DOMAIN_TYPE
ENDPOINT_CONFIG = sagemaker_endpoints.ENDPOINT_CONFIG_TYPE
TRAINING_JOB, PROCESSING_JOB = sagemaker_jobs.TRAINING_TYPE, sagemaker_jobs.PROCESSING_TYPE
KMS_KEY = "AWS::KMS::Key"
# (type, default) for every default any descriptor declares.
DEFAULTS = [(t, d) for t, desc in resource_types().items() for d in desc.defaults]

REPO = Path(__file__).resolve().parents[1]
ROLE = "arn:aws:iam::123456789012:role/ml"
SCOPE = Scope(aws=None, account="123456789012", region="eu-west-1")   # these normalisers read no AWS


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:eu-west-1:123456789012:{kind}/{name}"


# Describe answers as AWS may give them, without any field the table fills.
LIVE = {
    NOTEBOOK: (sagemaker_notebooks.normalise, {
        "NotebookInstanceName": "nb", "NotebookInstanceArn": _arn("notebook-instance", "nb"),
        "InstanceType": "ml.t3.medium", "RoleArn": ROLE}),
    MODEL: (sagemaker_models.normalise, {
        "ModelName": "m", "ModelArn": _arn("model", "m"), "ExecutionRoleArn": ROLE,
        "PrimaryContainer": {"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1"}}),
    ENDPOINT_CONFIG: (sagemaker_endpoints.normalise_config, {
        "EndpointConfigName": "ec", "EndpointConfigArn": _arn("endpoint-config", "ec"),
        "ProductionVariants": [{"VariantName": "a", "ModelName": "m", "InstanceType": "ml.m5.large",
                                "InitialInstanceCount": 1}],
        "ShadowProductionVariants": [{"VariantName": "s", "ModelName": "m", "InstanceType": "ml.m5.large",
                                      "InitialInstanceCount": 1}],
        "DataCaptureConfig": {"InitialSamplingPercentage": 10, "DestinationS3Uri": "s3://ml-data/capture",
                              "CaptureOptions": [{"CaptureMode": "Input"}]}}),
    DOMAIN: (sagemaker_domains.normalise, {
        "DomainId": "d-1", "DomainArn": _arn("domain", "d-1"), "DomainName": "studio", "AuthMode": "IAM",
        "DefaultUserSettings": {"ExecutionRole": ROLE}, "SubnetIds": ["subnet-1"], "VpcId": "vpc-1"}),
    TRAINING_JOB: (sagemaker_jobs.normalise_training, {
        "TrainingJobName": "t", "TrainingJobArn": _arn("training-job", "t"), "RoleArn": ROLE,
        "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"}}),
    PROCESSING_JOB: (sagemaker_jobs.normalise_processing, {
        "ProcessingJobName": "p", "ProcessingJobArn": _arn("processing-job", "p"), "RoleArn": ROLE,
        "AppSpecification": {"ImageUri": "img"}}),
}

# The same resources in a template; jobs come from a pipeline definition's steps.
TEMPLATE = {"Resources": {
    "Notebook": {"Type": NOTEBOOK, "Properties": {"InstanceType": "ml.t3.medium", "RoleArn": ROLE}},
    "Model": {"Type": MODEL, "Properties": {"ExecutionRoleArn": ROLE, "PrimaryContainer": {"Image": "img"}}},
    "Config": {"Type": ENDPOINT_CONFIG, "Properties": {k: v for k, v in LIVE[ENDPOINT_CONFIG][1].items()
                                                       if k != "EndpointConfigArn"}},
    "Domain": {"Type": DOMAIN, "Properties": {k: v for k, v in LIVE[DOMAIN][1].items()
                                              if k not in ("DomainId", "DomainArn")}},
    "Key": {"Type": KMS_KEY, "Properties": {"Description": "ml"}},
}}
PIPELINE = {"Version": "2020-12-01", "Steps": [
    {"Name": "Train", "Type": "Training", "Arguments": {
        "RoleArn": ROLE, "AlgorithmSpecification": {"TrainingImage": "img", "TrainingInputMode": "File"}}},
    {"Name": "Prepare", "Type": "Processing", "Arguments": {"RoleArn": ROLE, "AppSpecification": {"ImageUri": "img"}}},
]}


@pytest.fixture(scope="module")
def iac_documents(tmp_path_factory) -> dict[str, dict]:
    d = tmp_path_factory.mktemp("iac")
    (d / "stack.json").write_text(json.dumps(TEMPLATE))
    (d / "pipeline.json").write_text(json.dumps(PIPELINE))
    loaded = load([d / "stack.json", d / "pipeline.json"], account="123456789012", region="eu-west-1")
    assert not loaded.errors
    return {r.type: r.properties for r in loaded.resources}


def _id(pair: tuple[str, AwsDefault]) -> str:
    return f"{pair[0].rsplit('::', 1)[-1]}.{pair[1].path}"


@pytest.mark.parametrize("pair", DEFAULTS, ids=_id)
def test_an_omitted_field_gets_the_tables_value_live_and_in_iac(pair: tuple[str, AwsDefault], iac_documents):
    resource_type, entry = pair
    if entry.live:
        normalise, answer = LIVE[resource_type]
        assert all(v is None for v in values_at(answer, entry.path)), "the answer must leave the field out"
        live = values_at(normalise(answer, SCOPE).properties, entry.path)
        assert live and all(v == entry.value for v in live), f"live document: {live}"
    iac = values_at(iac_documents[resource_type], entry.path)
    assert iac and all(v == entry.value for v in iac), f"IaC document: {iac}"


def test_a_value_that_is_set_is_kept_live_and_in_iac(tmp_path):
    normalise, answer = LIVE[NOTEBOOK]
    assert normalise(answer | {"RootAccess": "Disabled"}, SCOPE).properties["RootAccess"] == "Disabled"
    normalise, answer = LIVE[PROCESSING_JOB]
    network = normalise(answer | {"NetworkConfig": {"EnableNetworkIsolation": True}}, SCOPE).properties["NetworkConfig"]
    assert network == {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": False}
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"Key": {"Type": KMS_KEY, "Properties": {
        "KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY", "Enabled": False}}}}))
    key = load([tmp_path / "t.json"]).resources[0].properties
    assert (key["KeySpec"], key["KeyUsage"], key["Enabled"], key["KeyState"]) == (
        "ECC_NIST_P256", "SIGN_VERIFY", False, "Disabled")


# --- no second copy of a default --------------------------------------------------------

# Everything that builds or reads resource documents; not the demo's AWS stand-in, which
# answers as AWS does and so applies the defaults itself.
FILLERS = [p for p in sorted([*(REPO / "scanner").rglob("*.py"), *(REPO / "remediations").rglob("*.py")])
           if "demo" not in p.relative_to(REPO).parts]
TABLE = {(d.path.rsplit(".", 1)[-1], json.dumps(d.value)) for _, d in DEFAULTS}


def _literal(node: ast.AST) -> str | None:
    try:
        return json.dumps(ast.literal_eval(node))
    except (ValueError, TypeError, SyntaxError):
        return None


def _field(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def hard_coded_defaults(source: str) -> list[tuple[int, str]]:
    """`x.get(F, V)`, `x.setdefault(F, V)`, `x.get(F) or V` and `x[F] = V` for a (field, value) of the table."""
    found = []
    for node in ast.walk(ast.parse(source)):
        pair = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                node.func.attr in ("get", "setdefault") and len(node.args) == 2:
            pair = (_field(node.args[0]), _literal(node.args[1]))
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
            left = node.values[0]
            if isinstance(left, ast.Call) and isinstance(left.func, ast.Attribute) and left.func.attr == "get" \
                    and left.args:
                pair = (_field(left.args[0]), _literal(node.values[1]))
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Subscript):
            pair = (_field(node.targets[0].slice), _literal(node.value))
        if pair in TABLE:
            found.append((node.lineno, f"{pair[0]} = {pair[1]}"))
    return sorted(found)


def test_the_detector_finds_each_way_of_writing_a_default():
    src = ('a = d.get("RootAccess") or "Enabled"\nb = d.get("InitialVariantWeight", 1.0)\n'
           'c.setdefault("EnableCapture", True)\nv["AppNetworkAccessType"] = "PublicInternetOnly"\n'
           'e = d.get("RootAccess") or "Disabled"\n')
    assert [line for line, _ in hard_coded_defaults(src)] == [1, 2, 3, 4]


def test_no_collector_normaliser_or_runbook_hard_codes_a_default_of_the_table():
    found = [f"{p.relative_to(REPO)}:{line}: {what}" for p in FILLERS
             for line, what in hard_coded_defaults(p.read_text())]
    assert not found, "declare it in the type's descriptor (ResourceType.defaults) instead of:\n" + "\n".join(found)


def test_a_value_unknown_before_deployment_is_not_replaced_by_a_default(tmp_path):
    # A pipeline parameter without a default: the job's isolation is unknown until it runs,
    # so it must stay the marker (NOT_ASSESSED), not become AWS's default or a truthy value.
    (tmp_path / "p.json").write_text(json.dumps({
        "Version": "2020-12-01", "Parameters": [{"Name": "Isolate", "Type": "Boolean"}],
        "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {
            "RoleArn": ROLE, "EnableNetworkIsolation": {"Get": "Parameters.Isolate"}}}]}))
    job = next(r for r in load([tmp_path / "p.json"]).resources if r.type == TRAINING_JOB)
    assert job.properties["EnableNetworkIsolation"] == {"mlwarden:unknown": "Get Parameters.Isolate: parameter "
                                                                            "without default"}
    assert "properties.EnableNetworkIsolation" in job.facts["unknown_properties"]
    assert job.properties["EnableInterContainerTrafficEncryption"] is False   # omitted: the default


def test_a_type_name_instead_of_the_descriptor_s_defaults_is_refused():
    # The call before descriptors held defaults took the type's name; iterating it would
    # silently fill nothing.
    from mlwarden.aws_defaults import apply_defaults, default_value
    with pytest.raises(TypeError, match="ResourceType.defaults"):
        apply_defaults(NOTEBOOK, {})
    with pytest.raises(TypeError, match="ResourceType.defaults"):
        default_value(KMS_KEY, "KeySpec")
