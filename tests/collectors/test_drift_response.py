"""Drift that acts, end to end on in-process moto (5.2.5 implements CloudWatch's
PutMetricAlarm/DescribeAlarms and EventBridge's PutRule/ListRules/PutTargets/
ListTargetsByRule as AWS answers them): alarms and rules are collected, linked to the
endpoint's monitoring schedules, and judged by the shipped policies on the embedded
engine. A read that failed makes the drift policies NOT_ASSESSED naming it, never PASS."""
from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.cloudwatch_alarms import ALARM_TYPE
from mlwarden.collectors.eventbridge_rules import RULE_TYPE
from mlwarden.pipeline import collect
from mlwarden.model import Status

from mlwarden.demo.estate_drift import constraints_document

from ..conftest import ACCOUNT, REGION
from .test_sagemaker_monitoring import schedule_config

ROLE = f"arn:aws:iam::{ACCOUNT}:role/retrain"
PIPELINE = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/retrain"
TYPES = ["AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Model",
         "AWS::SageMaker::MonitoringSchedule", ALARM_TYPE, RULE_TYPE]
DRIFT = ("MLW-MON-012", "MLW-MON-013")


def drift_alarm(cw, name: str, endpoint: str, schedule: str, *, threshold: float = 0.1,
                actions: list[str] | None = None) -> None:
    cw.put_metric_alarm(
        AlarmName=name, Namespace="aws/sagemaker/Endpoints/data-metrics", MetricName="feature_baseline_drift_amount",
        Dimensions=[{"Name": "Endpoint", "Value": endpoint}, {"Name": "MonitoringSchedule", "Value": schedule}],
        Statistic="Maximum", Period=3600, EvaluationPeriods=1, Threshold=threshold,
        ComparisonOperator="GreaterThanThreshold", AlarmActions=actions or [])


def retrain_rule(events, name: str, alarm: str) -> None:
    events.put_rule(Name=name, EventPattern=json.dumps({
        "source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
        "detail": {"alarmName": [alarm], "state": {"value": ["ALARM"]}}}))
    events.put_targets(Rule=name, Targets=[{"Id": "retrain", "Arn": PIPELINE, "RoleArn": ROLE,
                                            "SageMakerPipelineParameters": {"PipelineParameterList": []}}])


def endpoint_with_schedule(sm, name: str) -> None:
    sm.create_model(ModelName=f"{name}-model", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/xgb:1"})
    sm.create_endpoint_config(EndpointConfigName=f"{name}-cfg", ProductionVariants=[{
        "VariantName": "primary", "ModelName": f"{name}-model", "InstanceType": "ml.m5.large",
        "InitialInstanceCount": 2}])
    sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-cfg",
                       Tags=[{"Key": "environment", "Value": "prod"}])
    config = schedule_config(name)
    config["MonitoringJobDefinition"]["BaselineConfig"]["ConstraintsResource"] = {
        "S3Uri": f"s3://monitoring-baselines/{name}/constraints.json"}
    sm.create_monitoring_schedule(MonitoringScheduleName=f"{name}-dq", MonitoringScheduleConfig=config)


@pytest.fixture
def estate(aws):
    """`acting`: a drift alarm that notifies and a rule that starts retraining on it;
    `silent`: an alarm with a lax threshold and no actions."""
    sm = boto3.client("sagemaker", region_name=REGION)
    cw, events = boto3.client("cloudwatch", region_name=REGION), boto3.client("events", region_name=REGION)
    topic = boto3.client("sns", region_name=REGION).create_topic(Name="drift")["TopicArn"]
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="monitoring-baselines", CreateBucketConfiguration={"LocationConstraint": REGION})
    for name, threshold in (("acting", 0.1), ("silent", 0.3)):
        endpoint_with_schedule(sm, name)
        s3.put_object(Bucket="monitoring-baselines", Key=f"{name}/constraints.json", Body=json.dumps(
            constraints_document(threshold)).encode())
    drift_alarm(cw, "acting-drift", "acting", "acting-dq", actions=[topic])
    retrain_rule(events, "acting-retrain", "acting-drift")
    drift_alarm(cw, "silent-drift", "silent", "silent-dq", threshold=0.4)
    return topic


def verdicts(doc, resource_id: str) -> dict[str, tuple[Status, str]]:
    return {f.policy_id: (f.status, f.message) for f in doc.findings if f.resource.get("id") == resource_id}


def test_only_alarms_on_sagemaker_metrics_are_kept_with_their_actions(aws, scope):
    cw = boto3.client("cloudwatch", region_name=REGION)
    drift_alarm(cw, "drift", "fraud", "fraud-dq", actions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:team"])
    cw.put_metric_alarm(AlarmName="cpu", Namespace="AWS/EC2", MetricName="CPUUtilization", Statistic="Average",
                        Period=60, EvaluationPeriods=1, Threshold=90, ComparisonOperator="GreaterThanThreshold")
    cw.put_metric_alarm(AlarmName="errors-math", EvaluationPeriods=1, Threshold=1,
                        ComparisonOperator="GreaterThanThreshold", Metrics=[{
                            "Id": "m1", "ReturnData": True, "MetricStat": {"Period": 60, "Stat": "Sum", "Metric": {
                                "Namespace": "AWS/SageMaker", "MetricName": "Invocation5XXErrors",
                                "Dimensions": [{"Name": "EndpointName", "Value": "fraud"}]}}}])
    result = collect_spec(registry()[ALARM_TYPE], scope)
    assert result.gaps == []
    alarms = {r.id: r for r in result.resources}
    assert sorted(alarms) == ["drift", "errors-math"]       # the EC2 alarm is not an ML resource
    drift = alarms["drift"]
    assert drift.arn == f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:drift"
    assert drift.properties["Threshold"] == 0.1
    assert drift.properties["AlarmActions"] == [f"arn:aws:sns:{REGION}:{ACCOUNT}:team"]
    assert drift.properties["Dimensions"] == [{"Name": "Endpoint", "Value": "fraud"},
                                              {"Name": "MonitoringSchedule", "Value": "fraud-dq"}]


def test_rules_on_alarms_or_sagemaker_are_kept_with_their_targets(aws, scope):
    events = boto3.client("events", region_name=REGION)
    retrain_rule(events, "retrain", "drift")
    events.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")
    events.put_rule(Name="ec2", EventPattern=json.dumps({"source": ["aws.ec2"]}))
    result = collect_spec(registry()[RULE_TYPE], scope)
    assert result.gaps == []
    [rule] = result.resources
    assert rule.id == "retrain" and rule.properties["State"] == "ENABLED"
    assert rule.properties["EventPattern"]["detail"]["alarmName"] == ["drift"]
    assert rule.properties["Targets"] == [{"Id": "retrain", "Arn": PIPELINE, "RoleArn": ROLE,
                                           "SageMakerPipelineParameters": {"PipelineParameterList": []}}]
    assert rule.facets["targets"].read


def test_drift_that_acts_passes_and_drift_that_alerts_nobody_fails(estate, aws_context, judge):
    inv = collect(aws_context, [REGION], types=TYPES)
    assert inv.gaps == []
    acting = next(r for r in inv.resources if r.id == "acting" and r.type == TYPES[0])
    [schedule] = acting.facts["drift_response"]["schedules"]
    assert schedule["acts"] == ["notification", "retraining"]
    assert {a["via"] for a in schedule["alarms"][0]["actions"]} == {"alarm action", "rule acting-retrain"}
    doc = judge(inv)
    good, bad = verdicts(doc, "acting"), verdicts(doc, "silent")
    assert [good[p][0] for p in DRIFT] == [Status.PASS, Status.PASS]
    assert [bad[p][0] for p in DRIFT] == [Status.FAIL, Status.FAIL]
    assert "silent-drift" in bad["MLW-MON-012"][1] and "40 %" in bad["MLW-MON-013"][1]


def deny(aws_context, service: str, operation: str) -> None:
    def hook(**kwargs):
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "not allowed"}}, operation)
    aws_context.client(service, REGION).meta.events.register(f"before-call.{service}.{operation}", hook)


@pytest.mark.parametrize("service, operation, action", [
    ("cloudwatch", "DescribeAlarms", "cloudwatch:DescribeAlarms"),
    ("events", "ListRules", "events:ListRules"),
])
def test_an_unread_alarm_or_rule_is_not_assessed_never_a_pass(estate, aws_context, judge, service, operation,
                                                               action):
    deny(aws_context, service, operation)
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    for endpoint in ("acting", "silent"):
        v = verdicts(doc, endpoint)
        for policy in DRIFT:
            assert v[policy][0] == Status.NOT_ASSESSED, (endpoint, policy, v[policy])
            assert action in v[policy][1] and "drift_response" in v[policy][1]
        # the endpoint is still judged by what does not need its monitors
        assert v["MLW-MON-003"][0] == Status.PASS


def test_unread_targets_hide_only_what_the_rule_could_act_on(estate, aws_context, judge):
    # The rule's pattern was read: it reacts to acting-drift only. Its targets were not.
    deny(aws_context, "events", "ListTargetsByRule")
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    acting, silent = verdicts(doc, "acting"), verdicts(doc, "silent")
    assert acting["MLW-MON-012"][0] == Status.NOT_ASSESSED
    assert "events:ListTargetsByRule" in acting["MLW-MON-012"][1] and "acting-retrain" in acting["MLW-MON-012"][1]
    # silent's alarm is matched by no rule, whatever the targets: it still alerts nobody
    assert silent["MLW-MON-012"][0] == Status.FAIL


def test_a_schedule_whose_definition_was_not_read_hides_what_it_watches(estate, aws_context, judge):
    """A schedule that names its job definition may leave its endpoint to the definition;
    when the definition could not be read, every endpoint of the region may be the watched
    one: its drift verdicts are NOT_ASSESSED, naming that read."""
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_data_quality_job_definition(
        JobDefinitionName="acting-dq-named", RoleArn=ROLE,
        DataQualityAppSpecification={"ImageUri": "model-monitor:latest"},
        DataQualityJobInput={"EndpointInput": {"EndpointName": "acting", "LocalPath": "/opt/ml/processing/input"}},
        DataQualityJobOutputConfig={"MonitoringOutputs": [{"S3Output": {
            "S3Uri": "s3://monitoring-reports/acting", "LocalPath": "/opt/ml/processing/output"}}]},
        JobResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}})
    sm.create_monitoring_schedule(MonitoringScheduleName="acting-dq-named", MonitoringScheduleConfig={
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"}, "MonitoringType": "DataQuality",
        "MonitoringJobDefinitionName": "acting-dq-named"})
    types = TYPES + ["AWS::SageMaker::DataQualityJobDefinition"]
    read = collect(aws_context, [REGION], types=types)
    [acting] = [r for r in read.resources if r.id == "acting" and r.type == TYPES[0]]
    assert sorted(s["name"] for s in acting.facts["drift_response"]["schedules"]) == ["acting-dq", "acting-dq-named"]

    deny(aws_context, "sagemaker", "ListDataQualityJobDefinitions")
    doc = judge(collect(aws_context, [REGION], types=types))
    for endpoint in ("acting", "silent"):
        status, message = verdicts(doc, endpoint)["MLW-MON-012"]
        assert status == Status.NOT_ASSESSED and "acting-dq-named" in message
        assert "sagemaker:ListDataQualityJobDefinitions failed with AccessDenied" in message


def test_baseline_constraints_are_read_and_judged_and_unread_ones_not_assessed(estate, aws_context, judge):
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    assert verdicts(doc, "acting")["MLW-MON-015"][0] == Status.PASS
    status, message = verdicts(doc, "silent")["MLW-MON-015"]
    assert status == Status.FAIL and "distance of 30 % (comparison_threshold)" in message

    # A baseline that cannot be read: that policy is NOT_ASSESSED, the others still judge.
    deny(aws_context, "s3", "GetObject")
    aws_context.scan_state.clear()   # the first scan's reads are cached per URL
    doc = judge(collect(aws_context, [REGION], types=TYPES))
    for endpoint in ("acting", "silent"):
        status, message = verdicts(doc, endpoint)["MLW-MON-015"]
        assert status == Status.NOT_ASSESSED and "s3:GetObject failed with AccessDenied" in message, message
    assert verdicts(doc, "acting")["MLW-MON-012"][0] == Status.PASS
    assert verdicts(doc, "silent")["MLW-MON-012"][0] == Status.FAIL


def test_a_baseline_that_is_not_json_is_an_unread_facet(aws, scope):
    from mlwarden.collectors.monitoring_constraints import read_constraints
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="baselines", CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket="baselines", Key="c.json", Body=b"<html>not json</html>")
    facets: dict = {}
    assert read_constraints(scope, "s3://baselines/c.json", facets) is None
    assert facets["baseline_constraints"].operation == "s3:GetObject"
    assert facets["baseline_constraints"].error_code == "Unreadable"
