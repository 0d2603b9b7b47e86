"""Other scanners' own SageMaker test cases, re-expressed in our words (no code or files of
theirs is copied): each case names the test case of checkov or Prowler it mirrors, the
check it exercises there, the verdict that tool gives, and the mlwarden policy that judges
the same property of the same resource.

tests/policies/test_other_scanners_cases.py runs every case through our real paths —
checkov's cases as one CloudFormation template and one Terraform plan through
`scan_iac`, Prowler's as resources created in moto and scanned live — and asserts our
verdict is theirs, or the one a reviewed DISAGREEMENTS entry gives, with its reason.
The `checkov`-marked test runs checkov itself on the same files, so the `theirs` column
cannot drift from what checkov answers.

Sources read: bridgecrewio/checkov at 03d5fdad (2026-08-20) and prowler-cloud/prowler at
3e000faa (2026-08-21). Paths below are in those repositories.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PASS, FAIL = "PASS", "FAIL"
NO_RESULT = "no result"   # the tool reports nothing (checkov's UNKNOWN)

CK_CFN = "checkov:tests/cloudformation/checks/resource/aws/"
CK_TF = "checkov:tests/terraform/checks/resource/aws/"
PR = "prowler:tests/providers/aws/services/sagemaker/"

ACCOUNT = "123456789012"
REGION = "eu-west-1"
KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1111aaaa-11aa-11aa-11aa-111111111111"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/sm-exec"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/monitor:1"


@dataclass(frozen=True, kw_only=True)
class IacCase:
    """One resource of a checkov test case, as a CloudFormation resource or a Terraform
    plan resource; `refs` are Terraform attributes whose value is another plan resource's
    attribute (known after apply), as `kms_key_id = aws_kms_key.k.arn` plans them."""
    rid: str                 # logical id, or Terraform resource name (type is `rtype`)
    mirrors: str             # the test case of theirs: file and resource
    check: str               # their check id
    theirs: str              # their verdict: PASS or FAIL
    policy: str              # the mlwarden policy that judges the same property
    rtype: str
    props: dict[str, Any]
    refs: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class LiveCase:
    """One resource of a Prowler test case, to be created in moto by `build` (a name of a
    builder in the test module) with `args`."""
    rid: str
    mirrors: str
    check: str
    theirs: str
    policy: str
    rtype: str
    build: str
    args: dict[str, Any] = field(default_factory=dict)
    # Cases that need an account-wide setting of their own (S3's account public access
    # block) are scanned in a moto account of their group's.
    group: str = "main"


# --- checkov, CloudFormation ---------------------------------------------------------------

def _dq_def(*, output_key: str | None = None, volume_key: str | None = None,
            network: dict | None = None, instances: int = 1) -> dict:
    """A data quality job definition as checkov's CloudFormation examples write it."""
    output: dict[str, Any] = {"MonitoringOutputs": [{"S3Output": {
        "S3Uri": "s3://monitor-reports/dq", "LocalPath": "/opt/ml/processing/output",
        "S3UploadMode": "EndOfJob"}}]}
    if output_key:
        output["KmsKeyId"] = output_key
    cluster: dict[str, Any] = {"InstanceCount": instances, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 20}
    if volume_key:
        cluster["VolumeKmsKeyId"] = volume_key
    props = {
        "RoleArn": ROLE_ARN,
        "DataQualityAppSpecification": {"ImageUri": IMAGE},
        "DataQualityJobInput": {"EndpointInput": {"EndpointName": "scoring", "LocalPath": "/opt/ml/processing/input"}},
        "DataQualityJobOutputConfig": output,
        "JobResources": {"ClusterConfig": cluster},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    if network is not None:
        props["NetworkConfig"] = network
    return props


_MODEL = {"ExecutionRoleArn": ROLE_ARN,
          "PrimaryContainer": {"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/xgb:1",
                               "ModelDataUrl": "s3://models/xgb/model.tar.gz"}}
_NOTEBOOK = {"InstanceType": "ml.t3.large", "RoleArn": ROLE_ARN}
_DOMAIN = {"DomainName": "studio", "AuthMode": "IAM", "VpcId": "vpc-0a1", "SubnetIds": ["subnet-0a1"],
           "DefaultUserSettings": {"ExecutionRole": ROLE_ARN}}

DQ = "AWS::SageMaker::DataQualityJobDefinition"
NB = "AWS::SageMaker::NotebookInstance"
MODEL = "AWS::SageMaker::Model"
DOMAIN = "AWS::SageMaker::Domain"
EPC = "AWS::SageMaker::EndpointConfig"

CFN_CASES: tuple[IacCase, ...] = (
    # CKV_AWS_367: the report output names a KMS key.
    IacCase(rid="DqOutputKeyAbsent", check="CKV_AWS_367", theirs=FAIL, policy="MLW-ENC-009", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionEncryption/*-FAILED.yaml#MyDataQualityJobDefinitionFail",
            props=_dq_def(volume_key=KEY_ARN)),
    IacCase(rid="DqOutputKeyArn", check="CKV_AWS_367", theirs=PASS, policy="MLW-ENC-009", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionEncryption/*-PASSED.yaml#MyDataQualityJobDefinitionPass",
            props=_dq_def(output_key=KEY_ARN, volume_key=KEY_ARN)),
    # CKV_AWS_368: the cluster's volume names a KMS key.
    IacCase(rid="DqVolumeKeyAbsent", check="CKV_AWS_368", theirs=FAIL, policy="MLW-ENC-010", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionVolumeEncryption/*-FAILED.yaml#MyDataQualityJobDefinitionFail1",
            props=_dq_def(output_key=KEY_ARN)),
    IacCase(rid="DqVolumeKeyAbsentTwoInstances", check="CKV_AWS_368", theirs=FAIL, policy="MLW-ENC-010", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionVolumeEncryption/*-FAILED.yaml#MyDataQualityJobDefinitionFail2",
            props=_dq_def(output_key=KEY_ARN, instances=2)),
    IacCase(rid="DqVolumeKeyArn", check="CKV_AWS_368", theirs=PASS, policy="MLW-ENC-010", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionVolumeEncryption/*-PASSED.yaml#MyDataQualityJobDefinitionPass",
            props=_dq_def(output_key=KEY_ARN, volume_key=KEY_ARN)),
    # CKV_AWS_369: inter-container traffic encryption.
    IacCase(rid="DqTrafficFalse", check="CKV_AWS_369", theirs=FAIL, policy="MLW-ENC-016", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/*-FAILED.yaml#DataQualityJobDefinitionFail1",
            props=_dq_def(network={"EnableInterContainerTrafficEncryption": False})),
    IacCase(rid="DqTrafficAbsent", check="CKV_AWS_369", theirs=FAIL, policy="MLW-ENC-016", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/*-FAILED.yaml#DataQualityJobDefinitionFail2",
            props=_dq_def()),
    IacCase(rid="DqTrafficTrue", check="CKV_AWS_369", theirs=PASS, policy="MLW-ENC-016", rtype=DQ,
            mirrors=CK_CFN + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/*-PASSED.yaml#DataQualityJobDefinitionPass",
            props=_dq_def(network={"EnableInterContainerTrafficEncryption": True})),
    # CKV_AWS_370: model network isolation.
    IacCase(rid="ModelIsolationFalse", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=MODEL,
            mirrors=CK_CFN + "example_SagemakerModelWithNetworkIsolation/*-FAILED.yaml#SageMakerModelFail1",
            props={**_MODEL, "EnableNetworkIsolation": False}),
    IacCase(rid="ModelIsolationAbsent", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=MODEL,
            mirrors=CK_CFN + "example_SagemakerModelWithNetworkIsolation/*-FAILED.yaml#SageMakerModelFail2",
            props=dict(_MODEL)),
    IacCase(rid="ModelIsolationTrue", check="CKV_AWS_370", theirs=PASS, policy="MLW-NET-008", rtype=MODEL,
            mirrors=CK_CFN + "example_SagemakerModelWithNetworkIsolation/*-PASSED.yaml#SageMakerModelPass",
            props={**_MODEL, "EnableNetworkIsolation": True}),
    # CKV_AWS_187: notebook and domain name a KMS key (any value).
    IacCase(rid="NotebookKeyGiven", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors=CK_CFN + "example_SagemakerNotebookEncryptedWithCMK/template.yaml#BasicNotebookInstancePASS",
            props={**_NOTEBOOK, "KmsKeyId": "notebook-key"}),
    IacCase(rid="NotebookKeyAbsent", check="CKV_AWS_187", theirs=FAIL, policy="MLW-ENC-001", rtype=NB,
            mirrors=CK_CFN + "example_SagemakerNotebookEncryptedWithCMK/template.yaml#BasicNotebookInstanceFAIL",
            props=dict(_NOTEBOOK)),
    IacCase(rid="DomainKeyGiven", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-002", rtype=DOMAIN,
            mirrors=CK_CFN + "example_SagemakerNotebookEncryptedWithCMK/template.yaml#BasicDomainPASS",
            props={**_DOMAIN, "KmsKeyId": "domain-key"}),
    IacCase(rid="DomainKeyAbsent", check="CKV_AWS_187", theirs=FAIL, policy="MLW-ENC-002", rtype=DOMAIN,
            mirrors=CK_CFN + "example_SagemakerNotebookEncryptedWithCMK/template.yaml#BasicDomainFAIL",
            props=dict(_DOMAIN)),
    # Property forms their examples do not write but the same checks read: our own
    # additions, so the table shows how both tools treat them (checkov's verdict is
    # still checked by the differential test).
    IacCase(rid="NotebookKeyRef", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors="mlwarden: KmsKeyId as !Ref of a key in the template",
            props={**_NOTEBOOK, "KmsKeyId": {"Ref": "Key"}}),
    IacCase(rid="NotebookKeyGetAtt", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors="mlwarden: KmsKeyId as !GetAtt Key.Arn",
            props={**_NOTEBOOK, "KmsKeyId": {"Fn::GetAtt": ["Key", "Arn"]}}),
    IacCase(rid="NotebookKeyAliasSub", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors="mlwarden: KmsKeyId as !Sub of an alias ARN",
            props={**_NOTEBOOK, "KmsKeyId": {"Fn::Sub": "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/ml-notebooks"}}),
    IacCase(rid="NotebookKeyAwsManaged", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors="mlwarden: KmsKeyId as the AWS managed alias/aws/sagemaker",
            props={**_NOTEBOOK, "KmsKeyId": "alias/aws/sagemaker"}),
    IacCase(rid="NotebookKeyImported", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=NB,
            mirrors="mlwarden: KmsKeyId as Fn::ImportValue (known only at deployment)",
            props={**_NOTEBOOK, "KmsKeyId": {"Fn::ImportValue": "shared-notebook-key"}}),
    IacCase(rid="ModelIsolationImported", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=MODEL,
            mirrors="mlwarden: EnableNetworkIsolation as Fn::ImportValue (known only at deployment)",
            props={**_MODEL, "EnableNetworkIsolation": {"Fn::ImportValue": "isolate-models"}}),
    IacCase(rid="ModelIsolationString", check="CKV_AWS_370", theirs=PASS, policy="MLW-NET-008", rtype=MODEL,
            mirrors="mlwarden: EnableNetworkIsolation as the string \"true\"",
            props={**_MODEL, "EnableNetworkIsolation": "true"}),
    IacCase(rid="DqTrafficString", check="CKV_AWS_369", theirs=PASS, policy="MLW-ENC-016", rtype=DQ,
            mirrors="mlwarden: EnableInterContainerTrafficEncryption as the string \"true\"",
            props=_dq_def(network={"EnableInterContainerTrafficEncryption": "true"})),
    IacCase(rid="ModelIsolationParameter", check="CKV_AWS_370", theirs=PASS, policy="MLW-NET-008", rtype=MODEL,
            mirrors="mlwarden: EnableNetworkIsolation as !Ref of a String parameter defaulting to \"true\"",
            props={**_MODEL, "EnableNetworkIsolation": {"Ref": "Isolate"}}),
    IacCase(rid="ModelIsolationStringFalse", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=MODEL,
            mirrors="mlwarden: EnableNetworkIsolation as the string \"False\"",
            props={**_MODEL, "EnableNetworkIsolation": "False"}),
)

KMS = "AWS::KMS::Key"
_KEY_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "account", "Effect": "Allow", "Principal": {"AWS": {"Fn::Join": ["", ["arn:aws:iam::", {"Ref": "AWS::AccountId"}, ":root"]]}},
    "Action": "kms:*", "Resource": "*"}]}

CFN_CASES += (
    # CKV_AWS_7: customer managed symmetric keys rotate; asymmetric keys are not judged.
    IacCase(rid="SymmetricKeyNoRotation", check="CKV_AWS_7", theirs=FAIL, policy="MLW-ENC-018", rtype=KMS,
            mirrors=CK_CFN + "example_KMSRotation/KMSRotation-FAILED.yml#SymmetricKey",
            props={"Description": "no rotation", "KeyPolicy": _KEY_POLICY}),
    IacCase(rid="SymmetricKeyRotation", check="CKV_AWS_7", theirs=PASS, policy="MLW-ENC-018", rtype=KMS,
            mirrors=CK_CFN + "example_KMSRotation/KMSRotation-PASSED-Symmetric.yml#SymmetricKey",
            props={"Description": "rotates", "KeyPolicy": _KEY_POLICY, "EnableKeyRotation": True}),
    IacCase(rid="AsymmetricKey", check="CKV_AWS_7", theirs=NO_RESULT, policy="MLW-ENC-018", rtype=KMS,
            mirrors=CK_CFN + "example_KMSRotation/KMSRotation-PASSED-Asymmetric.yml#AsymmetricKey",
            props={"Description": "RSA", "KeySpec": "RSA_4096", "KeyUsage": "SIGN_VERIFY", "KeyPolicy": _KEY_POLICY}),
)

S3 = "AWS::S3::Bucket"
_EXAMPLE_S3 = CK_CFN + "S3Templates/ExampleS3.yaml#"   # test_S3Versioning.py: 1 passed, 5 failed
_WEBSITE = {"IndexDocument": "index.html", "ErrorDocument": "error.html"}
_AES = {"ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]}

CFN_CASES += (
    # CKV_AWS_21: versioning Status Enabled.
    IacCase(rid="BucketNoProps", check="CKV_AWS_21", theirs=FAIL, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3BucketNoProps", props={}),
    IacCase(rid="BucketPublicRead", check="CKV_AWS_21", theirs=FAIL, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3BucketPublicRead", props={"AccessControl": "PublicRead", "BucketEncryption": _AES}),
    IacCase(rid="BucketWebsiteKms", check="CKV_AWS_21", theirs=FAIL, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3Bucket",
            props={"AccessControl": "PublicRead", "WebsiteConfiguration": _WEBSITE, "BucketEncryption": {
                "ServerSideEncryptionConfiguration": [{"ServerSideEncryptionByDefault": {
                    "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "site-key"}}]}}),
    IacCase(rid="BucketVersioned", check="CKV_AWS_21", theirs=PASS, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3Bucket2",
            props={"AccessControl": "PublicReadWrite", "VersioningConfiguration": {"Status": "Enabled"},
                   "BucketEncryption": _AES, "WebsiteConfiguration": _WEBSITE,
                   "LoggingConfiguration": {"DestinationBucketName": "logs", "LogFilePrefix": "site/"}}),
    IacCase(rid="BucketSuspended", check="CKV_AWS_21", theirs=FAIL, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3Bucket3",
            props={"AccessControl": "Private", "VersioningConfiguration": {"Status": "Suspended"},
                   "WebsiteConfiguration": _WEBSITE,
                   "LoggingConfiguration": {"DestinationBucketName": "logs", "LogFilePrefix": "site/"}}),
    IacCase(rid="BucketPartlyBlocked", check="CKV_AWS_21", theirs=FAIL, policy="MLW-INT-012", rtype=S3,
            mirrors=_EXAMPLE_S3 + "S3Bucket4",
            props={"BucketName": "example", "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True,
                "RestrictPublicBuckets": False}}),
)

# CKV_AWS_56 (RestrictPublicBuckets; test_S3RestrictPublicBuckets.py: 0 passed, 6 failed on
# the same template) judges one of the four settings MLW-NET-019 asks for: not merged as an
# equivalent, but on these buckets the verdicts must still meet.
CFN_CASES += tuple(
    IacCase(rid=c.rid, check="CKV_AWS_56", theirs=FAIL, policy="MLW-NET-019", rtype=S3, mirrors=c.mirrors,
            props=c.props)
    for c in CFN_CASES if c.check == "CKV_AWS_21")

# Template parameters the CloudFormation cases refer to.
CFN_PARAMETERS: dict[str, dict] = {
    "Isolate": {"Type": "String", "AllowedValues": ["true", "false"], "Default": "true"},
}

# Resources the CloudFormation cases refer to (not cases themselves).
CFN_SUPPORT: dict[str, dict] = {
    "Key": {"Type": "AWS::KMS::Key", "Properties": {"EnableKeyRotation": True, "KeyPolicy": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                                                 "Action": "kms:*", "Resource": "*"}]}}},
}


# --- checkov, Terraform (as plan JSON: the form `mlwarden iac` reads) -----------------------

def _tf_dq(*, output_key: str | None = None, volume_key: str | None = None,
           traffic: bool | None = None) -> dict:
    output: dict[str, Any] = {"monitoring_outputs": [{"s3_output": [{
        "s3_uri": "s3://monitor-reports/dq", "local_path": "/opt/ml/processing/output", "s3_upload_mode": "EndOfJob"}]}]}
    if output_key:
        output["kms_key_id"] = output_key
    cluster: dict[str, Any] = {"instance_count": 1, "instance_type": "ml.m5.xlarge", "volume_size_in_gb": 20}
    if volume_key:
        cluster["volume_kms_key_id"] = volume_key
    v: dict[str, Any] = {
        "name": "dq", "role_arn": ROLE_ARN,
        "data_quality_app_specification": [{"image_uri": IMAGE}],
        "data_quality_job_input": [{"endpoint_input": [{"endpoint_name": "scoring",
                                                        "local_path": "/opt/ml/processing/input"}]}],
        "data_quality_job_output_config": [output],
        "job_resources": [{"cluster_config": [cluster]}],
        "stopping_condition": [{"max_runtime_in_seconds": 3600}],
    }
    if traffic is not None:
        v["network_config"] = [{"enable_inter_container_traffic_encryption": traffic}]
    return v


_TF_NB = {"name": "nb", "role_arn": ROLE_ARN, "instance_type": "ml.t3.medium"}
_TF_MODEL = {"name": "m", "execution_role_arn": ROLE_ARN,
             "primary_container": [{"image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/kmeans:1"}]}
_TF_DOMAIN = {"domain_name": "studio", "auth_mode": "IAM", "vpc_id": "vpc-0a1", "subnet_ids": ["subnet-0a1"],
              "default_user_settings": [{"execution_role": ROLE_ARN}]}
_TF_EPC = {"name": "cfg", "production_variants": [{"variant_name": "variant-1", "model_name": "m",
                                                   "initial_instance_count": 1, "instance_type": "ml.t2.medium"}]}

TF_NB, TF_MODEL, TF_DQ = "aws_sagemaker_notebook_instance", "aws_sagemaker_model", "aws_sagemaker_data_quality_job_definition"
TF_DOMAIN, TF_EPC = "aws_sagemaker_domain", "aws_sagemaker_endpoint_configuration"
KEY_REF = "aws_kms_key.k.arn"

TF_CASES: tuple[IacCase, ...] = (
    # CKV_AWS_22 / CKV_AWS_187 (notebook storage key).
    IacCase(rid="nb_key_given", check="CKV_AWS_22", theirs=PASS, policy="MLW-ENC-001", rtype=TF_NB,
            mirrors=CK_TF + "test_SagemakerNotebookEncryption.py::test_success",
            props={**_TF_NB, "kms_key_id": "notebook-key"}),
    IacCase(rid="nb_key_absent", check="CKV_AWS_22", theirs=FAIL, policy="MLW-ENC-001", rtype=TF_NB,
            mirrors=CK_TF + "test_SagemakerNotebookEncryption.py::test_failure", props=dict(_TF_NB)),
    IacCase(rid="nb_key_ref", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-001", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerDomainEncryptedWithCMK/aws_sagemaker_notebook_instance.tf#pass",
            props=dict(_TF_NB), refs={"kms_key_id": KEY_REF}),
    IacCase(rid="domain_key_ref", check="CKV_AWS_187", theirs=PASS, policy="MLW-ENC-002", rtype=TF_DOMAIN,
            mirrors=CK_TF + "example_SagemakerDomainEncryptedWithCMK/aws_sagemaker_domain.tf#pass",
            props=dict(_TF_DOMAIN), refs={"kms_key_id": KEY_REF}),
    IacCase(rid="domain_key_absent", check="CKV_AWS_187", theirs=FAIL, policy="MLW-ENC-002", rtype=TF_DOMAIN,
            mirrors=CK_TF + "example_SagemakerDomainEncryptedWithCMK/aws_sagemaker_domain.tf#fail",
            props=dict(_TF_DOMAIN)),
    # CKV_AWS_98: endpoint configuration key.
    IacCase(rid="epc_key_absent", check="CKV_AWS_98", theirs=FAIL, policy="MLW-ENC-003", rtype=TF_EPC,
            mirrors=CK_TF + "test_SagemakerEndpoinConfigurationEncryption.py::test_failure", props=dict(_TF_EPC)),
    IacCase(rid="epc_capture_key_only", check="CKV_AWS_98", theirs=FAIL, policy="MLW-ENC-003", rtype=TF_EPC,
            mirrors="mlwarden: a data capture key (data_capture_config.kms_key_id) is not the hosting volume's key",
            props={**_TF_EPC, "data_capture_config": [{
                "initial_sampling_percentage": 10, "destination_s3_uri": "s3://capture/cfg", "kms_key_id": KEY_ARN,
                "capture_options": [{"capture_mode": "Input"}]}]}),
    IacCase(rid="epc_key_ref", check="CKV_AWS_98", theirs=PASS, policy="MLW-ENC-003", rtype=TF_EPC,
            mirrors=CK_TF + "test_SagemakerEndpoinConfigurationEncryption.py::test_success",
            props=dict(_TF_EPC), refs={"kms_key_arn": KEY_REF}),
    # CKV_AWS_122: direct internet access.
    IacCase(rid="nb_internet_enabled", check="CKV_AWS_122", theirs=FAIL, policy="MLW-NET-001", rtype=TF_NB,
            mirrors=CK_TF + "test_SageMakerInternetAccessDisabled.py::test_failure",
            props={**_TF_NB, "direct_internet_access": "Enabled"}),
    IacCase(rid="nb_internet_disabled", check="CKV_AWS_122", theirs=PASS, policy="MLW-NET-001", rtype=TF_NB,
            mirrors=CK_TF + "test_SageMakerInternetAccessDisabled.py::test_success",
            props={**_TF_NB, "direct_internet_access": "Disabled"}),
    IacCase(rid="nb_internet_absent", check="CKV_AWS_122", theirs=PASS, policy="MLW-NET-001", rtype=TF_NB,
            mirrors=CK_TF + "test_SageMakerInternetAccessDisabled.py::test_success2", props=dict(_TF_NB)),
    # CKV_AWS_306: custom VPC.
    IacCase(rid="nb_no_subnet", check="CKV_AWS_306", theirs=FAIL, policy="MLW-NET-002", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookInCustomVPC/main.tf#fail", props=dict(_TF_NB)),
    IacCase(rid="nb_subnet_ref", check="CKV_AWS_306", theirs=PASS, policy="MLW-NET-002", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookInCustomVPC/main.tf#pass",
            props=dict(_TF_NB), refs={"subnet_id": "aws_subnet.s.id"}),
    # CKV_AWS_307: root access.
    IacCase(rid="nb_root_enabled", check="CKV_AWS_307", theirs=FAIL, policy="MLW-NET-003", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookRoot/main.tf#fail",
            props={**_TF_NB, "root_access": "Enabled"}),
    IacCase(rid="nb_root_absent", check="CKV_AWS_307", theirs=FAIL, policy="MLW-NET-003", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookRoot/main.tf#fail2", props=dict(_TF_NB)),
    IacCase(rid="nb_root_disabled", check="CKV_AWS_307", theirs=PASS, policy="MLW-NET-003", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookRoot/main.tf#pass",
            props={**_TF_NB, "root_access": "Disabled"}, refs={"subnet_id": "aws_subnet.s.id"}),
    # CKV_AWS_371: notebook IMDSv2 only (absent: SageMaker creates the notebook with IMDSv1).
    IacCase(rid="nb_imds_v2", check="CKV_AWS_371", theirs=PASS, policy="MLW-NET-023", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookInstanceAllowsIMDSv2/main.tf#my_notebook_instance_pass",
            props={**_TF_NB, "instance_metadata_service_configuration": [
                {"minimum_instance_metadata_service_version": "2"}]}),
    IacCase(rid="nb_imds_v1", check="CKV_AWS_371", theirs=FAIL, policy="MLW-NET-023", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookInstanceAllowsIMDSv2/main.tf#my_notebook_instance_fail_1",
            props={**_TF_NB, "instance_metadata_service_configuration": [
                {"minimum_instance_metadata_service_version": "1"}]}),
    IacCase(rid="nb_imds_absent", check="CKV_AWS_371", theirs=FAIL, policy="MLW-NET-023", rtype=TF_NB,
            mirrors=CK_TF + "example_SagemakerNotebookInstanceAllowsIMDSv2/main.tf#my_notebook_instance_fail_2",
            props=dict(_TF_NB)),
    # CKV_AWS_370: model network isolation.
    IacCase(rid="model_isolation_true", check="CKV_AWS_370", theirs=PASS, policy="MLW-NET-008", rtype=TF_MODEL,
            mirrors=CK_TF + "example_SagemakerModelWithNetworkIsolation/main.tf#model_pass",
            props={**_TF_MODEL, "enable_network_isolation": True}),
    IacCase(rid="model_isolation_false", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=TF_MODEL,
            mirrors=CK_TF + "example_SagemakerModelWithNetworkIsolation/main.tf#model_fail_1",
            props={**_TF_MODEL, "enable_network_isolation": False}),
    IacCase(rid="model_isolation_absent", check="CKV_AWS_370", theirs=FAIL, policy="MLW-NET-008", rtype=TF_MODEL,
            mirrors=CK_TF + "example_SagemakerModelWithNetworkIsolation/main.tf#model_fail_2", props=dict(_TF_MODEL)),
    # CKV_AWS_367 / 368 / 369: data quality job definitions.
    IacCase(rid="dq_output_key", check="CKV_AWS_367", theirs=PASS, policy="MLW-ENC-009", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionEncryption/main.tf#data_quality_job_pass",
            props=_tf_dq(output_key=KEY_ARN, volume_key=KEY_ARN)),
    IacCase(rid="dq_output_no_key", check="CKV_AWS_367", theirs=FAIL, policy="MLW-ENC-009", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionEncryption/main.tf#data_quality_job_fail",
            props=_tf_dq(volume_key=KEY_ARN)),
    IacCase(rid="dq_volume_key", check="CKV_AWS_368", theirs=PASS, policy="MLW-ENC-010", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionVolumeEncryption/main.tf#data_quality_job_pass",
            props=_tf_dq(output_key=KEY_ARN, volume_key=KEY_ARN)),
    IacCase(rid="dq_volume_no_key", check="CKV_AWS_368", theirs=FAIL, policy="MLW-ENC-010", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionVolumeEncryption/main.tf#data_quality_job_fail_1",
            props=_tf_dq(output_key=KEY_ARN)),
    IacCase(rid="dq_traffic_true", check="CKV_AWS_369", theirs=PASS, policy="MLW-ENC-016", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/main.tf#data_quality_job_pass",
            props=_tf_dq(traffic=True)),
    IacCase(rid="dq_traffic_false", check="CKV_AWS_369", theirs=FAIL, policy="MLW-ENC-016", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/main.tf#data_quality_job_fail_1",
            props=_tf_dq(traffic=False)),
    IacCase(rid="dq_traffic_absent", check="CKV_AWS_369", theirs=FAIL, policy="MLW-ENC-016", rtype=TF_DQ,
            mirrors=CK_TF + "example_SagemakerDataQualityJobDefinitionTrafficEncryption/main.tf#data_quality_job_fail_2",
            props=_tf_dq()),
)

TF_KMS = "aws_kms_key"


def _tf_key(**extra) -> dict:
    return {"description": "KMS key 1", "deletion_window_in_days": 10, "is_enabled": True,
            "key_usage": "ENCRYPT_DECRYPT", **extra}


TF_CASES += (
    IacCase(rid="pass1", check="CKV_AWS_7", theirs=PASS, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#pass1", props=_tf_key(enable_key_rotation=True)),
    IacCase(rid="pass2", check="CKV_AWS_7", theirs=PASS, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#pass2",
            props=_tf_key(customer_master_key_spec="SYMMETRIC_DEFAULT", enable_key_rotation=True)),
    IacCase(rid="unknown1", check="CKV_AWS_7", theirs=NO_RESULT, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#unknown1",
            props=_tf_key(customer_master_key_spec="RSA_2048", key_usage="SIGN_VERIFY")),
    IacCase(rid="unknown2", check="CKV_AWS_7", theirs=NO_RESULT, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#unknown2 (RSA_3072)",
            props=_tf_key(customer_master_key_spec="RSA_3072", key_usage="SIGN_VERIFY")),
    IacCase(rid="fail1", check="CKV_AWS_7", theirs=FAIL, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#fail1", props=_tf_key()),
    IacCase(rid="fail2", check="CKV_AWS_7", theirs=FAIL, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#fail2", props=_tf_key(enable_key_rotation=False)),
    IacCase(rid="fail3", check="CKV_AWS_7", theirs=FAIL, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#fail3",
            props=_tf_key(customer_master_key_spec="SYMMETRIC_DEFAULT", enable_key_rotation=False)),
    IacCase(rid="fail4", check="CKV_AWS_7", theirs=FAIL, policy="MLW-ENC-018", rtype=TF_KMS,
            mirrors=CK_TF + "example_KMSRotation/main.tf#fail4",
            props=_tf_key(customer_master_key_spec="SYMMETRIC_DEFAULT")),
)

# Plan resources the Terraform cases refer to: (address, values, attributes known after apply).
TF_SUPPORT: tuple[tuple[str, dict, tuple[str, ...]], ...] = (
    ("aws_kms_key.k", {"enable_key_rotation": True, "is_enabled": True, "deletion_window_in_days": 30,
                       "key_usage": "ENCRYPT_DECRYPT", "customer_master_key_spec": "SYMMETRIC_DEFAULT"},
     ("arn", "id", "key_id", "policy")),
    ("aws_subnet.s", {"vpc_id": "vpc-0a1", "cidr_block": "10.0.1.0/24"}, ("arn", "id")),
)


# --- Prowler (moto-based and model-object tests), scanned live ------------------------------

NB_LIVE, MODEL_LIVE, EPC_LIVE = NB, MODEL, EPC
TRAIN_LIVE = "MLW::SageMaker::TrainingJob"

LIVE_CASES: tuple[LiveCase, ...] = (
    LiveCase(rid="nb-kms", check="sagemaker_notebook_instance_encryption_enabled", theirs=PASS, policy="MLW-ENC-001",
             rtype=NB_LIVE, build="notebook", args={"KmsKeyId": "<key>"},
             mirrors=PR + "sagemaker_notebook_instance_encryption_enabled/*_test.py::test_instance_with_kms_key"),
    LiveCase(rid="nb-no-kms", check="sagemaker_notebook_instance_encryption_enabled", theirs=FAIL, policy="MLW-ENC-001",
             rtype=NB_LIVE, build="notebook",
             mirrors=PR + "sagemaker_notebook_instance_encryption_enabled/*_test.py::test_instance_no_kms_key"),
    # Our form, with Prowler's verdict read from its check (it passes any KmsKeyId).
    LiveCase(rid="nb-kms-aws-managed", check="sagemaker_notebook_instance_encryption_enabled", theirs=PASS,
             policy="MLW-ENC-001", rtype=NB_LIVE, build="notebook", args={"KmsKeyId": "alias/aws/sagemaker"},
             mirrors="mlwarden: a live notebook whose KmsKeyId is the AWS managed alias/aws/sagemaker"),
    LiveCase(rid="nb-root-off", check="sagemaker_notebook_instance_root_access_disabled", theirs=PASS, policy="MLW-NET-003",
             rtype=NB_LIVE, build="notebook", args={"RootAccess": "Disabled"},
             mirrors=PR + "sagemaker_notebook_instance_root_access_disabled/*_test.py::test_instance_root_access_disabled"),
    LiveCase(rid="nb-root-on", check="sagemaker_notebook_instance_root_access_disabled", theirs=FAIL, policy="MLW-NET-003",
             rtype=NB_LIVE, build="notebook", args={"RootAccess": "Enabled"},
             mirrors=PR + "sagemaker_notebook_instance_root_access_disabled/*_test.py::test_instance_root_access_enabled"),
    LiveCase(rid="nb-subnet", check="sagemaker_notebook_instance_vpc_settings_configured", theirs=PASS, policy="MLW-NET-002",
             rtype=NB_LIVE, build="notebook", args={"SubnetId": "<subnet>", "SecurityGroupIds": ["<sg>"]},
             mirrors=PR + "sagemaker_notebook_instance_vpc_settings_configured/*_test.py::test_instance_vpc_settings_configured"),
    LiveCase(rid="nb-no-subnet", check="sagemaker_notebook_instance_vpc_settings_configured", theirs=FAIL, policy="MLW-NET-002",
             rtype=NB_LIVE, build="notebook",
             mirrors=PR + "sagemaker_notebook_instance_vpc_settings_configured/*_test.py::test_instance_vpc_settings_not_configured"),
    LiveCase(rid="nb-internet-off", check="sagemaker_notebook_instance_without_direct_internet_access_configured",
             theirs=PASS, policy="MLW-NET-001", rtype=NB_LIVE, build="notebook",
             args={"DirectInternetAccess": "Disabled", "SubnetId": "<subnet>", "SecurityGroupIds": ["<sg>"]},
             mirrors=PR + "sagemaker_notebook_instance_without_direct_internet_access_configured/*_test.py::test_instance_direct_internet_disabled"),
    LiveCase(rid="nb-internet-on", check="sagemaker_notebook_instance_without_direct_internet_access_configured",
             theirs=FAIL, policy="MLW-NET-001", rtype=NB_LIVE, build="notebook",
             args={"DirectInternetAccess": "Enabled", "RootAccess": "Enabled"},
             mirrors=PR + "sagemaker_notebook_instance_without_direct_internet_access_configured/*_test.py::test_instance_direct_internet_enabled"),
    # Not a test case of theirs: what Prowler's service code (sagemaker_service.py,
    # _describe_notebook_instance) derives for this notebook. It sets direct_internet_access
    # only when RootAccess is "Enabled", so internet access with root access disabled is
    # reported PASS. Kept so the table shows the difference a live comparison would find.
    LiveCase(rid="nb-internet-on-root-off", check="sagemaker_notebook_instance_without_direct_internet_access_configured",
             theirs=PASS, policy="MLW-NET-001", rtype=NB_LIVE, build="notebook",
             args={"DirectInternetAccess": "Enabled", "RootAccess": "Disabled"},
             mirrors="prowler:prowler/providers/aws/services/sagemaker/sagemaker_service.py::_describe_notebook_instance"),
    LiveCase(rid="model-isolated", check="sagemaker_models_network_isolation_enabled", theirs=PASS, policy="MLW-NET-008",
             rtype=MODEL_LIVE, build="model", args={"EnableNetworkIsolation": True},
             mirrors=PR + "sagemaker_models_network_isolation_enabled/*_test.py::test_instance_network_isolation_enabled"),
    LiveCase(rid="model-open", check="sagemaker_models_network_isolation_enabled", theirs=FAIL, policy="MLW-NET-008",
             rtype=MODEL_LIVE, build="model", args={"EnableNetworkIsolation": False},
             mirrors=PR + "sagemaker_models_network_isolation_enabled/*_test.py::test_instance_network_isolation_disabled"),
    LiveCase(rid="model-vpc", check="sagemaker_models_vpc_settings_configured", theirs=PASS, policy="MLW-NET-009",
             rtype=MODEL_LIVE, build="model", args={"VpcConfig": {"Subnets": ["<subnet>"], "SecurityGroupIds": ["<sg>"]}},
             mirrors=PR + "sagemaker_models_vpc_settings_configured/*_test.py::test_instance_vpc_settings_configured"),
    LiveCase(rid="model-no-vpc", check="sagemaker_models_vpc_settings_configured", theirs=FAIL, policy="MLW-NET-009",
             rtype=MODEL_LIVE, build="model",
             mirrors=PR + "sagemaker_models_vpc_settings_configured/*_test.py::test_instance_vpc_settings_not_configured"),
    LiveCase(rid="epc-no-kms", check="sagemaker_endpoint_config_kms_encryption_enabled", theirs=FAIL, policy="MLW-ENC-003",
             rtype=EPC_LIVE, build="endpoint_config", args={"counts": [1]},
             mirrors=PR + "sagemaker_endpoint_config_kms_encryption_enabled/*_test.py::test_endpoint_config_without_kms"),
    LiveCase(rid="epc-kms", check="sagemaker_endpoint_config_kms_encryption_enabled", theirs=PASS, policy="MLW-ENC-003",
             rtype=EPC_LIVE, build="endpoint_config", args={"counts": [1], "KmsKeyId": "<key-id>"},
             mirrors=PR + "sagemaker_endpoint_config_kms_encryption_enabled/*_test.py::test_endpoint_config_with_kms"),
    LiveCase(rid="epc-one-of-two-single", check="sagemaker_endpoint_config_prod_variant_instances", theirs=FAIL,
             policy="MLW-MON-003", rtype=EPC_LIVE, build="endpoint_config", args={"counts": [1, 2]},
             mirrors=PR + "sagemaker_endpoint_config_prod_variant_instances/*_test.py::test_endpoint_config_non_compliant_prod_variant"),
    LiveCase(rid="epc-all-two", check="sagemaker_endpoint_config_prod_variant_instances", theirs=PASS,
             policy="MLW-MON-003", rtype=EPC_LIVE, build="endpoint_config", args={"counts": [2, 2]},
             mirrors=PR + "sagemaker_endpoint_config_prod_variant_instances/*_test.py::test_endpoint_config_compliant_prod_variants"),
    # Not a test case of theirs: Prowler's service (_describe_endpoint_config) reads a
    # variant without InitialInstanceCount, as a serverless variant is, as 0 instances.
    LiveCase(rid="epc-serverless", check="sagemaker_endpoint_config_prod_variant_instances", theirs=FAIL,
             policy="MLW-MON-003", rtype=EPC_LIVE, build="endpoint_config", args={"counts": [None]},
             mirrors="prowler:prowler/providers/aws/services/sagemaker/sagemaker_service.py::_describe_endpoint_config"),
    LiveCase(rid="train-traffic-on", check="sagemaker_training_jobs_intercontainer_encryption_enabled", theirs=PASS,
             policy="MLW-ENC-014", rtype=TRAIN_LIVE, build="training_job", args={"EnableInterContainerTrafficEncryption": True},
             mirrors=PR + "sagemaker_training_jobs_intercontainer_encryption_enabled/*_test.py::test_instance_traffic_encryption_enabled"),
    LiveCase(rid="train-traffic-off", check="sagemaker_training_jobs_intercontainer_encryption_enabled", theirs=FAIL,
             policy="MLW-ENC-014", rtype=TRAIN_LIVE, build="training_job", args={"EnableInterContainerTrafficEncryption": False},
             mirrors=PR + "sagemaker_training_jobs_intercontainer_encryption_enabled/*_test.py::test_instance_traffic_encryption_disabled"),
    LiveCase(rid="train-isolated", check="sagemaker_training_jobs_network_isolation_enabled", theirs=PASS,
             policy="MLW-NET-004", rtype=TRAIN_LIVE, build="training_job", args={"EnableNetworkIsolation": True},
             mirrors=PR + "sagemaker_training_jobs_network_isolation_enabled/*_test.py::test_instance_traffic_encryption_enabled"),
    LiveCase(rid="train-open", check="sagemaker_training_jobs_network_isolation_enabled", theirs=FAIL,
             policy="MLW-NET-004", rtype=TRAIN_LIVE, build="training_job", args={"EnableNetworkIsolation": False},
             mirrors=PR + "sagemaker_training_jobs_network_isolation_enabled/*_test.py::test_instance_traffic_encryption_disabled"),
    LiveCase(rid="train-volume-key", check="sagemaker_training_jobs_volume_and_output_encryption_enabled", theirs=PASS,
             policy="MLW-ENC-005", rtype=TRAIN_LIVE, build="training_job", args={"volume_key": True},
             mirrors=PR + "sagemaker_training_jobs_volume_and_output_encryption_enabled/*_test.py::test_instance_traffic_encryption_enabled"),
    LiveCase(rid="train-no-volume-key", check="sagemaker_training_jobs_volume_and_output_encryption_enabled", theirs=FAIL,
             policy="MLW-ENC-005", rtype=TRAIN_LIVE, build="training_job", args={"volume_key": False},
             mirrors=PR + "sagemaker_training_jobs_volume_and_output_encryption_enabled/*_test.py::test_instance_traffic_encryption_disabled"),
    LiveCase(rid="train-vpc", check="sagemaker_training_jobs_vpc_settings_configured", theirs=PASS,
             policy="MLW-NET-005", rtype=TRAIN_LIVE, build="training_job",
             args={"VpcConfig": {"Subnets": ["<subnet>"], "SecurityGroupIds": ["<sg>"]}},
             mirrors=PR + "sagemaker_training_jobs_vpc_settings_configured/*_test.py::test_instance_traffic_encryption_enabled"),
    LiveCase(rid="train-no-vpc", check="sagemaker_training_jobs_vpc_settings_configured", theirs=FAIL,
             policy="MLW-NET-005", rtype=TRAIN_LIVE, build="training_job",
             mirrors=PR + "sagemaker_training_jobs_vpc_settings_configured/*_test.py::test_instance_traffic_encryption_disabled"),
)


KEY_LIVE = "AWS::KMS::Key"
_PR_KMS = "prowler:tests/providers/aws/services/kms/kms_cmk_rotation_enabled/kms_cmk_rotation_enabled_test.py::"
LIVE_CASES += (
    LiveCase(rid="key-rotating", check="kms_cmk_rotation_enabled", theirs=PASS, policy="MLW-ENC-018",
             rtype=KEY_LIVE, build="kms_key", args={"rotation": True},
             mirrors=_PR_KMS + "test_kms_cmk_rotation_enabled"),
    LiveCase(rid="key-not-rotating", check="kms_cmk_rotation_enabled", theirs=FAIL, policy="MLW-ENC-018",
             rtype=KEY_LIVE, build="kms_key", args={"rotation": False},
             mirrors=_PR_KMS + "test_kms_cmk_rotation_disabled"),
    # Their test fails GetKeyRotationStatus for two keys (which do not rotate) and counts
    # them among the non-PASS results: the service keeps rotation_enabled unset, the check FAILs.
    LiveCase(rid="key-rotation-unreadable", check="kms_cmk_rotation_enabled", theirs=FAIL, policy="MLW-ENC-018",
             rtype=KEY_LIVE, build="kms_key", args={"rotation": False, "deny": "GetKeyRotationStatus"},
             mirrors=_PR_KMS + "test_kms_cmk_rotation_enabled_when_get_key_rotation_status_fails_on_2_keys_out_of_x_keys"),
)


BUCKET_LIVE = "AWS::S3::Bucket"
_PR_S3 = "prowler:tests/providers/aws/services/s3/"
_TLS_STATEMENT = {"Sid": "ssl-only", "Effect": "Deny", "Principal": "*", "Resource": "arn:aws:s3:::{bucket}/*",
                  "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
LIVE_CASES += (
    LiveCase(rid="bucket-unversioned", check="s3_bucket_object_versioning", theirs=FAIL, policy="MLW-INT-012",
             rtype=BUCKET_LIVE, build="bucket",
             mirrors=_PR_S3 + "s3_bucket_object_versioning/*_test.py::test_bucket_no_object_versioning"),
    LiveCase(rid="bucket-versioned", check="s3_bucket_object_versioning", theirs=PASS, policy="MLW-INT-012",
             rtype=BUCKET_LIVE, build="bucket", args={"versioning": "Enabled"},
             mirrors=_PR_S3 + "s3_bucket_object_versioning/*_test.py::test_bucket_object_versioning_enabled"),
    LiveCase(rid="bucket-default-encryption", check="s3_bucket_kms_encryption", theirs=FAIL, policy="MLW-ENC-012",
             rtype=BUCKET_LIVE, build="bucket",
             mirrors=_PR_S3 + "s3_bucket_kms_encryption/*_test.py::test_bucket_no_encryption"),
    LiveCase(rid="bucket-aes256", check="s3_bucket_kms_encryption", theirs=FAIL, policy="MLW-ENC-012",
             rtype=BUCKET_LIVE, build="bucket", args={"sse": {"SSEAlgorithm": "AES256"}},
             mirrors=_PR_S3 + "s3_bucket_kms_encryption/*_test.py::test_bucket_no_kms_encryption"),
    LiveCase(rid="bucket-kms", check="s3_bucket_kms_encryption", theirs=PASS, policy="MLW-ENC-012",
             rtype=BUCKET_LIVE, build="bucket", args={"sse": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "<key>"}},
             mirrors=_PR_S3 + "s3_bucket_kms_encryption/*_test.py::test_bucket_kms_encryption"),
    LiveCase(rid="bucket-kms-dsse", check="s3_bucket_kms_encryption", theirs=PASS, policy="MLW-ENC-012",
             rtype=BUCKET_LIVE, build="bucket", args={"sse": {"SSEAlgorithm": "aws:kms:dsse", "KMSMasterKeyID": "<key>"}},
             mirrors=_PR_S3 + "s3_bucket_kms_encryption/*_test.py::test_bucket_kms_dsse_encryption"),
    LiveCase(rid="bucket-no-policy", check="s3_bucket_secure_transport_policy", theirs=FAIL, policy="MLW-ENC-017",
             rtype=BUCKET_LIVE, build="bucket",
             mirrors=_PR_S3 + "s3_bucket_secure_transport_policy/*_test.py::test_bucket_no_policy"),
    LiveCase(rid="bucket-tls-put-only", check="s3_bucket_secure_transport_policy", theirs=PASS, policy="MLW-ENC-017",
             rtype=BUCKET_LIVE, build="bucket", args={"deny_insecure": {**_TLS_STATEMENT, "Action": "s3:PutObject"}},
             mirrors=_PR_S3 + "s3_bucket_secure_transport_policy/*_test.py::test_bucket_comply_policy"),
    LiveCase(rid="bucket-tls-get-only", check="s3_bucket_secure_transport_policy", theirs=FAIL, policy="MLW-ENC-017",
             rtype=BUCKET_LIVE, build="bucket", args={"deny_insecure": {**_TLS_STATEMENT, "Action": "s3:GetObject"}},
             mirrors=_PR_S3 + "s3_bucket_secure_transport_policy/*_test.py::test_bucket_uncomply_policy"),
    LiveCase(rid="bucket-tls-no-action", check="s3_bucket_secure_transport_policy", theirs=FAIL, policy="MLW-ENC-017",
             rtype=BUCKET_LIVE, build="bucket", args={"deny_insecure": dict(_TLS_STATEMENT)},
             mirrors=_PR_S3 + "s3_bucket_secure_transport_policy/*_test.py::test_bucket_uncomply_policy_without_action"),
)

_OPEN = {"BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
_CLOSED = {k: True for k in _OPEN}
_PR_PAB = _PR_S3 + "s3_bucket_level_public_access_block/*_test.py::"
LIVE_CASES += (
    LiveCase(rid="bucket-pab-open", check="s3_bucket_level_public_access_block", theirs=FAIL, policy="MLW-NET-019",
             rtype=BUCKET_LIVE, build="bucket", args={"block": _OPEN, "account_block": _OPEN},
             mirrors=_PR_PAB + "test_bucket_without_public_block"),
    LiveCase(rid="bucket-pab-closed", check="s3_bucket_level_public_access_block", theirs=PASS, policy="MLW-NET-019",
             rtype=BUCKET_LIVE, build="bucket", args={"block": _CLOSED, "account_block": _OPEN},
             mirrors=_PR_PAB + "test_bucket_public_block"),
    LiveCase(rid="bucket-pab-unreadable", check="s3_bucket_level_public_access_block", theirs=NO_RESULT,
             policy="MLW-NET-019", rtype=BUCKET_LIVE, build="bucket",
             args={"block": _CLOSED, "account_block": _OPEN, "deny": "GetPublicAccessBlock"},
             mirrors=_PR_PAB + "test_bucket_can_not_retrieve_public_access_block"),
    LiveCase(rid="bucket-pab-account", check="s3_bucket_level_public_access_block", theirs=PASS, policy="MLW-NET-019",
             rtype=BUCKET_LIVE, build="bucket", args={"block": _OPEN, "account_block": _CLOSED}, group="account-block",
             mirrors=_PR_PAB + "test_bucket_public_block_at_account"),
)


# --- reviewed disagreements ---------------------------------------------------------------
# (case rid, policy) → (our verdict, why). Every entry was reviewed: we are stricter where
# AWS's own default or behaviour is unsafe, or we report NOT_ASSESSED where the other tool
# would have to guess.

DISAGREEMENTS: dict[tuple[str, str], tuple[str, str]] = {
    ("NotebookKeyAwsManaged", "MLW-ENC-001"): (FAIL,
        "stricter: alias/aws/sagemaker is an AWS managed key the organisation cannot rotate, restrict "
        "or revoke; checkov accepts any KmsKeyId value. Security Hub SageMaker.21 also asks for a "
        "customer managed key."),
    ("nb-kms-aws-managed", "MLW-ENC-001"): (FAIL,
        "stricter, as for NotebookKeyAwsManaged: Prowler's check passes any KmsKeyId, the AWS managed "
        "key included; MLW-ENC-001 and Security Hub SageMaker.21 ask for a customer managed key."),
    ("nb_internet_absent", "MLW-NET-001"): (FAIL,
        "stricter: a notebook without direct_internet_access gets SageMaker's default, Enabled (the "
        "provider plans that default too); checkov's check passes a missing attribute "
        "(missing_block_result=PASSED). Security Hub SageMaker.1 fails it as we do."),
    ("NotebookKeyImported", "MLW-ENC-001"): ("NOT_ASSESSED",
        "unknown before deployment: an imported key may be the AWS managed one, which MLW-ENC-001 "
        "fails; the finding names the unknown value rather than guess. checkov passes any value."),
    ("ModelIsolationImported", "MLW-NET-008"): ("NOT_ASSESSED",
        "unknown before deployment: the imported value may be true; checkov fails anything but a "
        "literal true. The finding names the unknown value rather than guess."),
    ("epc-serverless", "MLW-MON-003"): (PASS,
        "a serverless variant has no instances to count (SageMaker scales it by concurrency); "
        "Prowler's service reads the missing InitialInstanceCount as 0 and fails it."),
    ("key-rotation-unreadable", "MLW-ENC-018"): ("NOT_ASSESSED",
        "never a verdict on unread data: GetKeyRotationStatus was refused, so MLW-ENC-018 says "
        "NOT_ASSESSED naming the call; Prowler's service leaves rotation unset and its check FAILs "
        "the key (its test counts the two unreadable keys as not passing)."),
    ("bucket-tls-put-only", "MLW-ENC-017"): (FAIL,
        "stricter: a policy that denies only s3:PutObject without TLS still serves GetObject over "
        "plain HTTP; MLW-ENC-017 asks for every request to be refused (Security Hub S3.5). Prowler "
        "passes a deny of PutObject alone."),
    ("bucket-pab-unreadable", "MLW-NET-019"): ("NOT_ASSESSED",
        "both decline to judge a bucket whose GetPublicAccessBlock failed, but Prowler drops it "
        "from the results silently; mlwarden reports it NOT_ASSESSED, naming the call, so the "
        "bucket is not missing from the report."),
    ("nb-internet-on-root-off", "MLW-NET-001"): (FAIL,
        "correct on our side: DescribeNotebookInstance says DirectInternetAccess Enabled. Prowler's "
        "service sets direct_internet_access only when RootAccess is also Enabled, so its check "
        "passes this notebook; its own unit tests build the model object directly and miss it."),
}


# --- their checks without an mlwarden equivalent --------------------------------------------

NO_EQUIVALENT: dict[str, str] = {
    "checkov CKV_AWS_372 (flow definition output KMS)": "human review flow definitions are not collected",
    "checkov CKV2_AWS_68 (notebook role trust policy Action '*')": "related to MLW-IAM-007 (only SageMaker may "
        "assume the role), which judges the trusted principal, not the action; not mirrored",
    "prowler sagemaker_domain_sso_configured": "no policy on a domain's AuthMode",
    "prowler sagemaker_clarify_exists": "a per-region existence check; MLW-MON-014 asks for bias and attribution "
        "monitors per production endpoint instead",
    "prowler sagemaker_models_monitor_enabled": "a per-region check that some schedule is Scheduled; MLW-MON-009 "
        "judges each schedule and MLW-MON-002 each production endpoint",
    "prowler sagemaker_models_registry_in_use": "a per-region existence check; MLW-REG-003 asks production "
        "endpoints to serve approved registered packages",
    "prowler sagemaker_notebook_instance_no_secrets": "related to MLW-IAM-009, which judges each lifecycle "
        "configuration (one no notebook uses included) where Prowler judges each notebook through the "
        "configuration it names; not mirrored yet",
    "prowler iam_user_access_not_stale_to_sagemaker": "IAM users' service last-accessed data is not read",
    "checkov CKV_AWS_60-63, CKV_AWS_107-111 (IAM)": "their test cases hold no SageMaker role, and the "
        "least-privilege policies judge SageMaker execution roles only",
    "checkov CKV_AWS_19 (any S3 default encryption)": "weaker than MLW-ENC-012 (customer managed KMS key); "
        "Prowler s3_bucket_kms_encryption, the closer check, is mirrored instead",
}
