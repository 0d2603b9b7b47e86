"""SageMaker (Studio) domains: network access, encryption, VPC, default user settings."""
from __future__ import annotations

from ..aws_defaults import AwsDefault, apply_defaults
from ..resource_type import CloudTrailEvent, TerraformType, kms_keys, role, security_groups, subnets, vpc
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_common import iso, references, with_references

DOMAIN_TYPE = "AWS::SageMaker::Domain"

# CreateDomain AppNetworkAccessType: PublicInternetOnly by default.
DEFAULTS = (AwsDefault(path="AppNetworkAccessType", value="PublicInternetOnly",
                       reference="SageMaker API CreateDomain.AppNetworkAccessType"),)


def normalise(d: dict, scope: Scope) -> Shape:
    props = {
        "DomainId": d["DomainId"],
        "DomainName": d.get("DomainName"),
        "AuthMode": d.get("AuthMode"),
        "AppNetworkAccessType": d.get("AppNetworkAccessType"),  # default from apply_defaults
        "AppSecurityGroupManagement": d.get("AppSecurityGroupManagement"),
        "KmsKeyId": d.get("KmsKeyId"),
        "SubnetIds": d.get("SubnetIds") or [],
        "VpcId": d.get("VpcId"),
        "DefaultUserSettings": d.get("DefaultUserSettings") or {},
        "DefaultSpaceSettings": d.get("DefaultSpaceSettings"),
        "DomainSettings": d.get("DomainSettings"),
        "TagPropagation": d.get("TagPropagation"),
        "Status": d.get("Status"),
        "FailureReason": d.get("FailureReason") or None,
        "HomeEfsFileSystemId": d.get("HomeEfsFileSystemId"),
        "SecurityGroupIdForDomainBoundary": d.get("SecurityGroupIdForDomainBoundary"),
        "Url": d.get("Url"),
        "CreationTime": d.get("CreationTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    return Shape(id=d["DomainId"], arn=d["DomainArn"], properties=iso(apply_defaults(DEFAULTS, props, live=True)),
                 relations=references(d))


register(CollectorSpec(
    type=DOMAIN_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListDomains", result_key="Domains"),
    describe_call=DescribeCall(operation="DescribeDomain", param="DomainId", item_key="DomainId"),
    normalise=normalise, tags=TAGS_SAGEMAKER, defaults=DEFAULTS,
    terraform=(TerraformType(
        name="aws_sagemaker_domain",
        single=frozenset({"default_user_settings", "domain_settings", "default_space_settings",
                          "sharing_settings", "retention_policy"}),
        drop=frozenset({"home_efs_file_system_id", "single_sign_on_managed_application_instance_id",
                        "security_group_id_for_domain_boundary"})),),
    events=(CloudTrailEvent(name="CreateDomain", paths=("responseElements.domainId",)),
            CloudTrailEvent(name="UpdateDomain", paths=("requestParameters.domainId",))),
    relations=with_references(kms_keys("KmsKeyId"), subnets("SubnetIds[]"), vpc("VpcId"),
                              role("DefaultUserSettings.ExecutionRole"),
                              security_groups("DefaultUserSettings.SecurityGroups[]")),
    description="Studio domains: app network access, KMS key, VPC and subnets, default user settings",
))
