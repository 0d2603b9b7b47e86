"""Synthetic estates for the engine conformance test and the engine benchmark.

Every resource type of docs/resource-model.md is described once, as the values a
field may take: a compliant one, a non-compliant one, and edge cases (absent, null,
empty, a wrong shape). `inventory()` draws each field at random (seeded), with
related resources (roles, keys, subnets, security groups, buckets) so policies see
`input.related`; `fixture_cases()` gives the deterministic variants the fixture
corpus (tests/fixtures/conformance/) is generated from:

    .venv/bin/python -m tests.support.synthetic   # rewrites generated_*.json
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from mlwarden.inventory import Inventory
from mlwarden.model import Resource

ACCOUNT, REGION = "111122223333", "eu-west-1"
ABSENT = object()  # a field left out of the document

KEY_GOOD = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_OTHER = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/99999999-0000-0000-0000-000000000000"
KEY_AWS = "alias/aws/sagemaker"
PACKAGE_GOOD = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/1"
PACKAGE_BAD = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/2"
ROLE_GOOD = f"arn:aws:iam::{ACCOUNT}:role/ml-exec-good"
ROLE_BAD = f"arn:aws:iam::{ACCOUNT}:role/ml-exec-bad"
DATASET_HASH = "sha256:" + "ab" * 32
IMAGE_GOOD = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/train:1.0"
IMAGE_BAD = "docker.io/someone/train:latest"
VPC_GOOD = {"Subnets": ["subnet-private"], "SecurityGroupIds": ["sg-closed"]}
VPC_BAD = {"Subnets": ["subnet-public"], "SecurityGroupIds": ["sg-open"]}
EDGE = [ABSENT, None, "", [], {}]           # edge values any field may take
BOOL = [True, False, "true", ABSENT, None]  # "true" (a string) is not true


def _kms_choices():
    return [KEY_GOOD, KEY_OTHER, KEY_AWS, f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/team", *EDGE]


# type -> field -> choices (the first choice is the compliant one). Nested dicts are
# fields of a nested object; a tuple marks a field whose choices are whole values.
SPECS: dict[str, dict[str, Any]] = {
    "AWS::SageMaker::NotebookInstance": {
        "KmsKeyId": _kms_choices(), "DirectInternetAccess": ["Disabled", "Enabled", *EDGE],
        "RootAccess": ["Disabled", "Enabled", ABSENT], "SubnetId": ["subnet-private", "subnet-public", *EDGE],
        "SecurityGroupIds": [["sg-closed"], ["sg-open"], ["sg-closed", "sg-open"], *EDGE],
        "RoleArn": [ROLE_GOOD, ROLE_BAD, ABSENT], "InstanceType": ["ml.t3.medium", "ml.p4d.24xlarge", ABSENT],
        "NotebookInstanceStatus": ["InService", "Stopped"], "LifecycleConfigName": ["idle-stop", ABSENT, ""],
        "PlatformIdentifier": ["notebook-al2023-v1", "notebook-al1-v1", *EDGE],
        "InstanceMetadataServiceConfiguration": {"MinimumInstanceMetadataServiceVersion": ["2", "1", 2, "3", *EDGE]},
    },
    "MLW::SageMaker::TrainingJob": {
        "RoleArn": [ROLE_GOOD, ROLE_BAD, ABSENT], "EnableNetworkIsolation": BOOL,
        "EnableInterContainerTrafficEncryption": BOOL, "VpcConfig": [VPC_GOOD, VPC_BAD, *EDGE],
        "ResourceConfig": {"VolumeKmsKeyId": _kms_choices(), "InstanceType": ["ml.m5.xlarge", "ml.p4d.24xlarge"],
                           "InstanceCount": [1, 4, 10]},
        "OutputDataConfig": {"KmsKeyId": _kms_choices(), "S3OutputPath": ["s3://ml-good/out", "s3://ml-bad/out", ABSENT]},
        "StoppingCondition": {"MaxRuntimeInSeconds": [3600, 86400, 2419200, ABSENT]},
        "CheckpointConfig": [{"S3Uri": "s3://ml-good/ckpt"}, ABSENT, {}],
        "TrainingJobStatus": ["InProgress", "Completed", "Failed"],
        "AlgorithmSpecification": {"TrainingImage": [IMAGE_GOOD, IMAGE_BAD, ABSENT]},
    },
    "MLW::SageMaker::ProcessingJob": {
        "RoleArn": [ROLE_GOOD, ROLE_BAD, ABSENT],
        "NetworkConfig": {"EnableNetworkIsolation": BOOL, "EnableInterContainerTrafficEncryption": BOOL,
                          "VpcConfig": [VPC_GOOD, VPC_BAD, *EDGE]},
        "ProcessingResources": {"ClusterConfig": {"VolumeKmsKeyId": _kms_choices(), "InstanceCount": [1, 2]}},
        "ProcessingOutputConfig": {"KmsKeyId": _kms_choices()},
        "StoppingCondition": {"MaxRuntimeInSeconds": [3600, ABSENT]},
        "ProcessingJobStatus": ["Completed", "InProgress"],
        "AppSpecification": {"ImageUri": [IMAGE_GOOD, IMAGE_BAD, ABSENT]},
    },
    "AWS::SageMaker::Model": {
        "ExecutionRoleArn": [ROLE_GOOD, ROLE_BAD, ABSENT], "EnableNetworkIsolation": BOOL,
        "VpcConfig": [VPC_GOOD, VPC_BAD, *EDGE],
        "PrimaryContainer": {"Image": [IMAGE_GOOD, IMAGE_BAD, ABSENT],
                             "ModelDataUrl": ["s3://ml-good/model.tar.gz", "s3://ml-bad/model.tar.gz", ABSENT],
                             "ModelPackageName": [f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/fraud/1", ABSENT],
                             "ImageConfig": [{"RepositoryAccessMode": "Vpc"}, {"RepositoryAccessMode": "Platform"},
                                             *EDGE]},
        # An inference pipeline (Containers) whose images all come through the VPC first, so
        # the compliant fixture makes MLW-NET-022 pass; then one container on Platform.
        "Containers": [[{"Image": IMAGE_GOOD, "ImageConfig": {"RepositoryAccessMode": "Vpc"}}],
                       [{"Image": IMAGE_GOOD, "ImageConfig": {"RepositoryAccessMode": "Vpc"}}, {"Image": IMAGE_GOOD}],
                       ABSENT, None],
    },
    "AWS::SageMaker::EndpointConfig": {
        "KmsKeyId": _kms_choices(),
        "ProductionVariants": ([{"VariantName": "AllTraffic", "ModelName": "m-good", "InstanceType": "ml.m5.large",
                                 "InitialInstanceCount": 2}],
                               [{"VariantName": "AllTraffic", "ModelName": "m-bad", "InstanceType": "ml.p4d.24xlarge",
                                 "InitialInstanceCount": 1}],
                               [{"VariantName": "A", "ModelName": "m-good", "InitialInstanceCount": 10},
                                {"VariantName": "B", "ModelName": "m-bad", "InitialInstanceCount": 9}],
                               [], ABSENT),
        "DataCaptureConfig": [{"EnableCapture": True, "KmsKeyId": KEY_GOOD, "DestinationS3Uri": "s3://ml-good/capture"},
                              {"EnableCapture": True, "DestinationS3Uri": "s3://ml-bad/capture"},
                              {"EnableCapture": False}, {"EnableCapture": True, "KmsKeyId": KEY_AWS}, *EDGE],
    },
    "AWS::SageMaker::Endpoint": {
        "EndpointConfigName": ["ec-good", "ec-bad", ABSENT], "EndpointStatus": ["InService", "Failed", "Updating"],
        "DeploymentConfig": [{"BlueGreenUpdatePolicy": {"TrafficRoutingConfiguration": {"Type": "CANARY"}},
                              "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "5xx"}]}},
                             {"BlueGreenUpdatePolicy": {}}, *EDGE],
    },
    "AWS::SageMaker::ModelPackageGroup": {
        "ModelPackageGroupName": ["fraud", "churn"],
        "ModelPackageGroupDescription": ["Fraud models", *EDGE],
    },
    "AWS::SageMaker::ModelPackage": {
        "ModelPackageGroupName": ["fraud", ABSENT], "ModelPackageVersion": [1, 7, 120],
        "ModelApprovalStatus": ["Approved", "PendingManualApproval", "Rejected", ABSENT],
        "ApprovalDescription": ["Reviewed by risk team", *EDGE],
        "ModelLifeCycle": [{"Stage": "PROD", "StageStatus": "Approved", "StageDescription": "CAB-1142"},
                           {"Stage": "QA", "StageStatus": "Approved"}, {"Stage": "Staging", "StageStatus": "x"},
                           *EDGE],
        "CustomerMetadataProperties": [{"dataset_hash": DATASET_HASH, "training_job": "tj-1", "framework": "xgboost"},
                                       {"framework": "pytorch", "dataset_hash": "md5:abc"}, {"framework": "pytorch"},
                                       *EDGE],
        "ModelCard": [{"ModelCardContent": "{}", "ModelCardStatus": "Approved"}, ABSENT, {}],
        "ModelMetrics": [{"ModelQuality": {"Statistics": {"S3Uri": "s3://ml-good/metrics.json"}}}, *EDGE],
        "InferenceSpecification": {"Containers": ([{"Image": IMAGE_GOOD, "ModelDataUrl": "s3://ml-good/model.tar.gz"}],
                                                  [{"Image": IMAGE_BAD, "ModelDataUrl": "s3://ml-bad/model.tar.gz"}],
                                                  [{"Image": IMAGE_GOOD}], [], ABSENT)},
        "CreatedBy": [{"UserProfileName": "alice"}, ABSENT],
        "LastModifiedBy": [{"UserProfileName": "bob"}, {"UserProfileName": "alice"}, ABSENT],
        "CreationTime": ["2026-11-20T10:00:00+00:00", "2025-01-01T00:00:00+00:00", ABSENT],
    },
    "AWS::SageMaker::Pipeline": {
        "PipelineName": ["train-pipeline"], "RoleArn": [ROLE_GOOD, ROLE_BAD, ABSENT],
        "PipelineDefinition": [{"Version": "2020-12-01", "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {
            "EnableNetworkIsolation": True, "OutputDataConfig": {"KmsKeyId": KEY_GOOD},
            "ResourceConfig": {"VolumeKmsKeyId": KEY_GOOD}}},
            {"Name": "Check", "Type": "QualityCheck", "DependsOn": ["Train"], "SkipCheck": False, "Arguments": {}},
            {"Name": "Register", "Type": "RegisterModel", "DependsOn": ["Check"],
             "Arguments": {"ModelPackageGroupName": "g"}}]},
                               {"Version": "2020-12-01", "Steps": [{"Name": "Train", "Type": "Training", "Arguments": {
                                   "OutputDataConfig": {}}},
                                   {"Name": "Register", "Type": "RegisterModel", "Arguments": {
                                       "ModelPackageGroupName": "g", "ModelApprovalStatus": "Approved"}}]},
                               {"Steps": []}, *EDGE],
    },
    "AWS::SageMaker::Domain": {
        "DomainName": ["studio"], "AppNetworkAccessType": ["VpcOnly", "PublicInternetOnly", ABSENT],
        "KmsKeyId": _kms_choices(), "SubnetIds": [["subnet-private"], ["subnet-public"], *EDGE],
        "VpcId": ["vpc-ml", ABSENT],
        "DefaultUserSettings": {"ExecutionRole": [ROLE_GOOD, ROLE_BAD, ABSENT],
                                "SecurityGroups": [["sg-closed"], ["sg-open"], ABSENT]},
    },
    "AWS::SageMaker::MonitoringSchedule": {
        "MonitoringScheduleConfig": [{"MonitoringJobDefinitionName": "dq-good", "MonitoringType": "DataQuality"},
                                     {"MonitoringJobDefinition": {
                                         "NetworkConfig": {"EnableNetworkIsolation": True,
                                                           "EnableInterContainerTrafficEncryption": True},
                                         "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": KEY_GOOD}},
                                         "MonitoringOutputConfig": {"KmsKeyId": KEY_GOOD}}},
                                     {"MonitoringJobDefinition": {"NetworkConfig": {}}}, *EDGE],
        "EndpointName": ["ep-good", ABSENT], "MonitoringScheduleStatus": ["Scheduled", "Failed", "Stopped"],
    },
    **{f"AWS::SageMaker::{kind}JobDefinition": {
        "JobDefinitionName": [f"{kind.lower()}-good", ABSENT],
        "JobResources": [{"ClusterConfig": {"InstanceCount": 2, "VolumeKmsKeyId": KEY_GOOD}},
                         {"ClusterConfig": {"InstanceCount": 1}}, *EDGE],
        f"{kind}JobOutputConfig": [{"KmsKeyId": KEY_GOOD, "MonitoringOutputs": [
            {"S3Output": {"S3Uri": "s3://ml-monitoring/reports"}}]}, {"KmsKeyId": "alias/aws/s3"}, *EDGE],
        "NetworkConfig": [{"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
                           "VpcConfig": {"Subnets": ["subnet-private"], "SecurityGroupIds": ["sg-closed"]}},
                          {"EnableNetworkIsolation": False}, *EDGE],
        "RoleArn": [ROLE_GOOD, ABSENT],
    } for kind in ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability")},
    "AWS::S3::Bucket": {
        "BucketEncryption": [
            {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_GOOD}, "BucketKeyEnabled": True}]},
            {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"},
                                                    "BucketKeyEnabled": False}]},
            {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]},
            *EDGE],
        "PublicAccessBlockConfiguration": [
            {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True},
            {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": True, "RestrictPublicBuckets": False},
            *EDGE],
        "VersioningConfiguration": [{"Status": "Enabled"}, {"Status": "Suspended"}, *EDGE],
        "PolicyDocument": [{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                                           "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
                           {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject"}]}, *EDGE],
    },
    "AWS::IAM::Role": {
        "RoleName": ["ml-exec-good", "DataScientist-alice", "PlatformEngineer-ops", ABSENT],
        "AssumeRolePolicyDocument": [
            {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                            "Action": "sts:AssumeRole"}]},
            {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["sagemaker.amazonaws.com", "ec2.amazonaws.com"]},
                            "Action": "sts:AssumeRole"}]},
            {"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}},
            {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}, *EDGE],
        "ManagedPolicyArns": [[], ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
                              ["arn:aws:iam::aws:policy/AdministratorAccess", "arn:aws:iam::aws:policy/ReadOnlyAccess"],
                              ABSENT],
        "Policies": [[{"PolicyName": "s3", "PolicyDocument": {"Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::ml-good/*"}]}}], [], ABSENT],
    },
    "AWS::EC2::VPC": {"CidrBlock": ["10.0.0.0/16", ABSENT]},
    "AWS::EC2::Subnet": {"VpcId": ["vpc-ml"], "CidrBlock": ["10.0.1.0/24"],
                         "MapPublicIpOnLaunch": [False, True, ABSENT]},
    "AWS::EC2::SecurityGroup": {
        "GroupName": ["ml"], "VpcId": ["vpc-ml"],
        "SecurityGroupIngress": [[{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}],
                                 [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}],
                                 [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv6": "::/0"}], *EDGE],
    },
    "AWS::EC2::VPCEndpoint": {"VpcId": ["vpc-ml"], "ServiceName": [f"com.amazonaws.{REGION}.s3"],
                              "VpcEndpointType": ["Gateway", "Interface"]},
    "AWS::KMS::Key": {"KeyState": ["Enabled", "Disabled", "PendingDeletion", ABSENT], "Enabled": [True, False, ABSENT],
                      "KeyManager": ["CUSTOMER", "AWS", ABSENT], "EnableKeyRotation": BOOL,
                      "KeySpec": ["SYMMETRIC_DEFAULT", "RSA_2048", ABSENT]},
    "AWS::Signer::SigningProfile": {"ProfileName": ["models"], "PlatformId": ["Notation-OCI-SHA384-ECDSA", ABSENT],
                                    "Status": ["Active", "Revoked", "Canceled"],
                                    "SignatureValidityPeriod": [{"Value": 1, "Type": "YEARS"}, {"Value": 20, "Type": "YEARS"},
                                                                ABSENT]},
    "MLW::SageMaker::ServiceUsage": {
        "Quotas": [{"L-MODEL-PACKAGES": {"QuotaName": "Model packages", "Value": 1000},
                    "L-ENDPOINTS": {"QuotaName": "Endpoints", "Value": 100}}, {}, ABSENT],
    },
    # Added last: the random inventory draws types in this order (earlier draws unchanged).
    "AWS::ServiceCatalog::CloudFormationProduct": {"Name": ["ml-endpoint", *EDGE], "Owner": ["ml-platform", ABSENT]},
    # Scripts as redaction leaves them (markers); what the detector found is a fact (FACTS).
    "AWS::SageMaker::NotebookInstanceLifecycleConfig": {
        "NotebookInstanceLifecycleConfigName": ["start"],
        "OnStart": [[{"Content": "[redacted:0123456789ab]"}], [], *EDGE],
        "OnCreate": [[], [{"Content": "[redacted:ba9876543210]"}], *EDGE]},
}

# Provenance (scanner/provenance.py): from a product in portfolio "ml-approved", from one in
# no portfolio, by hand, or not derived.
PROVENANCE = [{"kind": "service_catalog", "product": "ml-endpoint", "version": "v2", "provisioned_product": "pp",
               "portfolios": [{"Id": "port-1", "DisplayName": "ml-approved"}]},
              {"kind": "service_catalog", "product": "ml-endpoint", "version": "v1", "portfolios": []},
              {"kind": "none"}, ABSENT]

# Facts per type (same convention).
FACTS: dict[str, dict[str, Any]] = {
    "AWS::SageMaker::NotebookInstance": {"provenance": PROVENANCE},
    "AWS::SageMaker::NotebookInstanceLifecycleConfig": {"secret_findings": [
        [], [{"path": "properties.OnStart.0.Content", "line": 2, "detector": "AWS Access Key"},
             {"path": "properties.OnCreate.0.Content", "line": 5, "detector": "Secret Keyword"}],
        [{"path": "properties.Other", "detector": "Secret Keyword"}], *EDGE]},
    "AWS::ServiceCatalog::CloudFormationProduct": {"templates": [
        [{"Version": "v1", "read": True, "scanned": True, "resources": 3}],
        [{"Version": "v1", "read": True, "scanned": False, "error": "t.yaml:1: template has no Resources section"}],
        [], ABSENT]},
    "MLW::SageMaker::TrainingJob": {"runtime_seconds": [3600, 2_000_000, 2_419_200, ABSENT]},
    "AWS::SageMaker::Endpoint": {
        "autoscaling": [{"AllTraffic": {"registered": True, "MinCapacity": 2, "MaxCapacity": 6}},
                        {"AllTraffic": {"registered": False}}, {"Other": {"registered": True}}, {}, ABSENT],
        "monitoring_schedules": [[{"MonitoringScheduleName": "dq", "MonitoringScheduleStatus": "Scheduled"}], [], ABSENT],
        "variant_artifacts": [{"AllTraffic": {"ModelName": "m", "bytes": 60_000_000_000,
                                              "ModelDataDownloadTimeoutInSeconds": 3600,
                                              "ContainerStartupHealthCheckTimeoutInSeconds": 1800}},
                              {"AllTraffic": {"ModelName": "m", "bytes": 60_000_000_000}},
                              {"AllTraffic": {"ModelName": "m", "bytes": 1000}},
                              {"shared/llm": {"ModelName": "m", "InferenceComponent": "llm", "bytes": 60_000_000_000}},
                              ABSENT],
        "drift_response": [
            {"schedules": [
                {"name": "dq", "kind": "DataQuality", "constraints": "s3://ml-good/baseline/constraints.json",
                 "alarms": [{"name": "dq-drift", "metrics": ["feature_baseline_drift_amount"], "threshold": 0.1,
                             "comparison": "GreaterThanThreshold",
                             "actions": [{"arn": f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/retrain",
                                          "kind": "retraining", "via": "rule retrain-on-drift"}]}],
                 "acts": ["retraining"]},
                {"name": "bias", "kind": "ModelBias", "alarms": [], "acts": []},
                {"name": "shap", "kind": "ModelExplainability", "alarms": [], "acts": []}]},
            {"schedules": [
                {"name": "dq", "kind": "DataQuality",
                 "alarms": [{"name": "dq-drift", "metrics": ["feature_baseline_drift_amount"], "threshold": 0.3,
                             "comparison": "LessThanThreshold", "actions": []}], "acts": []}]},
            {"schedules": []}, ABSENT],
        "drift_constraints": [
            {"dq": {"uri": "s3://ml-good/baseline/constraints.json", "emit_metrics": "Enabled",
                    "evaluate_constraints": "Enabled",
                    "distribution_constraints": {"perform_comparison": "Enabled", "comparison_threshold": 0.1}}},
            {"dq": {"uri": "s3://ml-good/baseline/constraints.json", "emit_metrics": "Disabled",
                    "distribution_constraints": {"perform_comparison": "Disabled", "comparison_threshold": 0.3}}},
            {}, ABSENT],
        "provenance": PROVENANCE},
    "AWS::SageMaker::ModelPackage": {
        # key_arn/key_state/key_aliases: the key as the collector resolves it in KMS.
        "signature": [{"present": True, "verified": True, "signing_profile": "models", "key_id": KEY_GOOD,
                       "key_arn": KEY_GOOD, "key_state": "Enabled", "key_aliases": [],
                       "artifact_digest_claimed": DATASET_HASH},
                      {"present": True, "verified": False, "signing_profile": "other", "key_id": KEY_OTHER,
                       "key_arn": KEY_OTHER, "key_state": "Disabled", "key_aliases": [],
                       "artifact_digest_claimed": "sha256:" + "cd" * 32},
                      {"present": False}, ABSENT],
        "artifact_sha256_actual": ["ab" * 32, "ef" * 32, ABSENT],
        "age_days": [3, 90, ABSENT],
        "model_card": [{"status": "Approved"}, ABSENT]},
    "AWS::SageMaker::MonitoringSchedule": {"job_definition": [
        {"NetworkConfig": {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True},
         "MonitoringResources": {"ClusterConfig": {"VolumeKmsKeyId": KEY_GOOD}},
         "MonitoringOutputConfig": {"KmsKeyId": KEY_GOOD}},
        {"NetworkConfig": {"EnableNetworkIsolation": False}}, ABSENT, None]},
    "AWS::S3::Bucket": {"tls_only": [True, False, ABSENT, None],
                        "account_public_access_block": [
                            {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                             "RestrictPublicBuckets": True}, {}, ABSENT]},
    "AWS::IAM::Role": {"actions": [
        {"admin_star": False, "passrole_on_star": False, "service_wildcards": [], "privilege_escalation": [],
         "data_exfiltration": [], "write_actions": ["s3:PutObject"]},
        {"admin_star": True, "passrole_on_star": True, "service_wildcards": ["s3", "iam"],
         "privilege_escalation": ["CreateNewPolicyVersion"], "data_exfiltration": ["s3:GetObject"],
         "write_actions": ["iam:CreateUser", "cloudformation:CreateStack"]},
        {"admin_star": False}, {}, ABSENT]},
    "AWS::EC2::VPC": {"endpoints": [[f"com.amazonaws.{REGION}.s3", f"com.amazonaws.{REGION}.sagemaker.api",
                                     f"com.amazonaws.{REGION}.sagemaker.runtime"], [], ABSENT],
                      "hosts_ml_work": [True, False, ABSENT]},
    "AWS::EC2::Subnet": {"routes_to_internet_gateway": [False, True, ABSENT]},
    "AWS::EC2::SecurityGroup": {"open_to_world": [False, True, ABSENT]},
    "AWS::KMS::Key": {"aliases": [["alias/team"], [], ABSENT]},
    "MLW::SageMaker::ServiceUsage": {"usage": [{"model_packages": 10, "endpoints": 5},
                                               {"model_packages": 990, "endpoints": 99}, {}, ABSENT],
                                     "endpoint_instances": [{"ml.m5.large": 2}, {"ml.p4d.24xlarge": 40}, ABSENT]},
}

TAGS = [{"owner": "ml-platform", "project": "fraud", "cost-center": "cc-1", "environment": "prod"},
        {"owner": "ml-platform", "environment": "sandbox"}, {}, {"environment": "PROD", "owner": ""}]

# Settings variants: the shipped defaults, and a restrictive organisation.
SETTINGS_VARIANTS = {
    "defaults": {},
    "strict": {"trusted_kms_keys": [KEY_GOOD], "allowed_instance_types": ["ml.m5.large", "ml.t3.medium"],
               "trusted_image_accounts": [ACCOUNT], "trusted_signing_profiles": ["models"],
               "trusted_signing_keys": [KEY_GOOD], "allowed_gpu_instance_families": ["g5"],
               "drift": {"feature_drift_threshold_percent": 10, "require_bias_monitor": True,
                         "require_feature_attribution_monitor": True},
               "service_catalog": {"approved_portfolios": ["ml-approved"]}},
}

# Resources of these types are created as relation targets too.
RELATED_IDS = {
    "AWS::IAM::Role": ["ml-exec-good", "ml-exec-bad"],
    "AWS::KMS::Key": ["1234abcd-12ab-34cd-56ef-1234567890ab", "99999999-0000-0000-0000-000000000000"],
    "AWS::EC2::Subnet": ["subnet-private", "subnet-public"],
    "AWS::EC2::SecurityGroup": ["sg-closed", "sg-open"],
    "AWS::S3::Bucket": ["ml-good", "ml-bad"],
    "AWS::EC2::VPC": ["vpc-ml"],
    "AWS::SageMaker::EndpointConfig": ["ec-good", "ec-bad"],
    "AWS::SageMaker::ModelPackage": [PACKAGE_GOOD, PACKAGE_BAD],
    "AWS::Signer::SigningProfile": ["models", "other"],
}
RELATIONS = {  # type -> relation name -> candidate references
    "AWS::SageMaker::NotebookInstance": {"role": [ROLE_GOOD, ROLE_BAD], "kms_keys": [KEY_GOOD, KEY_OTHER],
                                         "subnets": ["subnet-private", "subnet-public"],
                                         "security_groups": ["sg-closed", "sg-open"]},
    "MLW::SageMaker::TrainingJob": {"role": [ROLE_GOOD, ROLE_BAD], "kms_keys": [KEY_GOOD, KEY_OTHER],
                                    "subnets": ["subnet-private", "subnet-public"],
                                    "security_groups": ["sg-closed", "sg-open"], "buckets": ["ml-good", "ml-bad"]},
    "MLW::SageMaker::ProcessingJob": {"role": [ROLE_GOOD, ROLE_BAD], "kms_keys": [KEY_GOOD, KEY_OTHER],
                                      "buckets": ["ml-good", "ml-bad"]},
    "AWS::SageMaker::Model": {"role": [ROLE_GOOD, ROLE_BAD], "buckets": ["ml-good", "ml-bad"],
                              "subnets": ["subnet-private", "subnet-public"],
                              "security_groups": ["sg-closed", "sg-open"]},
    "AWS::SageMaker::EndpointConfig": {"kms_keys": [KEY_GOOD, KEY_OTHER], "buckets": ["ml-good", "ml-bad"]},
    "AWS::SageMaker::ModelPackage": {"buckets": ["ml-good", "ml-bad"], "signing_profiles": ["models", "other"]},
    "AWS::SageMaker::Domain": {"role": [ROLE_GOOD, ROLE_BAD], "kms_keys": [KEY_GOOD, KEY_OTHER],
                               "subnets": ["subnet-private", "subnet-public"],
                               "security_groups": ["sg-closed", "sg-open"], "vpc": ["vpc-ml"]},
    "AWS::SageMaker::Pipeline": {"role": [ROLE_GOOD, ROLE_BAD]},
    "AWS::SageMaker::Endpoint": {"endpoint_config": ["ec-good", "ec-bad"],
                                 "model_packages": [PACKAGE_GOOD, PACKAGE_BAD]},
}


def _draw(spec: Any, rng: random.Random, pick) -> Any:
    if isinstance(spec, dict):
        out = {}
        for k, sub in spec.items():
            v = _draw(sub, rng, pick)
            if v is not ABSENT:
                out[k] = v
        return out
    return pick(list(spec), rng)


def _random(choices: list, rng: random.Random) -> Any:
    # Mostly the compliant value, so a resource usually fails on a few fields only.
    return choices[0] if rng.random() < 0.5 else rng.choice(choices)


def _doc(rtype: str, rid: str, props: dict, facts: dict, tags: dict, relations: dict) -> Resource:
    service = rtype.split("::")[1].lower()
    arn = (f"arn:aws:{service}:{REGION}:{ACCOUNT}:{rtype.split('::')[2].lower()}/{rid}"
           if not rid.startswith("arn:") else rid)
    # As a live scan's derivations leave it: every derived facet of the type filled
    # (an absent one blocks the policies that declare it, scanner/evaluate.py: facet_blocks).
    from mlwarden.facet_catalogue import derived_facet_names
    from mlwarden.model import READ
    return Resource(type=rtype, id=rid, arn=arn, account=ACCOUNT, region=REGION, tags=tags,
                    properties=props, facts=facts, relations=relations,
                    facets={name: READ for name in sorted(derived_facet_names(rtype))})


# Facts added after the inventory's draws were settled: drawn from a generator of their
# own, so adding one leaves every other field's draw (and what the conformance tests
# cover) as it was.
LATE_FACTS = {"variant_artifacts", "drift_response", "drift_constraints", "provenance", "templates"}


# Fields added to a type after its draws were fixed: drawn from a generator of their own,
# so the random inventory's other draws stay what they were.
LATE_PROPS = {"InstanceMetadataServiceConfiguration"}


def resource(rtype: str, rid: str, rng: random.Random) -> Resource:
    props = _draw({k: v for k, v in SPECS[rtype].items() if k not in LATE_PROPS}, rng, _random)
    props.update(_draw({k: v for k, v in SPECS[rtype].items() if k in LATE_PROPS},
                       random.Random(f"{rid}/late-props"), _random))
    spec = FACTS.get(rtype, {})
    facts = _draw({k: v for k, v in spec.items() if k not in LATE_FACTS}, rng, _random)
    late = random.Random(f"{rid}/late")
    facts.update(_draw({k: v for k, v in spec.items() if k in LATE_FACTS}, late, _random))
    relations = {name: [rng.choice(refs)] for name, refs in RELATIONS.get(rtype, {}).items()
                 if rng.random() < 0.9}
    if rtype == "AWS::KMS::Key":
        props.setdefault("KeyId", rid)
    return _doc(rtype, rid, props, facts, rng.choice(TAGS), relations)


def inventory(n: int, seed: int = 7) -> Inventory:
    """About `n` resources of every type, the relation targets first."""
    rng = random.Random(seed)
    resources: list[Resource] = []
    for rtype, ids in RELATED_IDS.items():
        for rid in ids:
            r = resource(rtype, rid, rng)
            if rtype == "AWS::KMS::Key":  # keep the relation targets healthy and findable
                r.arn = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/{rid}"
            if rtype == "AWS::IAM::Role":
                r.arn = f"arn:aws:iam::{ACCOUNT}:role/{rid}"
            resources.append(r)
    types = sorted(SPECS)
    i = 0
    while len(resources) < n:
        rtype = types[i % len(types)]
        # One generator per resource, seeded by its type and number: adding a type to SPECS
        # leaves every other type's resources as they were.
        k = i // len(types)
        own = random.Random(f"{seed}/{rtype}/{k}")
        # The id (which seeds the late draws) by type and number too, not by position.
        resources.append(resource(rtype, f"{rtype.split('::')[2].lower()}-{k:05d}", own))
        i += 1
    return Inventory(resources=resources, gaps=[], accounts=[ACCOUNT], regions=[REGION])


# --- the fixture corpus ------------------------------------------------------------------

def _first(choices: list, rng) -> Any:
    return choices[0]


def _second(choices: list, rng) -> Any:
    return choices[1] if len(choices) > 1 else choices[0]


def _absent(choices: list, rng) -> Any:
    return ABSENT


def _null(choices: list, rng) -> Any:
    return None


def _empty(choices: list, rng) -> Any:
    """The empty value of the field's own shape: {} for an object, [] for a list, ""."""
    good = choices[0]
    return {} if isinstance(good, dict) else [] if isinstance(good, list) else "" if isinstance(good, str) else ABSENT


def _wrong_type(choices: list, rng) -> Any:
    """A value of another shape (a string for an object, an object for a string)."""
    good = choices[0]
    return "yes" if isinstance(good, (dict, list, bool)) else {"unexpected": True}


# Variants whose inputs a policy must judge without an evaluation error, and one
# (wrong_type) where an ERROR verdict is acceptable, as long as both engines agree.
VARIANTS = {"compliant": _first, "non_compliant": _second, "absent": _absent, "null": _null,
            "empty": _empty, "wrong_type": _wrong_type}
ERROR_TOLERANT_VARIANTS = {"wrong_type"}


def fixture_cases(rtype: str) -> list[dict]:
    """Deterministic inputs for one type: each variant x each settings variant."""
    cases = []
    for vname, pick in VARIANTS.items():
        props = _draw(SPECS[rtype], None, pick)
        facts = _draw(FACTS.get(rtype, {}), None, pick)
        tags = TAGS[0] if vname == "compliant" else TAGS[1 + len(cases) % 3]
        related, missing = {}, {}
        for name, refs in RELATIONS.get(rtype, {}).items():
            ref = refs[0] if vname == "compliant" else refs[-1]
            if vname in ("absent", "null", "wrong_type"):
                missing[name] = [ref]
            else:
                kind = next(t for t, ids in RELATED_IDS.items() if any(ref.endswith(x) for x in ids))
                rid = next(x for x in RELATED_IDS[kind] if ref.endswith(x))
                pick_related = _first if rid == RELATED_IDS[kind][0] else _second
                doc = _doc(kind, rid, _draw(SPECS[kind], None, pick_related),
                           _draw(FACTS.get(kind, {}), None, pick_related), TAGS[0], {}).to_dict()
                doc.pop("relations", None)
                related[name] = [doc]
        resource_doc = _doc(rtype, f"{vname}-{rtype.split('::')[2].lower()}", props, facts, tags, {}).to_dict()
        resource_doc.pop("relations", None)
        account = {"id": ACCOUNT, "region": REGION}
        if rtype == "MLW::SageMaker::ServiceUsage":  # as evaluate.py builds the account document
            account = {**account, **facts, "quotas": props.get("Quotas", {})}
        for sname in SETTINGS_VARIANTS:
            cases.append({"name": f"{vname}/{sname}", "settings": sname, "input": {
                "resource": resource_doc, "related": related, "related_missing": missing,
                "account": account}})
    return cases


FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "conformance"


def write_fixtures(directory: Path = FIXTURE_DIR) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rtype in sorted(SPECS):
        path = directory / f"generated_{rtype.replace('::', '_').lower()}.json"
        path.write_text(json.dumps({"type": rtype, "cases": fixture_cases(rtype)}, indent=1) + "\n")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_fixtures():
        print(p)
