"""Monitoring job definitions and the schedules that name them, declared in a template or a
Terraform plan: judged before release as a scan of the deployed account judges them."""
from __future__ import annotations

import json
import textwrap

from mlwarden.api import EvalOptions
from mlwarden.iac.scan import CHECKOV_OFF, IacOptions, scan_iac
from mlwarden.model import Status

KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
POLICIES = ("MLW-ENC-009", "MLW-ENC-010", "MLW-ENC-016", "MLW-NET-018", "MLW-NET-020")


def _verdicts(result, rid: str) -> dict[str, Status]:
    return {f.policy_id: f.status for f in result.findings.findings if f.resource.get("id") == rid}


def _messages(result, rid: str) -> str:
    return " ".join(f.message for f in result.findings.findings if f.resource.get("id") == rid)


TEMPLATE = textwrap.dedent(f"""\
    AWSTemplateFormatVersion: 2010-09-09
    Resources:
      Quality:
        Type: AWS::SageMaker::DataQualityJobDefinition
        Properties:
          JobDefinitionName: scorer-dq
          RoleArn: arn:aws:iam::111122223333:role/monitor
          DataQualityAppSpecification: {{ImageUri: model-monitor:latest}}
          DataQualityJobInput:
            EndpointInput: {{EndpointName: scorer, LocalPath: /opt/ml/processing/input}}
          DataQualityJobOutputConfig:
            KmsKeyId: {KEY}
            MonitoringOutputs: [{{S3Output: {{S3Uri: s3://ml-monitoring/dq, LocalPath: /opt/ml/processing/output}}}}]
          JobResources:
            ClusterConfig: {{InstanceCount: 1, InstanceType: ml.m5.large, VolumeSizeInGB: 20, VolumeKmsKeyId: {KEY}}}
          NetworkConfig:
            EnableNetworkIsolation: true
            EnableInterContainerTrafficEncryption: true
            VpcConfig: {{Subnets: [subnet-0abc], SecurityGroupIds: [sg-0abc]}}
      Bias:
        Type: AWS::SageMaker::ModelBiasJobDefinition
        Properties:
          RoleArn: arn:aws:iam::111122223333:role/monitor
          ModelBiasAppSpecification: {{ImageUri: clarify:latest, ConfigUri: s3://ml-monitoring/bias.json}}
          ModelBiasJobInput:
            EndpointInput: {{EndpointName: scorer, LocalPath: /opt/ml/processing/input}}
            GroundTruthS3Input: {{S3Uri: s3://ml-monitoring/truth}}
          ModelBiasJobOutputConfig:
            MonitoringOutputs: [{{S3Output: {{S3Uri: s3://ml-monitoring/bias, LocalPath: /opt/ml/processing/output}}}}]
          JobResources:
            ClusterConfig: {{InstanceCount: 2, InstanceType: ml.m5.large, VolumeSizeInGB: 20}}
      ByRef:
        Type: AWS::SageMaker::MonitoringSchedule
        Properties:
          MonitoringScheduleName: scorer-dq-ref
          MonitoringScheduleConfig:
            MonitoringType: DataQuality
            MonitoringJobDefinitionName: !GetAtt Quality.JobDefinitionArn
            ScheduleConfig: {{ScheduleExpression: cron(0 * ? * * *)}}
      ByName:
        Type: AWS::SageMaker::MonitoringSchedule
        Properties:
          MonitoringScheduleName: scorer-dq-name
          MonitoringScheduleConfig:
            MonitoringType: DataQuality
            MonitoringJobDefinitionName: scorer-dq
            ScheduleConfig: {{ScheduleExpression: cron(0 * ? * * *)}}
      BiasByRef:
        Type: AWS::SageMaker::MonitoringSchedule
        Properties:
          MonitoringScheduleName: scorer-bias
          MonitoringScheduleConfig:
            MonitoringType: ModelBias
            MonitoringJobDefinitionName: !Ref Bias
            ScheduleConfig: {{ScheduleExpression: cron(0 * ? * * *)}}
      Elsewhere:
        Type: AWS::SageMaker::MonitoringSchedule
        Properties:
          MonitoringScheduleName: scorer-other
          MonitoringScheduleConfig:
            MonitoringType: ModelQuality
            MonitoringJobDefinitionName: defined-in-another-stack
            ScheduleConfig: {{ScheduleExpression: cron(0 * ? * * *)}}
    """)


def test_template_schedules_are_judged_by_the_definitions_they_name(tmp_path):
    t = tmp_path / "monitoring.yaml"
    t.write_text(TEMPLATE)
    result = scan_iac(IacOptions(paths=(t,), checkov=CHECKOV_OFF), EvalOptions())
    for schedule in ("ByRef", "ByName"):
        v = _verdicts(result, schedule)
        assert {p: v[p] for p in POLICIES} == {p: Status.PASS for p in POLICIES}, _messages(result, schedule)
    bias = _verdicts(result, "BiasByRef")
    assert {p: bias[p] for p in POLICIES} == {p: Status.FAIL for p in POLICIES}
    assert "could not determine" not in _messages(result, "BiasByRef")
    # The definitions themselves.
    assert {p: _verdicts(result, "Quality")[p] for p in POLICIES} == {p: Status.PASS for p in POLICIES}
    assert _verdicts(result, "Bias")["MLW-ENC-022"] == Status.FAIL   # two instances, unencrypted
    # A definition the scanned files do not hold: said, never passed.
    other = _verdicts(result, "Elsewhere")
    assert other["MLW-NET-018"] == Status.FAIL
    assert "no job definition defined-in-another-stack" in _messages(result, "Elsewhere")


def _plan() -> dict:
    definition = {
        "name": "scorer-dq", "role_arn": "arn:aws:iam::111122223333:role/monitor",
        "data_quality_app_specification": [{"image_uri": "model-monitor:latest"}],
        "data_quality_job_input": [{"endpoint_input": [{"endpoint_name": "scorer",
                                                        "local_path": "/opt/ml/processing/input"}]}],
        "data_quality_job_output_config": [{"kms_key_id": KEY, "monitoring_outputs": [{"s3_output": [{
            "s3_uri": "s3://ml-monitoring/dq", "local_path": "/opt/ml/processing/output"}]}]}],
        "job_resources": [{"cluster_config": [{"instance_count": 1, "instance_type": "ml.m5.large",
                                               "volume_size_in_gb": 20, "volume_kms_key_id": KEY}]}],
        "network_config": [{"enable_network_isolation": True, "enable_inter_container_traffic_encryption": True,
                            "vpc_config": [{"subnets": ["subnet-0abc"], "security_group_ids": ["sg-0abc"]}]}],
        "tags": {"owner": "ml-platform"},
    }
    schedule = {"name": "scorer-dq", "monitoring_schedule_config": [{
        "monitoring_job_definition_name": "scorer-dq", "monitoring_type": "DataQuality",
        "schedule_config": [{"schedule_expression": "cron(0 * ? * * *)"}]}]}
    resources = [
        {"address": "aws_sagemaker_data_quality_job_definition.dq", "mode": "managed",
         "type": "aws_sagemaker_data_quality_job_definition", "name": "dq", "values": definition},
        {"address": "aws_sagemaker_monitoring_schedule.dq", "mode": "managed",
         "type": "aws_sagemaker_monitoring_schedule", "name": "dq", "values": schedule},
    ]
    return {"format_version": "1.2", "planned_values": {"root_module": {"resources": resources}},
            "resource_changes": [{"address": r["address"], "change": {"after_unknown": {}}} for r in resources],
            "configuration": {"root_module": {"resources": [
                {"address": "aws_sagemaker_monitoring_schedule.dq", "expressions": {"monitoring_schedule_config": [{
                    "monitoring_job_definition_name": {
                        "references": ["aws_sagemaker_data_quality_job_definition.dq.name",
                                       "aws_sagemaker_data_quality_job_definition.dq"]}}]}}]}}}


def test_terraform_plan_definitions_and_schedules(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_plan()))
    result = scan_iac(IacOptions(paths=(plan,), checkov=CHECKOV_OFF), EvalOptions())
    definition = next(r for r in result.inventory.resources if r.type == "AWS::SageMaker::DataQualityJobDefinition")
    assert definition.properties["JobResources"]["ClusterConfig"]["VolumeSizeInGB"] == 20
    assert definition.properties["DataQualityJobOutputConfig"]["MonitoringOutputs"][0]["S3Output"]["S3Uri"] \
        == "s3://ml-monitoring/dq"
    assert definition.tags == {"owner": "ml-platform"}
    for rid in ("aws_sagemaker_data_quality_job_definition.dq", "aws_sagemaker_monitoring_schedule.dq"):
        v = _verdicts(result, rid)
        assert {p: v[p] for p in POLICIES} == {p: Status.PASS for p in POLICIES}, _messages(result, rid)
