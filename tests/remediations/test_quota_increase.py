"""Quota increase requests (Service Quotas as scanner/demo/moto_extensions.py emulates it, with
each test's own quota table: tests/support/moto_servicequotas.py)."""
from __future__ import annotations

import boto3

from ..conftest import ACCOUNT, REGION
from ..support import moto_servicequotas
from .conftest import finding


def _packages(n):
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    for _ in range(n):
        sm.create_model_package(ModelPackageGroupName="fraud", InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1"}],
            "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]})


def test_registry_quota_increase_requested_once_and_pending(fixer, hooks, monkeypatch):
    moto_servicequotas.declare(monkeypatch, ("L-MPKG", "Maximum number of model packages", 2.0, True))
    _packages(2)
    usage = finding("MLW::SageMaker::ServiceUsage", f"{ACCOUNT}/{REGION}", "MLW-LIM-001", "quota-increase",
                    arn=f"arn:aws:servicequotas:{REGION}:{ACCOUNT}:sagemaker")
    [plan] = fixer.plan(usage)
    [call] = plan.calls
    assert call.operation == "RequestServiceQuotaIncrease"
    assert call.params == {"ServiceCode": "sagemaker", "QuotaCode": "L-MPKG", "DesiredValue": 4.0}
    [result] = fixer.apply([plan])
    assert result.status == "applied"
    assert [(r["QuotaCode"], r["DesiredValue"], r["Status"]) for r in hooks.quota_requests] == [("L-MPKG", 4.0, "PENDING")]
    # the quota rises only when AWS approves: the re-scan still fails, reported as pending
    assert result.verification["status"] == "PENDING", result.verification
    [again] = fixer.apply([plan], verify=False)
    assert again.status == "already-compliant" and len(hooks.quota_requests) == 1


def test_registry_quota_is_the_model_packages_one_not_the_groups_one(fixer, hooks, monkeypatch):
    """Over the emulation's SageMaker quota table (AWS's names): "Maximum number of model
    package groups" also holds "model package"; only the packages quota is raised."""
    from mlwarden.demo.moto_extensions import SAGEMAKER_DEFAULTS
    moto_servicequotas.isolate(monkeypatch)
    names = {name: code for code, name, _, _ in SAGEMAKER_DEFAULTS}
    assert "Maximum number of model package groups" in names      # the quota that used to match too
    _packages(1)
    [plan] = fixer.plan(finding("MLW::SageMaker::ServiceUsage", f"{ACCOUNT}/{REGION}", "MLW-LIM-001",
                                "quota-increase"))
    assert [c.params["QuotaCode"] for c in plan.calls] == [names["Maximum number of model packages"]]


def test_quota_code_from_settings_when_the_policy_names_none(fixer, hooks, settings, monkeypatch):
    moto_servicequotas.declare(monkeypatch, ("L-X", "Something", 10.0, True))
    settings["remediation"]["quota_codes"] = ["L-X"]
    settings["remediation"]["quota_increase_factor"] = 1.5
    [plan] = fixer.plan(finding("MLW::SageMaker::ServiceUsage", f"{ACCOUNT}/{REGION}", "MLW-LIM-009",
                                "quota-increase"))
    assert plan.calls[0].params["DesiredValue"] == 15.0


def test_endpoint_instance_quota_found_from_the_endpoints_usage(fixer, hooks, monkeypatch):
    moto_servicequotas.declare(monkeypatch, ("L-M5XL", "ml.m5.xlarge for endpoint usage", 2.0, True),
                               ("L-C5XL", "ml.c5.xlarge for endpoint usage", 2.0, True))
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model(ModelName="m", ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r",
                    PrimaryContainer={"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1"})
    sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2}])
    sm.create_endpoint(EndpointName="e", EndpointConfigName="c")
    [plan] = fixer.plan(finding("MLW::SageMaker::ServiceUsage", f"{ACCOUNT}/{REGION}", "MLW-LIM-002",
                                "quota-increase"))
    # only the quota the endpoints crowd (2 of 2 ml.m5.xlarge), not the idle c5 one
    assert [(c.params["QuotaCode"], c.params["DesiredValue"]) for c in plan.calls] == [("L-M5XL", 4.0)]


def test_shadow_variant_instances_count_against_the_endpoint_instance_quota(fixer, hooks, monkeypatch):
    """A shadow variant runs on instances of its own type: one ml.m5.xlarge in production
    (1 of 2, under the 80% headroom) and two ml.c5.xlarge in shadow (2 of 2) ask for the
    c5 quota, not the m5 one."""
    moto_servicequotas.declare(monkeypatch, ("L-M5XL", "ml.m5.xlarge for endpoint usage", 2.0, True),
                               ("L-C5XL", "ml.c5.xlarge for endpoint usage", 2.0, True))
    sm = boto3.client("sagemaker", region_name=REGION)
    for m in ("m", "shadow"):
        sm.create_model(ModelName=m, ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/r",
                        PrimaryContainer={"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1"})
    sm.create_endpoint_config(EndpointConfigName="c", ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1}],
        ShadowProductionVariants=[{"VariantName": "challenger", "ModelName": "shadow",
                                   "InstanceType": "ml.c5.xlarge", "InitialInstanceCount": 2}])
    sm.create_endpoint(EndpointName="e", EndpointConfigName="c")
    [plan] = fixer.plan(finding("MLW::SageMaker::ServiceUsage", f"{ACCOUNT}/{REGION}", "MLW-LIM-002",
                                "quota-increase"))
    assert [(c.params["QuotaCode"], c.params["DesiredValue"]) for c in plan.calls] == [("L-C5XL", 4.0)]
