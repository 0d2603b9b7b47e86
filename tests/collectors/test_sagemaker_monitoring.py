"""Monitoring schedule collector: a coverage gap where the service cannot answer (moto as
shipped), and the real collection against moto extended per the AWS API reference."""
from __future__ import annotations

import boto3
import pytest
from moto.sagemaker.responses import SageMakerResponse

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_monitoring import MONITORING_TYPE
from mlwarden.pipeline import collect

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/monitor"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/6666ffff-66ff-66ff-66ff-666666666666"


def schedule_config(endpoint: str, *, kms: bool = True) -> dict:
    output = {"MonitoringOutputs": [{"S3Output": {"S3Uri": f"s3://monitoring-reports/{endpoint}",
                                                  "LocalPath": "/opt/ml/processing/output"}}]}
    cluster = {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}
    if kms:
        output["KmsKeyId"] = KEY
        cluster["VolumeKmsKeyId"] = KEY
    return {
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
        "MonitoringType": "DataQuality",
        "MonitoringJobDefinition": {
            "BaselineConfig": {"StatisticsResource": {"S3Uri": "s3://monitoring-baselines/stats.json"}},
            "MonitoringInputs": [{"EndpointInput": {"EndpointName": endpoint,
                                                    "LocalPath": "/opt/ml/processing/input"}}],
            "MonitoringOutputConfig": output,
            "MonitoringResources": {"ClusterConfig": cluster},
            "MonitoringAppSpecification": {"ImageUri": "model-monitor:latest"},
            "NetworkConfig": {"EnableNetworkIsolation": True,
                              "VpcConfig": {"SecurityGroupIds": ["sg-0mon"], "Subnets": ["subnet-0mon"]}},
            "RoleArn": ROLE,
        },
    }


def test_unimplemented_service_is_a_gap_and_the_rest_of_the_scan_completes(aws, aws_context, monkeypatch):
    # moto as shipped has no monitoring-schedule calls: the collector cannot read the type.
    # (The demo server extends moto for the whole process; undo that here, for this test.)
    for name in ("list_monitoring_schedules", "describe_monitoring_schedule"):
        monkeypatch.delattr(SageMakerResponse, name, raising=False)
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_notebook_instance(NotebookInstanceName="nb", InstanceType="ml.t3.medium", RoleArn=ROLE)
    inv = collect(aws_context, [REGION], types=[MONITORING_TYPE, "AWS::SageMaker::NotebookInstance"])
    [gap] = [g for g in inv.gaps if g.resource_type == MONITORING_TYPE]
    assert gap.region == REGION and gap.account == ACCOUNT
    assert gap.operation == "sagemaker:ListMonitoringSchedules"
    assert gap.error_code == "NotImplementedError"
    assert "list_monitoring_schedules" in gap.message
    # the other type was still collected
    assert [r.id for r in inv.resources if r.type == "AWS::SageMaker::NotebookInstance"] == ["nb"]
    assert not any(r.type == MONITORING_TYPE for r in inv.resources)


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


def test_monitoring_schedule_properties_relations_and_tags(sm, scope):
    sm.create_monitoring_schedule(MonitoringScheduleName="fraud-dq", MonitoringScheduleConfig=schedule_config("fraud"),
                                  Tags=[{"Key": "owner", "Value": "risk-ml"}])
    sm.create_monitoring_schedule(MonitoringScheduleName="churn-dq",
                                  MonitoringScheduleConfig=schedule_config("churn", kms=False))
    result = collect_spec(registry()[MONITORING_TYPE], scope)
    assert result.gaps == []
    schedules = {r.id: r for r in result.resources}
    s = schedules["fraud-dq"]
    assert s.arn == f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:monitoring-schedule/fraud-dq"
    assert s.properties["EndpointName"] == "fraud"
    assert s.properties["MonitoringScheduleStatus"] == "Scheduled"
    assert s.properties["MonitoringType"] == "DataQuality"
    cfg = s.properties["MonitoringScheduleConfig"]
    assert cfg["ScheduleConfig"]["ScheduleExpression"] == "cron(0 * ? * * *)"
    assert cfg["MonitoringJobDefinition"]["MonitoringOutputConfig"]["KmsKeyId"] == KEY
    assert s.properties["CreationTime"].endswith("+00:00")
    assert s.tags == {"owner": "risk-ml"}
    assert s.relations == {"role": [ROLE], "kms_keys": [KEY], "subnets": ["subnet-0mon"],
                           "security_groups": ["sg-0mon"],
                           "buckets": ["monitoring-baselines", "monitoring-reports"]}
    c = schedules["churn-dq"]
    assert "KmsKeyId" not in c.properties["MonitoringScheduleConfig"]["MonitoringJobDefinition"][
        "MonitoringOutputConfig"]
    assert "kms_keys" not in c.relations
    assert c.tags == {}


def test_every_page_of_schedules_is_collected(sm, scope):
    for i in range(23):  # the extended moto answers 10 per page by default
        sm.create_monitoring_schedule(MonitoringScheduleName=f"s-{i:02d}",
                                      MonitoringScheduleConfig=schedule_config(f"ep-{i}"))
    result = collect_spec(registry()[MONITORING_TYPE], scope)
    assert result.gaps == []
    assert sorted(r.id for r in result.resources) == [f"s-{i:02d}" for i in range(23)]


def test_the_emulation_answers_schedule_errors_filters_and_order_as_aws(sm):
    # The collector's stand-in must fail and list as the SageMaker API reference says
    # (scanner/demo/moto_extensions.py), or a test could pass on answers AWS never gives.
    from botocore.exceptions import ClientError
    sm.create_monitoring_schedule(MonitoringScheduleName="first", MonitoringScheduleConfig=schedule_config("a"))
    sm.create_monitoring_schedule(MonitoringScheduleName="second", MonitoringScheduleConfig=schedule_config("b"))
    with pytest.raises(ClientError) as dup:
        sm.create_monitoring_schedule(MonitoringScheduleName="first", MonitoringScheduleConfig=schedule_config("a"))
    assert dup.value.response["Error"]["Code"] == "ResourceInUse"
    with pytest.raises(ClientError) as missing:
        sm.describe_monitoring_schedule(MonitoringScheduleName="none")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    names = lambda **kw: [s["MonitoringScheduleName"]  # noqa: E731
                          for s in sm.list_monitoring_schedules(**kw)["MonitoringScheduleSummaries"]]
    assert names() == ["second", "first"]   # CreationTime, Descending by default
    assert names(SortBy="Name", SortOrder="Ascending") == ["first", "second"]
    assert names(NameContains="sec") == ["second"] and names(EndpointName="a") == ["first"]
