"""The demo estate: a realistic ML team's AWS account, seeded through boto3.

Everything here goes through the public AWS API (boto3 against the local moto
server), exactly as a team's own tooling would have created it, so the scan that
follows reads it back through the same calls a real account answers. The few
things the API cannot produce on a stand-in (a training job that ran for 30 hours,
a job that failed, a 60 GB model artefact) are set by `moto_extensions.backdate_*` and
`moto_extensions.fake_object_size`, clearly separated.

The estate is deliberately mixed: for every policy category there is something
compliant and something that is not, so the report shows both PASS and FAIL.

    seed(endpoint_url)  ->  Estate (names of what was created, for tests and docs)
"""
from __future__ import annotations

import base64
import hashlib
import json
from typing import Iterable

from .estate_base import (DEMO_ACCOUNT, DEMO_REGION, DEV_TAGS, LLM_IMAGE, MONITOR_IMAGE, SKLEARN_IMAGE, TEAM_TAGS,
                          XGB_IMAGE, Clients, Estate, data_quality_schedule, encrypted_capture, isolated_package_model,
                          model_tarball, tag_list, tls_only_policy)
from .estate_catalog import seed_catalog
from .estate_components import seed_inference_components
from .estate_drift import seed_drift_response
from .functions import seed_functions
from .registry_account import seed_registry_account

# How many model packages the registry holds. The demo settings set the registry
# quota to 25, so 23 packages (92 %) is over the 80 % headroom threshold.
PACKAGE_COUNT = 23


def seed(endpoint_url: str, regions: Iterable[str] = (DEMO_REGION,),
         account: str = DEMO_ACCOUNT) -> Estate:
    """Create the demo estate on the AWS-compatible endpoint. Returns what was made.

    The main estate lives in the first region; every further region gets a small
    sandbox (a forgotten notebook), so a multi-region scan has something to find.
    A second account, the organisation's central model registry, holds a package one
    of this account's endpoints serves (`registry_account.py`).
    The endpoint must be this process's moto server (`MotoServer`, with
    `moto_extensions.install()` done first): job histories are set on its backend.
    """
    regions = list(regions)
    region = regions[0]
    c = Clients(endpoint_url, region)
    e = Estate(account=account, region=region)
    _kms(c, e)
    _s3(c, e)
    _iam(c, e)
    _network(c, e)
    _signer(c, e)
    _notebooks(c, e)
    _jobs(c, e)
    _registry(c, e)
    _serving(c, e)
    seed_inference_components(c, e, LLM_IMAGE)
    _pipeline_and_domain(c, e)
    seed_functions(c("lambda"), e, TEAM_TAGS)
    seed_catalog(c, e)
    seed_registry_account(c, e)
    seed_drift_response(c, e)
    for other in regions[1:]:
        _sandbox(Clients(endpoint_url, other), e, other)
    return e


# --- KMS ------------------------------------------------------------------------------

def _kms(c: Clients, e: Estate) -> None:
    kms = c("kms")
    specs = [
        # (story, alias, rotation, description)
        ("ml-data", "alias/ml-data", True, "Encrypts the ML data lake and training volumes"),
        ("ml-serving", "alias/ml-serving", True, "Encrypts endpoint storage and captured data"),
        ("legacy", "alias/legacy-notebooks", False, "Old notebook key, rotation never enabled"),
    ]
    for story, alias, rotation, description in specs:
        key = kms.create_key(Description=description, KeyUsage="ENCRYPT_DECRYPT",
                             Tags=[{"TagKey": k, "TagValue": v} for k, v in TEAM_TAGS.items()])
        arn = key["KeyMetadata"]["Arn"]
        kms.create_alias(AliasName=alias, TargetKeyId=key["KeyMetadata"]["KeyId"])
        if rotation:
            kms.enable_key_rotation(KeyId=key["KeyMetadata"]["KeyId"])
        e.kms_keys[story] = arn
    # The release pipeline's signing key (ECC, sign/verify; asymmetric keys do not rotate).
    key = kms.create_key(Description="Signs model artefact digests (mlwarden sign)",
                         KeyUsage="SIGN_VERIFY", KeySpec="ECC_NIST_P256",
                         Tags=[{"TagKey": k, "TagValue": v} for k, v in TEAM_TAGS.items()])
    kms.create_alias(AliasName="alias/ml-model-signing", TargetKeyId=key["KeyMetadata"]["KeyId"])
    e.kms_keys["signing"] = key["KeyMetadata"]["Arn"]


# --- S3 -------------------------------------------------------------------------------

def _s3(c: Clients, e: Estate) -> None:
    s3 = c("s3")
    loc = {} if e.region == "us-east-1" else {
        "CreateBucketConfiguration": {"LocationConstraint": e.region}}
    names = {
        "features": f"acme-ml-features-{e.account}",     # the model citizen
        "datalake": f"acme-ml-datalake-{e.account}",     # model artifacts; no TLS-only policy
        "scratch": f"acme-ml-scratch-{e.account}",       # no SSE-KMS, no versioning, open
    }
    for story, name in names.items():
        s3.create_bucket(Bucket=name, **loc)
        e.buckets[story] = name
    block_all = {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                 "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    kms_rule = {"Rules": [{"ApplyServerSideEncryptionByDefault": {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": e.kms_keys["ml-data"]}, "BucketKeyEnabled": True}]}

    for story in ("features", "datalake"):
        name = names[story]
        s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration=kms_rule)
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
        s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=block_all)
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(TEAM_TAGS)})

    # The scratch bucket: SSE-S3 only, no versioning, no public access block, no owner.
    s3.put_bucket_encryption(Bucket=names["scratch"], ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
    s3.put_bucket_tagging(Bucket=names["scratch"], Tagging={"TagSet": tag_list(
        {"project": "sandbox", "environment": "dev"})})

    # Model artifacts in the data lake. Their digests are what signed packages vouch for.
    for model in ("fraud-xgb/v1", "fraud-xgb/v2", "fraud-xgb/v3", "churn-lgbm/v1", "llm-lora/v1"):
        body = model_tarball(model)
        key = f"models/{model}/model.tar.gz"
        s3.put_object(Bucket=names["datalake"], Key=key, Body=body,
                      ChecksumAlgorithm="SHA256")
        e.artifact_sha256[f"s3://{names['datalake']}/{key}"] = hashlib.sha256(body).hexdigest()
    # Both served models are large (the fraud ensemble ships its embedding tables, the
    # churn model its customer history): S3 reports 62 GB and 55 GB, over the 50 GB at
    # which endpoints must set start-up timeouts. Their digests stay those of the bytes.
    from . import moto_extensions
    for model, size in (("fraud-xgb/v3", 62_000_000_000), ("churn-lgbm/v1", 55_000_000_000)):
        moto_extensions.fake_object_size(e.account, names["datalake"], f"models/{model}/model.tar.gz", size)
    features = b"PAR1 fraud features 2026-11 PAR1"
    s3.put_object(Bucket=names["features"], Key="fraud/features/2026-11.parquet", Body=features)
    e.dataset_sha256 = hashlib.sha256(features).hexdigest()
    # Last: moto evaluates the Bool condition of a TLS-only policy as matching every
    # request (a moto 5.2.5 trap: only StringEquals is really checked), so nothing can be written after it.
    s3.put_bucket_policy(Bucket=names["features"], Policy=tls_only_policy(names["features"]))


# --- IAM ------------------------------------------------------------------------------

def _trust(*services: str, account: str | None = None) -> str:
    principal: dict = {}
    if services:
        principal["Service"] = list(services) if len(services) > 1 else services[0]
    if account:
        principal["AWS"] = f"arn:aws:iam::{account}:root"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}]})


def _iam(c: Clients, e: Estate) -> None:
    iam = c("iam")
    lake, features = e.buckets["datalake"], e.buckets["features"]

    def role(story: str, name: str, trust: str, tags: dict, description: str) -> None:
        r = iam.create_role(RoleName=name, AssumeRolePolicyDocument=trust, Description=description,
                            Tags=tag_list(tags))
        e.roles[story] = r["Role"]["Arn"]

    # 1. Least-privilege execution role: named buckets and key, nothing else.
    role("execution", "SageMakerExecution-fraud", _trust("sagemaker.amazonaws.com"), TEAM_TAGS,
         "Execution role of the fraud team's jobs and endpoints")
    iam.put_role_policy(RoleName="SageMakerExecution-fraud", PolicyName="fraud-data-access",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                             "Resource": [f"arn:aws:s3:::{b}" for b in (lake, features)]
                             + [f"arn:aws:s3:::{b}/*" for b in (lake, features)]},
                            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                             "Resource": [e.kms_keys["ml-data"], e.kms_keys["ml-serving"]]},
                            {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                             "Resource": f"arn:aws:logs:{e.region}:{e.account}:log-group:/aws/sagemaker/*"},
                        ]}))

    # 2. The legacy role everyone reuses: full access, wildcard actions, PassRole on *.
    role("legacy", "SageMakerExecution-legacy", _trust("sagemaker.amazonaws.com"),
         {"owner": "ml-platform", "environment": "prod"},
         "Created in 2021 for a proof of concept; still attached to old jobs")
    iam.attach_role_policy(RoleName="SageMakerExecution-legacy",
                           PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
    iam.put_role_policy(RoleName="SageMakerExecution-legacy", PolicyName="everything",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["s3:*", "ecr:*"], "Resource": "*"},
                            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
                        ]}))

    # 3. A data scientist persona that can write IAM (it must not).
    role("data_scientist", "DataScientist-alice", _trust(account=e.account),
         {"owner": "alice", "project": "fraud-detection", "environment": "dev"},
         "Console role of a data scientist")
    iam.put_role_policy(RoleName="DataScientist-alice", PolicyName="notebook-work",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["sagemaker:CreatePresignedNotebookInstanceUrl",
                                                           "sagemaker:Describe*", "sagemaker:List*"],
                             "Resource": "*"},
                            {"Effect": "Allow", "Action": ["iam:CreateRole", "iam:PutRolePolicy",
                                                           "iam:AttachRolePolicy"],
                             "Resource": f"arn:aws:iam::{e.account}:role/*"},
                        ]}))

    # 4. A batch role whose trust also lets EC2 assume it (a SageMaker role should not).
    role("ec2_trust", "ml-batch-processing", _trust("sagemaker.amazonaws.com", "ec2.amazonaws.com"),
         {"owner": "data-eng", "project": "feature-store", "cost-center": "cc-1234",
          "environment": "prod"},
         "Processing jobs; trust widened for an old EC2 batch host")
    iam.put_role_policy(RoleName="ml-batch-processing", PolicyName="read-lake",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
                             "Resource": [f"arn:aws:s3:::{lake}", f"arn:aws:s3:::{lake}/*"]}]}))


# --- VPC ------------------------------------------------------------------------------

def _network(c: Clients, e: Estate) -> None:
    ec2 = c("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.20.0.0/16", TagSpecifications=[{
        "ResourceType": "vpc", "Tags": tag_list({**TEAM_TAGS, "Name": "ml-vpc"})}])["Vpc"]["VpcId"]
    e.vpc_id = vpc
    azs = [f"{e.region}a", f"{e.region}b"]
    for story, cidr, az in (("private_a", "10.20.1.0/24", azs[0]), ("private_b", "10.20.2.0/24", azs[1]),
                            ("public", "10.20.100.0/24", azs[0])):
        e.subnets[story] = ec2.create_subnet(VpcId=vpc, CidrBlock=cidr, AvailabilityZone=az,
                                             TagSpecifications=[{"ResourceType": "subnet", "Tags": tag_list(
                                                 {"Name": f"ml-{story}"})}])["Subnet"]["SubnetId"]
    # The public subnet routes to an internet gateway; the private ones do not.
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    public_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=public_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=public_rt, SubnetId=e.subnets["public"])
    ec2.modify_subnet_attribute(SubnetId=e.subnets["public"], MapPublicIpOnLaunch={"Value": True})
    private_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for story in ("private_a", "private_b"):
        ec2.associate_route_table(RouteTableId=private_rt, SubnetId=e.subnets[story])

    private_sg = ec2.create_security_group(GroupName="ml-private", Description="SageMaker in the VPC",
                                           VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=private_sg, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
        "IpRanges": [{"CidrIp": "10.20.0.0/16", "Description": "HTTPS inside the VPC"}]}])
    open_sg = ec2.create_security_group(GroupName="ml-notebook-open", VpcId=vpc,
                                        Description="Opened for a Jupyter demo and never closed")["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=open_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 8888, "ToPort": 8888,
         "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "Jupyter from anywhere"}]},
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    e.security_groups = {"private": private_sg, "open": open_sg}

    # Private access to SageMaker and S3 without the internet.
    for service, kind in (("sagemaker.api", "Interface"), ("sagemaker.runtime", "Interface"),
                          ("s3", "Gateway")):
        args = {"VpcId": vpc, "ServiceName": f"com.amazonaws.{e.region}.{service}",
                "VpcEndpointType": kind}
        if kind == "Interface":
            args |= {"SubnetIds": [e.subnets["private_a"], e.subnets["private_b"]],
                     "SecurityGroupIds": [private_sg], "PrivateDnsEnabled": True}
        else:
            args |= {"RouteTableIds": [private_rt]}
        e.vpc_endpoints.append(ec2.create_vpc_endpoint(**args)["VpcEndpoint"]["VpcEndpointId"])


# --- Signer ---------------------------------------------------------------------------

SIGNING_PROFILE = "mlwarden_model_signing"


def _signer(c: Clients, e: Estate) -> None:
    signer = c("signer")
    signer.put_signing_profile(profileName=SIGNING_PROFILE, platformId="AWSLambda-SHA384-ECDSA",
                               signatureValidityPeriod={"value": 12, "type": "MONTHS"},
                               tags=TEAM_TAGS)
    e.signing_profiles.append(SIGNING_PROFILE)


# --- SageMaker: notebooks and jobs ----------------------------------------------------

def _notebooks(c: Clients, e: Estate) -> None:
    sm = c("sagemaker")
    sm.create_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName="idle-shutdown",
        OnStart=[{"Content": "IyEvYmluL2Jhc2gKZWNobyBpZGxlLXNodXRkb3du"}])  # base64 '#!/bin/bash…'
    # Left over from a GPU experiment, used by no notebook: a hard-coded access key in its
    # OnCreate script (MLW-IAM-009; the key is a made-up one, and redacted in every output).
    sm.create_notebook_instance_lifecycle_config(
        NotebookInstanceLifecycleConfigName="gpu-setup",
        OnCreate=[{"Content": base64.b64encode(b"#!/bin/bash\nexport AWS_ACCESS_KEY_ID=AKIAZ7DEMOLEAKEDKEY9\n"
                                               b"pip install --quiet bitsandbytes\n").decode()}])
    sm.create_notebook_instance(
        NotebookInstanceName="fraud-research", InstanceType="ml.t3.large",
        RoleArn=e.roles["execution"], KmsKeyId=e.kms_keys["ml-data"],
        SubnetId=e.subnets["private_a"], SecurityGroupIds=[e.security_groups["private"]],
        DirectInternetAccess="Disabled", RootAccess="Disabled",
        InstanceMetadataServiceConfiguration={"MinimumInstanceMetadataServiceVersion": "2"},
        LifecycleConfigName="idle-shutdown", Tags=tag_list(TEAM_TAGS))
    # The quick one someone made on a Friday: internet, root, IMDSv1, no key, legacy role, no owner.
    sm.create_notebook_instance(
        NotebookInstanceName="llm-playground", InstanceType="ml.p3.2xlarge",
        RoleArn=e.roles["legacy"], DirectInternetAccess="Enabled", RootAccess="Enabled",
        Tags=tag_list({"project": "llm-assistant", "environment": "dev"}))
    e.notebooks += ["fraud-research", "llm-playground"]


def _jobs(c: Clients, e: Estate) -> None:
    from . import moto_extensions

    sm = c("sagemaker")
    lake = e.buckets["datalake"]
    private_vpc = {"SecurityGroupIds": [e.security_groups["private"]],
                   "Subnets": [e.subnets["private_a"], e.subnets["private_b"]]}

    def training(name: str, *, role: str, image: str, instance: str, max_runtime: int,
                 tags: dict, secure: bool, checkpoint: bool) -> None:
        args = dict(
            TrainingJobName=name, RoleArn=role,
            AlgorithmSpecification={"TrainingImage": image, "TrainingInputMode": "File"},
            InputDataConfig=[{"ChannelName": "train", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": f"s3://{e.buckets['features']}/fraud/features/"}}}],
            OutputDataConfig={"S3OutputPath": f"s3://{lake}/training-output/"},
            ResourceConfig={"InstanceType": instance, "InstanceCount": 1, "VolumeSizeInGB": 50},
            StoppingCondition={"MaxRuntimeInSeconds": max_runtime}, Tags=tag_list(tags))
        if secure:
            args["OutputDataConfig"]["KmsKeyId"] = e.kms_keys["ml-data"]
            args["ResourceConfig"]["VolumeKmsKeyId"] = e.kms_keys["ml-data"]
            args |= {"VpcConfig": private_vpc, "EnableNetworkIsolation": True,
                     "EnableInterContainerTrafficEncryption": True}
        if checkpoint:
            args["CheckpointConfig"] = {"S3Uri": f"s3://{lake}/checkpoints/{name}/"}
        sm.create_training_job(**args)
        e.training_jobs.append(name)

    training("fraud-xgb-2026-11-20", role=e.roles["execution"], image=XGB_IMAGE,
             instance="ml.m5.2xlarge", max_runtime=3 * 3600, tags=TEAM_TAGS, secure=True,
             checkpoint=True)
    # 30 hours on 8 GPUs, no checkpoints, no encryption, no VPC: one spot interruption
    # from losing it all.
    training("llm-finetune-2026-11-18", role=e.roles["legacy"], image=LLM_IMAGE,
             instance="ml.p4d.24xlarge", max_runtime=5 * 86400, tags=DEV_TAGS, secure=False,
             checkpoint=False)
    training("churn-lgbm-2026-11-25", role=e.roles["execution"], image=SKLEARN_IMAGE,
             instance="ml.m5.xlarge", max_runtime=3600,
             tags={"owner": "growth-ml", "project": "churn", "environment": "prod"},
             secure=True, checkpoint=False)
    moto_extensions.backdate_training_job(e.account, e.region, "llm-finetune-2026-11-18",
                                          hours=30, status="Completed")
    moto_extensions.backdate_training_job(e.account, e.region, "fraud-xgb-2026-11-20",
                                          hours=2, status="Completed")
    moto_extensions.backdate_training_job(e.account, e.region, "churn-lgbm-2026-11-25",
                                          hours=0.5, status="Failed",
                                          reason="AlgorithmError: out of memory on ml.m5.xlarge")

    def processing(name: str, *, role: str, secure: bool, tags: dict) -> None:
        args = dict(
            ProcessingJobName=name, RoleArn=role,
            AppSpecification={"ImageUri": SKLEARN_IMAGE, "ContainerEntrypoint": ["python3", "prep.py"]},
            ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                                   "VolumeSizeInGB": 30}},
            ProcessingInputs=[{"InputName": "raw", "S3Input": {
                "S3Uri": f"s3://{lake}/raw/", "LocalPath": "/opt/ml/processing/input",
                "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
            ProcessingOutputConfig={"Outputs": [{"OutputName": "features", "S3Output": {
                "S3Uri": f"s3://{e.buckets['features']}/fraud/features/",
                "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]},
            StoppingCondition={"MaxRuntimeInSeconds": 3600}, Tags=tag_list(tags))
        if secure:
            args["ProcessingResources"]["ClusterConfig"]["VolumeKmsKeyId"] = e.kms_keys["ml-data"]
            args["ProcessingOutputConfig"]["KmsKeyId"] = e.kms_keys["ml-data"]
            args["NetworkConfig"] = {"EnableNetworkIsolation": True,
                                     "EnableInterContainerTrafficEncryption": True,
                                     "VpcConfig": private_vpc}
        sm.create_processing_job(**args)
        e.processing_jobs.append(name)

    processing("fraud-features-2026-11-20", role=e.roles["execution"], secure=True, tags=TEAM_TAGS)
    processing("lake-backfill-2026-11-02", role=e.roles["ec2_trust"], secure=False,
               tags={"owner": "data-eng", "project": "feature-store", "environment": "prod"})


# --- Model Registry -------------------------------------------------------------------

def _registry(c: Clients, e: Estate) -> None:
    sm = c("sagemaker")
    lake = e.buckets["datalake"]
    groups = {
        "fraud-detection": "Card-fraud scoring models",
        "churn-prediction": "Customer churn models",
        "llm-assistant": "Fine-tuned assistant adapters",
    }
    for name, description in groups.items():
        sm.create_model_package_group(ModelPackageGroupName=name, ModelPackageGroupDescription=description,
                                      Tags=tag_list(TEAM_TAGS if name != "llm-assistant" else DEV_TAGS))
        e.model_package_groups.append(name)

    def package(group: str, artifact: str, image: str, status: str, metadata: dict, *,
                metrics: bool = True, approval: str | None = None,
                stages: tuple[tuple[str, str | None], ...] = ()) -> str:
        extra = {"ModelMetrics": {"ModelQuality": {"Statistics": {
            "ContentType": "application/json",
            "S3Uri": f"{artifact.rsplit('/', 1)[0]}/evaluation.json"}}}} if metrics else {}
        arn = sm.create_model_package(
            ModelPackageGroupName=group, ModelPackageDescription=f"{group} from {artifact}",
            ModelApprovalStatus="PendingManualApproval" if approval else status,
            InferenceSpecification={"Containers": [{"Image": image, "ModelDataUrl": artifact}],
                                    "SupportedContentTypes": ["text/csv"],
                                    "SupportedResponseMIMETypes": ["text/csv"]},
            CustomerMetadataProperties=metadata, **extra, **_life_cycle(stages[:1]))["ModelPackageArn"]
        if approval:
            # A reviewer approves with a reason (metadata passed again: UpdateModelPackage
            # replaces CustomerMetadataProperties in moto 5.2.5).
            sm.update_model_package(ModelPackageArn=arn, ModelApprovalStatus=status,
                                    ApprovalDescription=approval, CustomerMetadataProperties=metadata)
        # Promotions through the lifecycle stages, each an update that records who and why.
        for promotion in stages[1:]:
            sm.update_model_package(ModelPackageArn=arn, CustomerMetadataProperties=metadata,
                                    **_life_cycle((promotion,)))
        e.package_count += 1
        return arn

    def uri(model: str) -> str:
        return f"s3://{lake}/models/{model}/model.tar.gz"

    audit = {"dataset_hash": f"sha256:{e.dataset_sha256}", "training_job": "fraud-xgb-2026-11-20",
             "framework": "xgboost-1.7"}
    # History: many superseded versions (they count against the registry quota). The
    # churn team records neither evaluation metrics nor a real data set digest.
    # Of the churn team's approved packages, one sits in a "Staging" stage nobody defined,
    # the others carry no lifecycle stage at all.
    for i in range(PACKAGE_COUNT - 4):
        if i % 2 == 0:
            package("fraud-detection", uri("fraud-xgb/v1"), XGB_IMAGE, "Rejected", dict(audit))
        else:
            package("churn-prediction", uri("churn-lgbm/v1"), SKLEARN_IMAGE,
                    "Approved" if i % 3 == 0 else "Rejected",
                    {**audit, "dataset_hash": "latest", "training_job": "churn-manual"},
                    metrics=False,
                    stages=(("Staging", "Load test before the campaign launch"),) if i == 3 else ())

    # Approved and signed: the signature vouches for the artifact's real digest.
    signed_uri = uri("fraud-xgb/v3")
    e.model_packages["approved_signed"] = package(
        "fraud-detection", signed_uri, XGB_IMAGE, "Approved",
        {**audit, **_sign(c, e, e.artifact_sha256[signed_uri])}, approval="Offline evaluation AUC 0.97 on the November holdout; reviewed by risk (RISK-2211)",
        stages=(("DEV", "Retrained on the November features"),
                ("QA", "Shadow traffic for a week: no drift against v2"),
                ("PROD", "Promoted by the model risk board (CAB-1142)")))
    # Approved but never signed: deployable, unverifiable.
    e.model_packages["approved_unsigned"] = package(
        "fraud-detection", uri("fraud-xgb/v2"), XGB_IMAGE, "Approved", dict(audit),
        stages=(("QA", "Kept in QA as the fallback for v3"),))
    # Approved and validly signed, but over another digest than the artefact now in S3
    # (the artefact was replaced after signing).
    e.model_packages["approved_tampered"] = package(
        "churn-prediction", uri("churn-lgbm/v1"), SKLEARN_IMAGE, "Approved",
        {**audit, "training_job": "churn-lgbm-2026-11-25",
         **_sign(c, e, hashlib.sha256(b"the churn model as it was reviewed").hexdigest())},
        metrics=False, approval="Approved by the churn team",
        stages=(("PROD", None),))   # promoted to PROD, saying neither why nor on whose word
    # Waiting for a reviewer, without the metadata auditors ask for.
    e.model_packages["pending"] = package(
        "llm-assistant", uri("llm-lora/v1"), LLM_IMAGE, "PendingManualApproval", {"framework": "peft"},
        metrics=False, stages=(("DEV", "First LoRA adapter, under evaluation"),))


def _life_cycle(stages: tuple[tuple[str, str | None], ...]) -> dict:
    """The ModelLifeCycle member of CreateModelPackage / UpdateModelPackage for a stage."""
    if not stages:
        return {}
    stage, description = stages[0]
    cycle = {"Stage": stage, "StageStatus": "Approved"}
    if description:
        cycle["StageDescription"] = description
    return {"ModelLifeCycle": cycle}


def _sign(c: Clients, e: Estate, digest: str) -> dict[str, str]:
    """What `mlwarden sign` records on a package: KMS Sign (ECDSA_SHA_256, RAW) over the
    artefact's hex SHA-256 as ASCII, the key that signed and the Signer profile of the
    release process."""
    sig = c("kms").sign(KeyId=e.kms_keys["signing"], Message=digest.encode("ascii"),
                        MessageType="RAW", SigningAlgorithm="ECDSA_SHA_256")["Signature"]
    return {"mlwarden:signature": base64.b64encode(sig).decode(),
            "mlwarden:signing-key": e.kms_keys["signing"],
            "mlwarden:signing-profile": SIGNING_PROFILE,
            "mlwarden:artifact-sha256": digest}


# --- SageMaker: serving ---------------------------------------------------------------

def _serving(c: Clients, e: Estate) -> None:
    sm = c("sagemaker")
    lake = e.buckets["datalake"]
    isolated_package_model(sm, e, "fraud-xgb-v3", e.model_packages["approved_signed"])
    sm.create_model(
        ModelName="churn-lgbm-v1", ExecutionRoleArn=e.roles["legacy"],
        PrimaryContainer={"Image": SKLEARN_IMAGE,
                          "ModelDataUrl": f"s3://{lake}/models/churn-lgbm/v1/model.tar.gz"},
        Tags=tag_list({"owner": "growth-ml", "project": "churn", "environment": "prod"}))
    e.models += ["fraud-xgb-v3", "churn-lgbm-v1"]

    sm.create_endpoint_config(
        EndpointConfigName="fraud-xgb-v3-config", KmsKeyId=e.kms_keys["ml-serving"],
        # Sized for the 62 GB artefact: download and health-check timeouts that fit it.
        ProductionVariants=[{"VariantName": "primary", "ModelName": "fraud-xgb-v3",
                             "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2,
                             "InitialVariantWeight": 1.0, "ModelDataDownloadTimeoutInSeconds": 3600,
                             "ContainerStartupHealthCheckTimeoutInSeconds": 1800}],
        DataCaptureConfig=encrypted_capture(e, f"s3://{lake}/data-capture/fraud/"),
        Tags=tag_list(TEAM_TAGS))
    sm.create_endpoint_config(
        EndpointConfigName="churn-lgbm-v1-config",
        ProductionVariants=[{"VariantName": "primary", "ModelName": "churn-lgbm-v1",
                             "InstanceType": "ml.c5.large", "InitialInstanceCount": 1,
                             "InitialVariantWeight": 1.0}],
        Tags=tag_list({"owner": "growth-ml", "project": "churn", "environment": "prod"}))
    e.endpoint_configs += ["fraud-xgb-v3-config", "churn-lgbm-v1-config"]

    sm.create_endpoint(EndpointName="fraud-scoring-prod", EndpointConfigName="fraud-xgb-v3-config",
                       Tags=tag_list(TEAM_TAGS))
    sm.create_endpoint(EndpointName="churn-scoring-prod", EndpointConfigName="churn-lgbm-v1-config",
                       Tags=tag_list({"owner": "growth-ml", "project": "churn", "environment": "prod"}))
    e.endpoints += ["fraud-scoring-prod", "churn-scoring-prod"]

    # The fraud endpoint is watched for data drift; the churn endpoint is not.
    data_quality_schedule(sm, e, "fraud-scoring-data-quality", endpoint="fraud-scoring-prod",
                          output=f"s3://{lake}/monitoring/fraud/",
                          constraints=f"s3://{lake}/monitoring/baselines/fraud-scoring-prod/constraints.json")
    _monitoring_job_definitions(c, e)


def _monitoring_job_definitions(c: Clients, e: Estate) -> None:
    """The separately defined monitoring jobs (the usual Terraform/CDK pattern): the fraud
    model-quality and explainability definitions are locked down; the fraud bias definition
    (two instances, no encryption, no isolation) and the churn data-quality definition are
    not. Two schedules name their definitions and are judged by them."""
    sm = c("sagemaker")
    lake, key = e.buckets["datalake"], e.kms_keys["ml-serving"]
    vpc = {"SecurityGroupIds": [e.security_groups["private"]], "Subnets": [e.subnets["private_a"]]}
    clarify = "306415355426.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-clarify-processing:1.0"
    monitor = "468650794304.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-model-monitor-analyzer"

    def define(kind: str, name: str, *, endpoint: str, secure: bool, instances: int, app: dict,
               tags: dict, ground_truth: bool = False) -> None:
        output = {"MonitoringOutputs": [{"S3Output": {"S3Uri": f"s3://{lake}/monitoring/{name}/",
                                                      "LocalPath": "/opt/ml/processing/output"}}]}
        cluster = {"InstanceCount": instances, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}
        job_input = {"EndpointInput": {"EndpointName": endpoint, "LocalPath": "/opt/ml/processing/input"}}
        if ground_truth:
            job_input["GroundTruthS3Input"] = {"S3Uri": f"s3://{lake}/ground-truth/{endpoint}/"}
        request = {"JobDefinitionName": name, "RoleArn": e.roles["execution"],
                   f"{kind}AppSpecification": app, f"{kind}JobInput": job_input, "Tags": tag_list(tags)}
        if secure:
            output["KmsKeyId"] = cluster["VolumeKmsKeyId"] = key
            request["NetworkConfig"] = {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
                                        "VpcConfig": vpc}
        request[f"{kind}JobOutputConfig"], request["JobResources"] = output, {"ClusterConfig": cluster}
        snake = "".join("_" + ch.lower() if ch.isupper() else ch for ch in kind).lstrip("_")
        getattr(sm, f"create_{snake}_job_definition")(**request)
        e.job_definitions.append(name)

    churn_tags = {"owner": "growth-ml", "project": "churn", "environment": "prod"}
    define("ModelQuality", "fraud-model-quality", endpoint="fraud-scoring-prod", secure=True, instances=1,
           app={"ImageUri": monitor, "ProblemType": "BinaryClassification"}, tags=TEAM_TAGS, ground_truth=True)
    define("ModelExplainability", "fraud-explainability", endpoint="fraud-scoring-prod", secure=True, instances=1,
           app={"ImageUri": clarify, "ConfigUri": f"s3://{lake}/monitoring/clarify/shap.json"}, tags=TEAM_TAGS)
    define("ModelBias", "fraud-bias", endpoint="fraud-scoring-prod", secure=False, instances=2,
           app={"ImageUri": clarify, "ConfigUri": f"s3://{lake}/monitoring/clarify/bias.json"}, tags=TEAM_TAGS,
           ground_truth=True)
    define("DataQuality", "churn-data-quality", endpoint="churn-scoring-prod", secure=False, instances=1,
           app={"ImageUri": monitor}, tags=churn_tags)
    for schedule, definition, kind in (("fraud-scoring-model-quality", "fraud-model-quality", "ModelQuality"),
                                       ("fraud-scoring-bias", "fraud-bias", "ModelBias")):
        sm.create_monitoring_schedule(
            MonitoringScheduleName=schedule, Tags=tag_list(TEAM_TAGS),
            MonitoringScheduleConfig={"ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
                                      "MonitoringType": kind, "MonitoringJobDefinitionName": definition})
        e.monitoring_schedules.append(schedule)


def _pipeline_and_domain(c: Clients, e: Estate) -> None:
    sm = c("sagemaker")
    lake = e.buckets["datalake"]
    definition = {
        "Version": "2020-12-01",
        "Parameters": [{"Name": "InputData", "Type": "String",
                        "DefaultValue": f"s3://{lake}/raw/"}],
        "Steps": [
            {"Name": "Prepare", "Type": "Processing", "Arguments": {
                "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge",
                                                          "InstanceCount": 1, "VolumeSizeInGB": 30}},
                "AppSpecification": {"ImageUri": SKLEARN_IMAGE},
                "RoleArn": e.roles["execution"]}},
            {"Name": "Train", "Type": "Training", "Arguments": {
                "AlgorithmSpecification": {"TrainingImage": XGB_IMAGE, "TrainingInputMode": "File"},
                "OutputDataConfig": {"S3OutputPath": f"s3://{lake}/pipeline-output/"},
                "ResourceConfig": {"InstanceType": "ml.m5.2xlarge", "InstanceCount": 1,
                                   "VolumeSizeInGB": 50},
                "StoppingCondition": {"MaxRuntimeInSeconds": 7200},
                "RoleArn": e.roles["execution"]}},
            # The gate: the retrained model's quality is checked against the baseline
            # before it is registered (the step fails the run on a violation).
            {"Name": "CheckModelQuality", "Type": "QualityCheck", "DependsOn": ["Train"],
             "CheckType": "MODEL_QUALITY", "SkipCheck": False, "RegisterNewBaseline": False,
             "ModelPackageGroupName": "fraud-detection", "Arguments": {
                 "ProcessingResources": {"ClusterConfig": {"InstanceType": "ml.m5.xlarge",
                                                           "InstanceCount": 1, "VolumeSizeInGB": 30}},
                 "AppSpecification": {"ImageUri": MONITOR_IMAGE},
                 "RoleArn": e.roles["execution"]}},
            {"Name": "Register", "Type": "RegisterModel", "DependsOn": ["CheckModelQuality"], "Arguments": {
                "ModelPackageGroupName": "fraud-detection",
                "ModelApprovalStatus": "PendingManualApproval"}},
        ],
    }
    sm.create_pipeline(PipelineName="fraud-retrain-weekly", PipelineDefinition=json.dumps(definition),
                       RoleArn=e.roles["execution"], Tags=tag_list(TEAM_TAGS))
    e.pipelines.append("fraud-retrain-weekly")

    # The churn team retrains by hand and registers straight into Approved: no quality or
    # bias check, no condition on the evaluation, and no stopping condition either.
    adhoc = {
        "Version": "2020-12-01", "Parameters": [],
        "Steps": [
            {"Name": "Train", "Type": "Training", "Arguments": {
                "AlgorithmSpecification": {"TrainingImage": SKLEARN_IMAGE, "TrainingInputMode": "File"},
                "OutputDataConfig": {"S3OutputPath": f"s3://{lake}/churn-output/"},
                "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30},
                "RoleArn": e.roles["legacy"]}},
            {"Name": "Register", "Type": "RegisterModel", "Arguments": {
                "ModelPackageGroupName": "churn-prediction", "ModelApprovalStatus": "Approved",
                "InferenceSpecification": {"Containers": [{
                    "Image": SKLEARN_IMAGE,
                    "ModelDataUrl": {"Get": "Steps.Train.ModelArtifacts.S3ModelArtifacts"}}]}}},
        ],
    }
    sm.create_pipeline(PipelineName="churn-retrain-adhoc", PipelineDefinition=json.dumps(adhoc),
                       RoleArn=e.roles["legacy"],
                       Tags=tag_list({"owner": "growth-ml", "project": "churn", "environment": "prod"}))
    e.pipelines.append("churn-retrain-adhoc")

    domain = sm.create_domain(
        DomainName="ml-studio", AuthMode="IAM",
        DefaultUserSettings={"ExecutionRole": e.roles["legacy"],
                             "SecurityGroups": [e.security_groups["open"]]},
        SubnetIds=[e.subnets["private_a"], e.subnets["private_b"]], VpcId=e.vpc_id,
        AppNetworkAccessType="PublicInternetOnly", Tags=tag_list(DEV_TAGS))
    e.domains.append(domain["DomainArn"].rsplit("/", 1)[-1])


def _sandbox(c: Clients, e: Estate, region: str) -> None:
    """A further region: a forgotten notebook, nothing else."""
    sm = c("sagemaker")
    name = f"sandbox-{region}"
    sm.create_notebook_instance(NotebookInstanceName=name, InstanceType="ml.t3.medium",
                                RoleArn=e.roles["legacy"], Tags=tag_list({"project": "sandbox"}))
    e.notebooks.append(name)
