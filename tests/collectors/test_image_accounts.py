"""A live scan knows each resource's account: an image in that account's private ECR is
its own (MLW-INT-006 PASS), one in another account's is not (FAIL). The IaC path, where
a template without --account leaves the account unknown, is tests/iac/test_iac_scan.py."""
from __future__ import annotations

import boto3

from mlwarden.collectors.sagemaker_models import MODEL_TYPE
from mlwarden.model import Status
from mlwarden.pipeline import collect

from ..conftest import ACCOUNT, REGION


def test_live_models_are_judged_against_their_own_account(aws, aws_context, judge):
    sm = boto3.client("sagemaker", region_name=REGION)
    role = f"arn:aws:iam::{ACCOUNT}:role/serve"
    for name, account in (("own", ACCOUNT), ("other", "444455556666")):
        sm.create_model(ModelName=name, ExecutionRoleArn=role, PrimaryContainer={
            "Image": f"{account}.dkr.ecr.{REGION}.amazonaws.com/churn:1", "ModelDataUrl": "s3://b/m.tar.gz"})
    inv = collect(aws_context, [REGION], types=[MODEL_TYPE])
    models = [r for r in inv.resources if r.type == MODEL_TYPE]
    assert {r.id: r.account for r in models} == {"own": ACCOUNT, "other": ACCOUNT}
    assert not any("deploy_account" in r.facts for r in models)
    found = {f.resource["id"]: f for f in judge(inv).findings if f.policy_id == "MLW-INT-006"}
    assert found["own"].status == Status.PASS, found["own"].message
    assert found["other"].status == Status.FAIL
    assert "from the ECR registry of account 444455556666, which is neither its own account" in found["other"].message
