"""SageMaker model monitoring schedules.

A schedule either embeds its job definition (role, network, encryption of the
monitoring job) or names a separately defined one (MonitoringJobDefinitionName);
relations come from whatever the schedule itself holds.
"""
from __future__ import annotations

from ..resource_type import CloudTrailEvent, TerraformType
from . import monitoring_constraints
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, register
from .sagemaker_job_definitions import monitoring_relations
from .sagemaker_common import iso, references, with_references

MONITORING_TYPE = "AWS::SageMaker::MonitoringSchedule"


def normalise(d: dict, scope: Scope) -> Shape:
    props = {
        "MonitoringScheduleName": d["MonitoringScheduleName"],
        "MonitoringScheduleConfig": d.get("MonitoringScheduleConfig"),
        "MonitoringType": d.get("MonitoringType"),
        "EndpointName": d.get("EndpointName"),
        "MonitoringScheduleStatus": d.get("MonitoringScheduleStatus"),
        "FailureReason": d.get("FailureReason"),
        "LastMonitoringExecutionSummary": d.get("LastMonitoringExecutionSummary"),
        "CreationTime": d.get("CreationTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    # An embedded data-quality definition names its baseline constraints; a named one's are
    # read with the definition (sagemaker_job_definitions.py).
    definition = (d.get("MonitoringScheduleConfig") or {}).get("MonitoringJobDefinition") or {}
    facets: dict = {}
    kind = d.get("MonitoringType") or (d.get("MonitoringScheduleConfig") or {}).get("MonitoringType") or "DataQuality"
    constraints = monitoring_constraints.read_constraints(
        scope, monitoring_constraints.constraints_uri(definition.get("BaselineConfig")), facets) \
        if kind == "DataQuality" else None
    return Shape(id=d["MonitoringScheduleName"], arn=d["MonitoringScheduleArn"], properties=iso(props),
                 facts={"baseline_constraints": constraints} if constraints else {},
                 relations=references(d.get("MonitoringScheduleConfig") or {}), facets=facets)


register(CollectorSpec(
    type=MONITORING_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListMonitoringSchedules", result_key="MonitoringScheduleSummaries"),
    describe_call=DescribeCall(operation="DescribeMonitoringSchedule", param="MonitoringScheduleName",
                               item_key="MonitoringScheduleName"),
    normalise=normalise, tags=TAGS_SAGEMAKER, facets=(monitoring_constraints.FACET,),
    extra_permissions=("s3:GetObject",),
    terraform=(TerraformType(name="aws_sagemaker_monitoring_schedule", rename={"name": "MonitoringScheduleName"},
                             single=frozenset({"monitoring_schedule_config", "schedule_config"})),),
    events=(CloudTrailEvent(name="CreateMonitoringSchedule", paths=("requestParameters.monitoringScheduleName",)),),
    relations=with_references(*monitoring_relations("MonitoringScheduleConfig.MonitoringJobDefinition.",
                                                    "MonitoringOutputConfig", "MonitoringResources")),
    description="Model monitoring schedules: endpoint, schedule, monitoring job role and encryption",
))
