"""Endpoint lineage across accounts, against in-process moto with two accounts.

The workload account (moto's default) runs a production endpoint whose model is
deployed from a model package in a central registry account. moto answers for the
registry account with the credentials an AssumeRole into it returned, as AWS does.
"""
from __future__ import annotations

import boto3
import pytest

from mlwarden.api import EvalOptions, collect_inventory, evaluate_inventory
from mlwarden.permissions import scan_options

from ..conftest import ACCOUNT, REGION

REGISTRY = "222233334444"
ROLE_NAME = "mlwarden-scan"
LINEAGE = ("MLW-REG-003", "MLW-REG-004")
TYPES = ("AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model",
         "AWS::SageMaker::ModelPackage", "AWS::SageMaker::ModelPackageGroup")
PROD = [{"Key": "environment", "Value": "prod"}]


def in_account(account: str) -> boto3.Session:
    creds = boto3.client("sts", region_name=REGION).assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/registry-admin", RoleSessionName="seed")["Credentials"]
    return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                         aws_session_token=creds["SessionToken"], region_name=REGION)


def two_accounts(approval: str) -> str:
    """The registry account's package (in `approval`) served by the workload account's
    production endpoint; returns the package ARN."""
    registry = in_account(REGISTRY).client("sagemaker")
    registry.create_model_package_group(ModelPackageGroupName="fraud-central")
    package = registry.create_model_package(
        ModelPackageGroupName="fraud-central", ModelApprovalStatus=approval,
        InferenceSpecification={"Containers": [{"Image": f"{REGISTRY}.dkr.ecr.{REGION}.amazonaws.com/xgb:1",
                                                "ModelDataUrl": "s3://central-models/fraud/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"],
                                "SupportedResponseMIMETypes": ["text/csv"]})["ModelPackageArn"]
    workload = boto3.client("sagemaker", region_name=REGION)
    workload.create_model(ModelName="fraud-central-v1", ExecutionRoleArn=f"arn:aws:iam::{ACCOUNT}:role/serve",
                          PrimaryContainer={"ModelPackageName": package}, Tags=PROD)
    workload.create_endpoint_config(
        EndpointConfigName="fraud-central-cfg", Tags=PROD,
        ProductionVariants=[{"VariantName": "primary", "ModelName": "fraud-central-v1",
                             "InstanceType": "ml.m5.large", "InitialInstanceCount": 2}])
    workload.create_endpoint(EndpointName="fraud-central-prod", EndpointConfigName="fraud-central-cfg", Tags=PROD)
    return package


def lineage_verdicts(**scan) -> dict[str, tuple[str, str]]:
    inv = collect_inventory(scan_options(max_workers=4), [REGION], types=TYPES, **scan)
    doc = evaluate_inventory(inv, EvalOptions())
    return {f.policy_id: (f.status.value, f.message) for f in doc.findings
            if f.policy_id in LINEAGE and f.resource.get("id") == "fraud-central-prod"}


@pytest.mark.parametrize("approval, expected", [("Approved", "PASS"), ("PendingManualApproval", "FAIL")])
def test_both_accounts_scanned_judge_the_package_the_endpoint_serves(aws, approval, expected):
    package = two_accounts(approval)
    verdicts = lineage_verdicts(accounts=[ACCOUNT, REGISTRY], role_name=ROLE_NAME)
    status, message = verdicts["MLW-REG-003"]
    assert status == expected, message
    if expected == "FAIL":
        assert f"serves model package {package}, which is PendingManualApproval, not Approved" in message
    # The package carries no signature: the signing rule reads that from the registry account too.
    assert verdicts["MLW-REG-004"] == (
        "FAIL", f"production endpoint fraud-central-prod serves model package {package}, which is not signed")


def test_registry_account_not_scanned_is_not_assessed_naming_it(aws):
    two_accounts("Approved")
    verdicts = lineage_verdicts()   # the workload account only
    assert set(verdicts) == set(LINEAGE)
    for status, message in verdicts.values():
        assert status == "NOT_ASSESSED", message
        assert f"in account {REGISTRY}, which this scan did not read" in message
        assert "could not determine" not in message
