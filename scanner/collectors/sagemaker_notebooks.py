"""SageMaker notebook instances, with their lifecycle configuration's scripts.

The scripts (base64 in OnCreate/OnStart) are read so that a secret in them is found
(`facts.secret_findings`) and then redacted like every other value that can hold
one; the configuration is described through the notebook that uses it.
"""
from __future__ import annotations

from ..aws_defaults import AwsDefault, apply_defaults
from ..facets import Facet
from ..resource_type import CloudTrailEvent, TerraformType, kms_keys, role, security_groups, subnets
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, read_facet, register
from .sagemaker_common import iso
from .sagemaker_lifecycle_configs import described

NOTEBOOK = "AWS::SageMaker::NotebookInstance"

LIFECYCLE_CALL = "sagemaker:DescribeNotebookInstanceLifecycleConfig"

# The lifecycle configuration is a sub-read: when it fails the notebook is still read,
# and only what needs the scripts (their secret findings) is NOT_ASSESSED.
NOTEBOOK_FACETS = (
    Facet(name="lifecycle", operations=(LIFECYCLE_CALL,),
          paths=("resource.properties.LifecycleConfig",),
          description="the notebook's lifecycle configuration scripts (OnCreate/OnStart)"),
)


# CreateNotebookInstance DirectInternetAccess: "Enabled" when not set; DescribeNotebookInstance
# may leave RootAccess out of its answer (CreateNotebookInstance RootAccess: default Enabled).
# The minimum IMDS version: "When passed as part of CreateNotebookInstance, if no value is
# selected, then it defaults to IMDSv1" (API reference InstanceMetadataServiceConfiguration),
# so a notebook whose answer or template lacks the structure runs with "1"; the parent is
# created because SageMaker applies the whole configuration, not just the field.
DEFAULTS = (
    AwsDefault(path="DirectInternetAccess", value="Enabled",
               reference="SageMaker API CreateNotebookInstance.DirectInternetAccess"),
    AwsDefault(path="RootAccess", value="Enabled", reference="SageMaker API CreateNotebookInstance.RootAccess"),
    AwsDefault(path="InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion", value="1",
               create_parent=True,
               reference="SageMaker API InstanceMetadataServiceConfiguration.MinimumInstanceMetadataServiceVersion"),
)


def lifecycle_config(scope: Scope, name: str) -> dict:
    """The configuration's CloudFormation-shaped properties for one name."""
    d = described(scope, name)   # shared with the configuration's own collector
    return iso({"NotebookInstanceLifecycleConfigName": d.get("NotebookInstanceLifecycleConfigName"),
                "OnCreate": d.get("OnCreate") or [], "OnStart": d.get("OnStart") or [],
                "LastModifiedTime": d.get("LastModifiedTime")})


def _imds(answer: object) -> dict | None:
    """The answer's IMDS configuration, only the member CloudFormation has (None when absent:
    apply_defaults then fills SageMaker's default)."""
    if not isinstance(answer, dict):
        return None
    return {"MinimumInstanceMetadataServiceVersion": answer.get("MinimumInstanceMetadataServiceVersion")}


def normalise(d: dict, scope: Scope) -> Shape:
    props = {
        "NotebookInstanceName": d["NotebookInstanceName"],
        "InstanceType": d.get("InstanceType"),
        "RoleArn": d.get("RoleArn"),
        "KmsKeyId": d.get("KmsKeyId"),
        "SubnetId": d.get("SubnetId"),
        "SecurityGroupIds": d.get("SecurityGroups") or [],
        # Both may be missing from the answer; apply_defaults fills what AWS applies.
        "DirectInternetAccess": d.get("DirectInternetAccess"),
        "RootAccess": d.get("RootAccess"),
        "InstanceMetadataServiceConfiguration": _imds(d.get("InstanceMetadataServiceConfiguration")),
        "LifecycleConfigName": d.get("NotebookInstanceLifecycleConfigName"),
        "VolumeSizeInGB": d.get("VolumeSizeInGB"),
        "PlatformIdentifier": d.get("PlatformIdentifier"),
        "NotebookInstanceStatus": d.get("NotebookInstanceStatus"),
    }
    apply_defaults(DEFAULTS, props, live=True)
    relations = {"role": [d["RoleArn"]] if d.get("RoleArn") else [],
                 "kms_keys": [d["KmsKeyId"]] if d.get("KmsKeyId") else [],
                 "subnets": [d["SubnetId"]] if d.get("SubnetId") else [],
                 "security_groups": list(d.get("SecurityGroups") or [])}
    facets: dict = {}
    if d.get("NotebookInstanceLifecycleConfigName"):
        props["LifecycleConfig"] = read_facet(facets, "lifecycle", LIFECYCLE_CALL, lambda: lifecycle_config(
            scope, d["NotebookInstanceLifecycleConfigName"]))
    return Shape(id=d["NotebookInstanceName"], arn=d["NotebookInstanceArn"], properties=props,
                 relations={k: v for k, v in relations.items() if v}, facets=facets)


register(CollectorSpec(
    type=NOTEBOOK, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListNotebookInstances", result_key="NotebookInstances"),
    describe_call=DescribeCall(operation="DescribeNotebookInstance", param="NotebookInstanceName",
                               item_key="NotebookInstanceName"),
    normalise=normalise, tags=TAGS_SAGEMAKER, facets=NOTEBOOK_FACETS,
    extra_permissions=(LIFECYCLE_CALL,), defaults=DEFAULTS, usage_counter="notebook_instances",
    terraform=(TerraformType(
        name="aws_sagemaker_notebook_instance",
        rename={"name": "NotebookInstanceName", "security_groups": "SecurityGroupIds",
                "volume_size": "VolumeSizeInGB"},
        single=frozenset({"instance_metadata_service_configuration"}),
        drop=frozenset({"network_interface_id", "accelerator_types"})),),
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.notebookInstanceName",))
                 for n in ("CreateNotebookInstance", "UpdateNotebookInstance")),
    relations=(role("RoleArn"), kms_keys("KmsKeyId"), subnets("SubnetId"), security_groups("SecurityGroupIds[]")),
    description="Notebook instances with encryption, network and root-access settings, lifecycle scripts",
))
