"""SageMaker pipelines, with the pipeline definition parsed.

DescribePipeline returns the definition as a JSON string; policies get it as an
object (`PipelineDefinition.Steps[].Arguments…`), so a rule can look at what each
step will run (roles, KMS keys, network isolation) before it ever runs. The
relations include what the steps name literally (roles, keys, buckets, subnets).
"""
from __future__ import annotations

import json

from ..resource_type import CloudTrailEvent, role
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_common import iso, merge, references, with_references

PIPELINE_TYPE = "AWS::SageMaker::Pipeline"


def normalise(d: dict, scope: Scope) -> Shape:
    raw = d.get("PipelineDefinition")
    facts: dict = {}
    definition = None
    if raw:
        try:
            definition = json.loads(raw)
        except ValueError as exc:
            # AWS validates the definition on create, so this is unexpected: keep the
            # text and say why it was not parsed rather than guess.
            facts["pipeline_definition_error"] = f"not valid JSON: {exc}"
    props = {
        "PipelineName": d["PipelineName"],
        "PipelineDisplayName": d.get("PipelineDisplayName"),
        "PipelineDescription": d.get("PipelineDescription"),
        "PipelineDefinition": definition if definition is not None else (
            {"PipelineDefinitionBody": raw} if raw else None),
        "RoleArn": d.get("RoleArn"),
        "PipelineStatus": d.get("PipelineStatus"),
        "ParallelismConfiguration": d.get("ParallelismConfiguration"),
        "CreatedBy": d.get("CreatedBy"),
        "LastModifiedBy": d.get("LastModifiedBy"),
        "CreationTime": d.get("CreationTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
        "LastRunTime": d.get("LastRunTime"),
    }
    if isinstance(definition, dict):
        facts["steps"] = [{"Name": s.get("Name"), "Type": s.get("Type")}
                          for s in definition.get("Steps") or [] if isinstance(s, dict)]
    # The pipeline's own role first, then whatever the steps name.
    relations = merge({"role": [d["RoleArn"]] if d.get("RoleArn") else []},
                      references({k: v for k, v in d.items() if k != "PipelineDefinition"}),
                      references(definition))
    return Shape(id=d["PipelineName"], arn=d["PipelineArn"], properties=iso(props), facts=facts,
                 relations=relations)


register(CollectorSpec(
    type=PIPELINE_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListPipelines", result_key="PipelineSummaries"),
    describe_call=DescribeCall(operation="DescribePipeline", param="PipelineName", item_key="PipelineName"),
    normalise=normalise, tags=TAGS_SAGEMAKER,
    events=tuple(CloudTrailEvent(name=n, paths=("requestParameters.pipelineName",))
                 for n in ("CreatePipeline", "UpdatePipeline")),
    relations=with_references(role("RoleArn")),   # the steps' references: live only
    description="Pipelines: role and the parsed pipeline definition (steps and their settings)",
))
