"""The core path on the smallest estate: collect → evaluate → findings, read-only."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.api import EvalOptions, collect_inventory, evaluate_inventory
from mlwarden.aws.readonly import WriteRefused
from mlwarden.aws.session import AwsContext
from mlwarden.permissions import scan_options
from mlwarden.model import Status

from .conftest import ACCOUNT, REGION


def test_unencrypted_notebook_fails_and_encrypted_passes(aws):
    sm = boto3.client("sagemaker", region_name=REGION)
    role = f"arn:aws:iam::{ACCOUNT}:role/nb"
    sm.create_notebook_instance(NotebookInstanceName="plain", InstanceType="ml.t3.medium", RoleArn=role)
    sm.create_notebook_instance(NotebookInstanceName="sealed", InstanceType="ml.t3.medium", RoleArn=role,
                                KmsKeyId="arn:aws:kms:eu-west-1:123456789012:key/abc")
    inv = collect_inventory(scan_options(), [REGION])
    doc = evaluate_inventory(inv, EvalOptions())
    verdicts = {f.resource["id"]: f.status for f in doc.findings if f.policy_id == "MLW-ENC-001"}
    assert verdicts == {"plain": Status.FAIL, "sealed": Status.PASS}


def test_scan_clients_refuse_writes_before_sending(aws):
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance(NotebookInstanceName="keep", InstanceType="ml.t3.medium",
                                RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nb")
    client = AwsContext(options=scan_options()).client("sagemaker", REGION)
    with pytest.raises(WriteRefused):
        client.delete_notebook_instance(NotebookInstanceName="keep")
    # the call never reached the service: the notebook is still there
    assert sm.describe_notebook_instance(NotebookInstanceName="keep")["NotebookInstanceName"] == "keep"


def test_a_context_whose_clients_and_models_were_released_reads_again_still_guarded(aws):
    """pipeline.release_collection closes the scan's clients and empties the shared
    loader's cache before evaluation; whatever reads AWS after that gets new clients,
    built from models parsed again, with the read-only guard installed again."""
    from mlwarden.aws.session import _LOADER, release_models
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance(NotebookInstanceName="again", InstanceType="ml.t3.medium",
                                RoleArn=f"arn:aws:iam::{ACCOUNT}:role/nb")
    ctx = AwsContext(options=scan_options())
    first = ctx.client("sagemaker", REGION)
    assert first.list_notebook_instances()["NotebookInstances"]
    ctx.close()
    release_models()
    assert not _LOADER[0]._cache
    second = ctx.client("sagemaker", REGION)
    assert second is not first
    assert [n["NotebookInstanceName"] for n in second.list_notebook_instances()["NotebookInstances"]] == ["again"]
    with pytest.raises(WriteRefused):
        second.delete_notebook_instance(NotebookInstanceName="again")
