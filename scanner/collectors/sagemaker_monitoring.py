"""SageMaker model monitoring schedules.

A schedule either embeds its job definition (role, network, encryption of the
monitoring job) or names a separately defined one (MonitoringJobDefinitionName);
relations come from whatever the schedule itself holds.
"""
from __future__ import annotations

from ..resource_type import CloudTrailEvent, TerraformType
from . import monitoring_constraints
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, ListCall, Scope, Shape, listing, register, registered
from .bulk import read_once
from .sagemaker_endpoints import ENDPOINT_TYPE
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


def endpoint_record(scope: Scope, item: dict) -> dict | None:
    """The schedule's whole record (DescribeMonitoringSchedule's fields and its Tags) as its
    endpoint's Search record carries it (SearchRecord Endpoint.MonitoringSchedules): the
    region's endpoint Search, which the endpoint collector makes anyway, read once. A
    schedule it does not carry (its endpoint is gone) is described."""
    def index() -> dict[str, dict]:
        return {s["MonitoringScheduleName"]: s
                for ep in listing(registered()[ENDPOINT_TYPE], scope)
                for s in ep.get("MonitoringSchedules") or []
                if s.get("MonitoringScheduleName") and s.get("MonitoringScheduleConfig")}
    return read_once(scope, "monitoring schedules in endpoint records", index,
                     action="sagemaker:Search").get(item.get("MonitoringScheduleName"))


register(CollectorSpec(
    type=MONITORING_TYPE, service="sagemaker", iam_prefix="sagemaker",
    list_call=ListCall(operation="ListMonitoringSchedules", result_key="MonitoringScheduleSummaries"),
    describe_call=DescribeCall(operation="DescribeMonitoringSchedule", param="MonitoringScheduleName",
                               item_key="MonitoringScheduleName"),
    normalise=normalise, tags=TAGS_SAGEMAKER, facets=(monitoring_constraints.FACET,),
    bulk_record=endpoint_record,
    extra_permissions=("s3:GetObject", "sagemaker:Search"),
    terraform=(TerraformType(name="aws_sagemaker_monitoring_schedule", rename={"name": "MonitoringScheduleName"},
                             single=frozenset({"monitoring_schedule_config", "schedule_config"})),),
    events=(CloudTrailEvent(name="CreateMonitoringSchedule", paths=("requestParameters.monitoringScheduleName",)),),
    relations=with_references(*monitoring_relations("MonitoringScheduleConfig.MonitoringJobDefinition.",
                                                    "MonitoringOutputConfig", "MonitoringResources")),
    description="Model monitoring schedules: endpoint, schedule, monitoring job role and encryption",
))
