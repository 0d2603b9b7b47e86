"""Direct internet access on a notebook instance: plan only.

AWS cannot change DirectInternetAccess on an existing notebook instance
(UpdateNotebookInstance has no such parameter): the fix is a new instance in a VPC
subnet, which moves people's work and is left to a person. The plan lists the
exact steps and the CreateNotebookInstance call.
"""
from __future__ import annotations

from .base import Call, Runbook, Target, register
from .common import notebook_state


def _new_notebook(state: dict, t: Target) -> Call:
    subnet = state["SubnetId"] or t.setting("notebook_subnet_id") or "<subnet with a NAT gateway or VPC endpoints>"
    groups = state["SecurityGroups"] or t.setting("notebook_security_group_ids") or ["<security group id>"]
    params = {"NotebookInstanceName": f"{t.id}-vpc", "InstanceType": state["InstanceType"],
              "RoleArn": state["RoleArn"], "SubnetId": subnet, "SecurityGroupIds": groups,
              "DirectInternetAccess": "Disabled", "RootAccess": state["RootAccess"]}
    for k in ("KmsKeyId", "VolumeSizeInGB", "LifecycleConfigName", "PlatformIdentifier"):
        if state.get(k):
            params[k] = state[k]
    return Call(service="sagemaker", operation="CreateNotebookInstance", params=params,
                note="the replacement, without direct internet access")


def changes(state: dict, t: Target) -> list[Call]:
    if state["DirectInternetAccess"] == "Disabled":
        return []
    return [
        Call(service="sagemaker", operation="StopNotebookInstance", params={"NotebookInstanceName": t.id}),
        _new_notebook(state, t),
        Call(service="sagemaker", operation="DeleteNotebookInstance", params={"NotebookInstanceName": t.id},
             note="only after the work has been copied to the new instance"),
    ]


def steps(state: dict, t: Target) -> list[str]:
    if state["DirectInternetAccess"] == "Disabled":
        return []
    new = _new_notebook(state, t).params
    return [
        f"1. Tell the notebook's users; in Jupyter on {t.id}, save and close every notebook.",
        f"2. Copy /home/ec2-user/SageMaker to S3: `aws s3 sync /home/ec2-user/SageMaker s3://<bucket>/{t.id}/` "
        "(from a terminal in the notebook).",
        f"3. Stop {t.id}: `aws sagemaker stop-notebook-instance --notebook-instance-name {t.id}`.",
        f"4. Create {new['NotebookInstanceName']} in subnet {new['SubnetId']} with DirectInternetAccess=Disabled "
        "(the CreateNotebookInstance call below); the subnet needs a NAT gateway or VPC endpoints for "
        "SageMaker, S3 and the package mirrors the team uses.",
        f"5. On the new instance, copy the work back: `aws s3 sync s3://<bucket>/{t.id}/ /home/ec2-user/SageMaker`.",
        f"6. When the users confirm, delete {t.id}: `aws sagemaker delete-notebook-instance "
        f"--notebook-instance-name {t.id}`.",
        "7. Run `mlwarden scan` again: the new instance passes, the old one is gone.",
    ]


register(Runbook(
    id="notebook-direct-internet", title="Move the notebook behind a VPC without direct internet access",
    policies=("MLW-NET-001",), resource_types=("AWS::SageMaker::NotebookInstance",),
    permissions=("sagemaker:DescribeNotebookInstance",),
    read_state=notebook_state, changes=changes, steps=steps, automatic=False,
))
