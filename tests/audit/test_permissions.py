"""The read-only IAM policy `mlwarden permissions` prints is derived from the
collectors' declarations, and it is enough: with moto enforcing IAM policies, a
scan under exactly that policy reads everything and records no AccessDenied gap."""
from __future__ import annotations

import json

import boto3
from moto import mock_aws
from moto.core import set_initial_no_auth_action_count

from mlwarden.api import collect_inventory
from mlwarden.collectors.base import registry
from mlwarden.permissions import guard_actions, scan_options, scanner_actions, scanner_policy

from ..conftest import REGION


def test_every_collector_declares_permissions_and_they_are_reads():
    for spec in registry().values():
        assert spec.permissions, f"{spec.type} declares no IAM permission"
    from mlwarden.permissions import ON_BEHALF
    for action in scanner_actions():
        if action in ON_BEHALF:
            # Declared for a service acting for the scan (S3 decrypting an SSE-KMS artefact),
            # allowed only through that service, and never sent by the scanner itself.
            assert action not in guard_actions(), action
            continue
        verb = action.split(":", 1)[1]
        assert verb.startswith(("Describe", "Get", "List", "Head", "Search", "Lookup", "BatchGet")), action


# moto authorises some S3 calls under names that are not AWS's IAM action names
# (moto/s3/responses.py ACTION_MAP). AWS is the reference: the product declares the
# real names; only this test adds moto's aliases beside them, so that the check is
# about *our* declarations and not moto's table.
# (GetBucketEncryption and GetPublicAccessBlock fall through to its default, ListBucket.)
MOTO_S3_ALIASES = {
    "s3:GetEncryptionConfiguration": "s3:ListBucket",
    "s3:GetBucketPublicAccessBlock": "s3:ListBucket",
}


def _as_enforced_by_moto(policy: dict) -> dict:
    stmt = policy["Statement"][0]
    actions = list(stmt["Action"]) + [MOTO_S3_ALIASES[a] for a in stmt["Action"] if a in MOTO_S3_ALIASES]
    return {**policy, "Statement": [{**stmt, "Action": actions}]}


def _user(iam, name: str, policy: dict | None = None, managed: str | None = None) -> dict:
    iam.create_user(UserName=name)
    if policy:
        iam.put_user_policy(UserName=name, PolicyName="p", PolicyDocument=json.dumps(policy))
    if managed:
        iam.attach_user_policy(UserName=name, PolicyArn=managed)
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"aws_access_key_id": key["AccessKeyId"], "aws_secret_access_key": key["SecretAccessKey"]}


@set_initial_no_auth_action_count(6)
def test_generated_policy_is_enough_for_a_full_scan(monkeypatch):
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    with mock_aws():
        iam = boto3.client("iam", region_name=REGION)
        admin = _user(iam, "seeder", policy={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]})                      # 3 actions
        scanner = _user(iam, "scanner", policy=_as_enforced_by_moto(scanner_policy()))                           # 3 actions
        sm = boto3.client("sagemaker", region_name=REGION, **admin)
        sm.create_notebook_instance(NotebookInstanceName="nb", InstanceType="ml.t3.medium",
                                    RoleArn="arn:aws:iam::123456789012:role/r")
        boto3.client("s3", region_name=REGION, **admin).create_bucket(
            Bucket="data", CreateBucketConfiguration={"LocationConstraint": REGION})
        boto3.client("kms", region_name=REGION, **admin).create_key(Description="k")

        monkeypatch.setenv("AWS_ACCESS_KEY_ID", scanner["aws_access_key_id"])
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", scanner["aws_secret_access_key"])
        inv = collect_inventory(scan_options(), [REGION])
        denied = [g for g in inv.gaps if "AccessDenied" in g.error_code or "Unauthorized" in g.error_code
                  or "AccessDenied" in g.message]
        assert not denied, [(g.resource_type, g.operation, g.message) for g in denied]
        assert any(r.type == "AWS::SageMaker::NotebookInstance" for r in inv.resources)

        # and the same scan with a policy missing one declared action is visibly incomplete
        narrow = dict(scanner_policy())
        narrow["Statement"] = [{**narrow["Statement"][0],
                                "Action": [a for a in scanner_actions() if a != "sagemaker:ListNotebookInstances"]}]
        boto3.client("iam", region_name=REGION, **admin).put_user_policy(UserName="scanner", PolicyName="p",
                            PolicyDocument=json.dumps(_as_enforced_by_moto(narrow)))
        inv = collect_inventory(scan_options(), [REGION])
        assert any(g.resource_type == "AWS::SageMaker::NotebookInstance" for g in inv.gaps)
