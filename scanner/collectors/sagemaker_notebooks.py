"""SageMaker notebook instances, with their lifecycle configuration's scripts.

The scripts (base64 in OnCreate/OnStart) are read so that a secret in them is found
(`facts.secret_findings`) and then redacted like every other value that can hold
one; the configuration is described through the notebook that uses it.
"""
from __future__ import annotations

from botocore.exceptions import ClientError

from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, error_code, register
from .sagemaker_common import iso


def lifecycle_config(scope: Scope, name: str) -> tuple[dict | None, dict]:
    """(the configuration's CloudFormation-shaped properties, facts) for one name."""
    try:
        d = scope.client("sagemaker").describe_notebook_instance_lifecycle_config(
            NotebookInstanceLifecycleConfigName=name)
    except ClientError as exc:
        # The notebook itself was read; say what could not be, instead of dropping it.
        return None, {"lifecycle_config_error": f"sagemaker:DescribeNotebookInstanceLifecycleConfig failed: "
                                                f"{error_code(exc)}"}
    return iso({"NotebookInstanceLifecycleConfigName": d.get("NotebookInstanceLifecycleConfigName"),
                "OnCreate": d.get("OnCreate") or [], "OnStart": d.get("OnStart") or [],
                "LastModifiedTime": d.get("LastModifiedTime")}), {}


def normalise(d: dict, scope: Scope) -> Shape:
    props = {
        "NotebookInstanceName": d["NotebookInstanceName"],
        "InstanceType": d.get("InstanceType"),
        "RoleArn": d.get("RoleArn"),
        "KmsKeyId": d.get("KmsKeyId"),
        "SubnetId": d.get("SubnetId"),
        "SecurityGroupIds": d.get("SecurityGroups") or [],
        "DirectInternetAccess": d.get("DirectInternetAccess", "Enabled"),
        # AWS defaults RootAccess to Enabled and may omit it from the answer.
        "RootAccess": d.get("RootAccess") or "Enabled",
        "LifecycleConfigName": d.get("NotebookInstanceLifecycleConfigName"),
        "VolumeSizeInGB": d.get("VolumeSizeInGB"),
        "PlatformIdentifier": d.get("PlatformIdentifier"),
        "NotebookInstanceStatus": d.get("NotebookInstanceStatus"),
    }
    relations = {"role": [d["RoleArn"]] if d.get("RoleArn") else [],
                 "kms_keys": [d["KmsKeyId"]] if d.get("KmsKeyId") else [],
                 "subnets": [d["SubnetId"]] if d.get("SubnetId") else [],
                 "security_groups": list(d.get("SecurityGroups") or [])}
    facts: dict = {}
    if d.get("NotebookInstanceLifecycleConfigName"):
        props["LifecycleConfig"], facts = lifecycle_config(scope, d["NotebookInstanceLifecycleConfigName"])
    return Shape(id=d["NotebookInstanceName"], arn=d["NotebookInstanceArn"], properties=props, facts=facts,
                 relations={k: v for k, v in relations.items() if v})


register(CollectorSpec(
    type="AWS::SageMaker::NotebookInstance", service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListNotebookInstances", result_key="NotebookInstances"),
    describe_call=DescribeCall(operation="DescribeNotebookInstance", param="NotebookInstanceName",
                               item_key="NotebookInstanceName"),
    normalise=normalise, tags=TAGS_SAGEMAKER,
    extra_permissions=("sagemaker:DescribeNotebookInstanceLifecycleConfig",),
    description="Notebook instances with encryption, network and root-access settings, lifecycle scripts",
))
