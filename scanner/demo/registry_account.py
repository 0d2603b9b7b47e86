"""The demo's second account: a central model registry, and the endpoint that serves from it.

Many organisations register models in one account and deploy them from workload
accounts. The registry account here holds a model package group whose approved (but
unsigned) package the workload account's `fraud-central-prod` endpoint serves by ARN.
A scan that reads both accounts (`mlwarden demo` does, as an organisation scan would)
judges that endpoint on the package's real approval and signature; a scan of the
workload account alone says which account it did not read.

Seeded through the public API like the rest of the estate: the registry account is
entered with AssumeRole, and the local AWS stand-in answers for the account whose role
issued the credentials, as AWS does.
"""
from __future__ import annotations

import hashlib
import json

import boto3

from .estate_base import (TEAM_TAGS, XGB_IMAGE, Clients, Estate, data_quality_schedule, encrypted_capture,
                          isolated_package_model, model_tarball, tag_list, tls_only_policy)

REGISTRY_ACCOUNT = "210987654321"
REGISTRY_TAGS = {"owner": "ml-platform", "project": "model-registry", "cost-center": "cc-4711",
                 "environment": "prod"}
# The role the demo's tooling uses in the registry account to publish packages.
PUBLISHER_ROLE = "registry-publisher"


def seed_registry_account(c: Clients, e: Estate, account: str = REGISTRY_ACCOUNT) -> None:
    """The registry account's key, artefact bucket and package group; then the workload
    account's model, configuration, endpoint and schedule that serve its package."""
    reg = _in_account(c, account)
    e.registry_account = account
    e.registry_packages["approved_central"] = _registry(reg, account, e.region)
    _serve_from_registry(c, e)


def _in_account(c: Clients, account: str) -> Clients:
    creds = c("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{PUBLISHER_ROLE}",
                                 RoleSessionName="demo-seed")["Credentials"]
    return Clients(c.endpoint_url, c.region, boto3.session.Session(
        aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"], region_name=c.region))


def _registry(reg: Clients, account: str, region: str) -> str:
    kms = reg("kms")
    key = kms.create_key(Description="Encrypts the central model registry's artefacts",
                         KeyUsage="ENCRYPT_DECRYPT",
                         Tags=[{"TagKey": k, "TagValue": v} for k, v in REGISTRY_TAGS.items()])["KeyMetadata"]
    kms.create_alias(AliasName="alias/ml-registry", TargetKeyId=key["KeyId"])
    kms.enable_key_rotation(KeyId=key["KeyId"])

    # The artefact bucket, locked down: SSE-KMS with a bucket key, versioning, no public access.
    s3 = reg("s3")
    bucket = f"acme-ml-registry-{account}"
    s3.create_bucket(Bucket=bucket, **({} if region == "us-east-1" else {
        "CreateBucketConfiguration": {"LocationConstraint": region}}))
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": [{
        "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]},
        "BucketKeyEnabled": True}]})
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True})
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tag_list(REGISTRY_TAGS)})
    body = model_tarball("fraud-xgb/v4")
    artifact = f"s3://{bucket}/fraud-xgb/v4/model.tar.gz"
    s3.put_object(Bucket=bucket, Key="fraud-xgb/v4/model.tar.gz", Body=body, ChecksumAlgorithm="SHA256")
    s3.put_object(Bucket=bucket, Key="fraud-xgb/v4/evaluation.json",
                  Body=json.dumps({"auc": 0.97}).encode(), ChecksumAlgorithm="SHA256")
    # Last: a TLS-only policy denies the stand-in's plain-HTTP writes after it.
    s3.put_bucket_policy(Bucket=bucket, Policy=tls_only_policy(bucket))

    sm = reg("sagemaker")
    sm.create_model_package_group(ModelPackageGroupName="fraud-central",
                                  ModelPackageGroupDescription="Fraud models for every workload account",
                                  Tags=tag_list(REGISTRY_TAGS))
    metadata = {"dataset_hash": f"sha256:{hashlib.sha256(b'fraud features 2026-11').hexdigest()}",
                "training_job": "fraud-xgb-2026-11-28", "framework": "xgboost-1.7"}
    arn = sm.create_model_package(
        ModelPackageGroupName="fraud-central", ModelPackageDescription=f"fraud-central from {artifact}",
        ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={"Containers": [{"Image": XGB_IMAGE, "ModelDataUrl": artifact}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        ModelMetrics={"ModelQuality": {"Statistics": {
            "ContentType": "application/json", "S3Uri": f"s3://{bucket}/fraud-xgb/v4/evaluation.json"}}},
        CustomerMetadataProperties=metadata)["ModelPackageArn"]
    # Approved by a reviewer, but the registry's release process does not sign: the
    # workload account's endpoint serves an approved, unsigned package.
    sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus="Approved",
                            ApprovalDescription="Central review RISK-2301: AUC 0.97 on the November holdout",
                            CustomerMetadataProperties=metadata)
    return arn


def _serve_from_registry(c: Clients, e: Estate) -> None:
    """The workload account's endpoint for the central package, built like the fraud
    endpoint (isolated model in private subnets, encrypted configuration and capture,
    two instances, a data-quality schedule), so only its lineage differs."""
    sm = c("sagemaker")
    lake = e.buckets["datalake"]
    isolated_package_model(sm, e, "fraud-central-v1", e.registry_packages["approved_central"])
    sm.create_endpoint_config(
        EndpointConfigName="fraud-central-v1-config", KmsKeyId=e.kms_keys["ml-serving"],
        ProductionVariants=[{"VariantName": "primary", "ModelName": "fraud-central-v1",
                             "InstanceType": "ml.m5.large", "InitialInstanceCount": 2,
                             "InitialVariantWeight": 1.0}],
        DataCaptureConfig=encrypted_capture(e, f"s3://{lake}/data-capture/fraud-central/"),
        Tags=tag_list(TEAM_TAGS))
    sm.create_endpoint(EndpointName="fraud-central-prod", EndpointConfigName="fraud-central-v1-config",
                       Tags=tag_list(TEAM_TAGS))
    data_quality_schedule(sm, e, "fraud-central-data-quality", endpoint="fraud-central-prod",
                          output=f"s3://{lake}/monitoring/fraud-central/",
                          constraints=f"s3://{lake}/monitoring/baselines/fraud-central-prod/constraints.json")
    e.models.append("fraud-central-v1")
    e.endpoint_configs.append("fraud-central-v1-config")
    e.endpoints.append("fraud-central-prod")
