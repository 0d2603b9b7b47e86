"""The non-SageMaker collectors inside a whole-account collect: global types are read
once however many regions are scanned, regional ones once per region, and an
operation the endpoint lacks shows up as a coverage gap."""
from __future__ import annotations

import json

import boto3

from mlwarden.api import collect_inventory
from mlwarden.permissions import scan_options

from ..conftest import REGION

TYPES = ["AWS::S3::Bucket", "AWS::IAM::Role", "AWS::KMS::Key", "AWS::EC2::SecurityGroup",
         "AWS::Signer::SigningProfile"]


def test_global_types_once_regional_types_per_region(aws, monkeypatch):
    from moto.signer import urls
    monkeypatch.delitem(urls.url_paths, "{0}/signing-profiles$", raising=False)  # as moto ships
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="artefacts")
    boto3.client("iam", region_name=REGION).create_role(RoleName="exec", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                 "Principal": {"Service": "sagemaker.amazonaws.com"}}]}))
    for region in (REGION, "us-east-1"):
        boto3.client("kms", region_name=region).create_key(Description=f"key in {region}")

    inv = collect_inventory(scan_options(), [REGION, "us-east-1"], types=TYPES)

    def of(type_):
        return [r for r in inv.resources if r.type == type_]
    assert [(b.id, b.region) for b in of("AWS::S3::Bucket")] == [("artefacts", "us-east-1")]
    assert [(r.id, r.region) for r in of("AWS::IAM::Role")] == [("exec", "global")]
    assert sorted(k.region for k in of("AWS::KMS::Key")) == sorted([REGION, "us-east-1"])
    assert {g.region for g in of("AWS::EC2::SecurityGroup")} == {REGION, "us-east-1"}  # default groups
    # moto as shipped has no ListSigningProfiles: one gap per region, never "no profiles"
    signer_gaps = [g for g in inv.gaps if g.resource_type == "AWS::Signer::SigningProfile"]
    assert sorted(g.region for g in signer_gaps) == sorted([REGION, "us-east-1"])
    assert [g for g in inv.gaps if g.resource_type != "AWS::Signer::SigningProfile"] == []
