"""SageMaker notebook instance lifecycle configurations, each read as a resource of its own.

A configuration's scripts (OnCreate, OnStart: base64 shell, up to 16 KB each) run as
root on every notebook that uses it, so a credential written into one is handed to
every such notebook and to whoever can read the configuration. The scripts are read so
that the redaction pass (scanner/redaction.py) can run the secret detector on them
before replacing each `Content` with its marker: policies judge the detector's verdicts
(`facts.secret_findings`: path, line, detector), never the script.

Read on its own rather than only through a notebook (scanner/collectors/sagemaker_notebooks.py
also describes the configuration a notebook names): a configuration no notebook uses yet
still holds the secret, and a template declares it as its own resource. No tags: the
CloudFormation type has no Tags property.
"""
from __future__ import annotations

from ..resource_type import CloudTrailEvent, TerraformType
from .base import TAGS_NONE, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .bulk import read_once
from .sagemaker_common import iso

LIFECYCLE_CONFIG = "AWS::SageMaker::NotebookInstanceLifecycleConfig"
DESCRIBE_CALL = "sagemaker:DescribeNotebookInstanceLifecycleConfig"


def described(scope: Scope, name: str) -> dict:
    """DescribeNotebookInstanceLifecycleConfig, once per run and region for each name:
    this type and the notebooks that name the configuration (their `lifecycle` facet)
    share the answer instead of asking twice. A failure is raised to both, named."""
    def read() -> dict:
        d = scope.client("sagemaker").describe_notebook_instance_lifecycle_config(
            NotebookInstanceLifecycleConfigName=name)
        d.pop("ResponseMetadata", None)
        return d
    return read_once(scope, (DESCRIBE_CALL, name), read, action=DESCRIBE_CALL)


def _shared_answer(scope: Scope, item: dict) -> dict | None:
    """The describe answer through the shared read (`described`); when it failed the
    collector's own describe call asks again and records the gap."""
    return described(scope, item["NotebookInstanceLifecycleConfigName"])


def _hooks(hooks: object) -> list[dict]:
    """Only the member CloudFormation has ({Content}); an answer without hooks is []."""
    return [{"Content": h.get("Content")} for h in hooks or [] if isinstance(h, dict)] \
        if isinstance(hooks, list) else []


def normalise(d: dict, scope: Scope) -> Shape:
    name = d["NotebookInstanceLifecycleConfigName"]
    props = iso({
        "NotebookInstanceLifecycleConfigName": name,
        "OnCreate": _hooks(d.get("OnCreate")),
        "OnStart": _hooks(d.get("OnStart")),
        "LastModifiedTime": d.get("LastModifiedTime"),
    })
    return Shape(id=name, arn=d["NotebookInstanceLifecycleConfigArn"], properties=props)


register(CollectorSpec(
    type=LIFECYCLE_CONFIG, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListNotebookInstanceLifecycleConfigs",
                       result_key="NotebookInstanceLifecycleConfigs"),
    describe_call=DescribeCall(operation="DescribeNotebookInstanceLifecycleConfig",
                               param="NotebookInstanceLifecycleConfigName",
                               item_key="NotebookInstanceLifecycleConfigName"),
    normalise=normalise, tags=TAGS_NONE, bulk_record=_shared_answer,
    # Terraform holds each hook as one base64 string (on_create, on_start), not a list of
    # {Content}: a builder in scanner/iac/terraform_types.py (BUILDERS) gives the shape.
    terraform=(TerraformType(name="aws_sagemaker_notebook_instance_lifecycle_configuration",
                             rename={"name": "NotebookInstanceLifecycleConfigName"}),),
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.notebookInstanceLifecycleConfigName",))
                 for n in ("CreateNotebookInstanceLifecycleConfig", "UpdateNotebookInstanceLifecycleConfig")),
    description="Notebook lifecycle configurations: their OnCreate/OnStart scripts, scanned for secrets "
                "and redacted",
))
