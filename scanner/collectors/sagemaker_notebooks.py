"""SageMaker notebook instances."""
from __future__ import annotations

from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register


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
    return Shape(id=d["NotebookInstanceName"], arn=d["NotebookInstanceArn"], properties=props,
                 relations={k: v for k, v in relations.items() if v})


register(CollectorSpec(
    type="AWS::SageMaker::NotebookInstance", service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListNotebookInstances", result_key="NotebookInstances"),
    describe_call=DescribeCall(operation="DescribeNotebookInstance", param="NotebookInstanceName",
                               item_key="NotebookInstanceName"),
    normalise=normalise, tags=TAGS_SAGEMAKER,
    description="Notebook instances with encryption, network and root-access settings",
))
