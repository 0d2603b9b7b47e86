"""Monitoring job definitions (data quality, model quality, bias, explainability): collected
on moto (5.2.5 implements their Create/Describe/List/Delete calls and ListTags as AWS
answers them), judged themselves, and resolved into the schedules that name them."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_job_definitions import KINDS
from mlwarden.pipeline import collect
from mlwarden.model import Status

from ..conftest import ACCOUNT, REGION

ROLE = f"arn:aws:iam::{ACCOUNT}:role/monitor"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/6666ffff-66ff-66ff-66ff-666666666666"
SNAKE = {"DataQuality": "data_quality", "ModelQuality": "model_quality", "ModelBias": "model_bias",
         "ModelExplainability": "model_explainability"}
APP = {"DataQuality": {"ImageUri": "model-monitor:latest"},
       "ModelQuality": {"ImageUri": "model-monitor:latest", "ProblemType": "BinaryClassification"},
       "ModelBias": {"ImageUri": "clarify:latest", "ConfigUri": "s3://monitoring-config/bias.json"},
       "ModelExplainability": {"ImageUri": "clarify:latest", "ConfigUri": "s3://monitoring-config/shap.json"}}


def create_definition(sm, kind: str, name: str, *, compliant: bool, instances: int = 1) -> str:
    output = {"MonitoringOutputs": [{"S3Output": {"S3Uri": f"s3://monitoring-reports/{name}",
                                                  "LocalPath": "/opt/ml/processing/output"}}]}
    cluster = {"InstanceCount": instances, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 20}
    network = {}
    if compliant:
        output["KmsKeyId"] = cluster["VolumeKmsKeyId"] = KEY
        network = {"EnableNetworkIsolation": True, "EnableInterContainerTrafficEncryption": True,
                   "VpcConfig": {"SecurityGroupIds": ["sg-0mon"], "Subnets": ["subnet-0mon"]}}
    request = {
        "JobDefinitionName": name, "RoleArn": ROLE, "JobResources": {"ClusterConfig": cluster},
        f"{kind}AppSpecification": APP[kind],
        f"{kind}JobInput": {"EndpointInput": {"EndpointName": "fraud", "LocalPath": "/opt/ml/processing/input"}},
        f"{kind}JobOutputConfig": output, "Tags": [{"Key": "owner", "Value": "risk-ml"}],
    }
    if kind in ("ModelQuality", "ModelBias"):
        request[f"{kind}JobInput"]["GroundTruthS3Input"] = {"S3Uri": "s3://ground-truth/fraud"}
    if network:
        request["NetworkConfig"] = network
    return getattr(sm, f"create_{SNAKE[kind]}_job_definition")(**request)["JobDefinitionArn"]


@pytest.fixture
def sm(aws):
    return boto3.client("sagemaker", region_name=REGION)


@pytest.mark.parametrize("kind", [k.kind for k in KINDS])
def test_each_kind_is_collected_with_properties_relations_and_tags(sm, scope, kind):
    arn = create_definition(sm, kind, "good", compliant=True)
    create_definition(sm, kind, "bare", compliant=False)
    result = collect_spec(registry()[f"AWS::SageMaker::{kind}JobDefinition"], scope)
    assert result.gaps == []
    defs = {r.id: r for r in result.resources}
    good = defs["good"]
    assert good.arn == arn and good.tags == {"owner": "risk-ml"}
    assert good.properties["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert good.properties[f"{kind}JobOutputConfig"]["KmsKeyId"] == KEY
    assert good.properties["JobResources"]["ClusterConfig"]["VolumeKmsKeyId"] == KEY
    assert good.properties["EndpointName"] == "fraud"
    assert good.properties["CreationTime"].endswith("+00:00")
    assert good.relations["role"] == [ROLE] and good.relations["kms_keys"] == [KEY]
    assert good.relations["subnets"] == ["subnet-0mon"]
    assert "NetworkConfig" not in defs["bare"].properties   # absent, not {}


def test_a_type_the_service_cannot_answer_is_a_gap(aws, scope, monkeypatch):
    # A service that cannot answer the list call: no resources, one gap naming the call.
    from moto.sagemaker.responses import SageMakerResponse
    monkeypatch.delattr(SageMakerResponse, "list_data_quality_job_definitions")
    result = collect_spec(registry()["AWS::SageMaker::DataQualityJobDefinition"], scope)
    assert result.resources == []
    [gap] = result.gaps
    assert gap.operation == "sagemaker:ListDataQualityJobDefinitions"


def _schedule(sm, name: str, definition: str, monitoring_type: str) -> None:
    sm.create_monitoring_schedule(MonitoringScheduleName=name, MonitoringScheduleConfig={
        "ScheduleConfig": {"ScheduleExpression": "cron(0 * ? * * *)"},
        "MonitoringJobDefinitionName": definition, "MonitoringType": monitoring_type})


def test_schedules_are_judged_by_the_definitions_they_name(sm, aws_context):
    for kind in ("DataQuality", "ModelQuality", "ModelBias", "ModelExplainability"):
        create_definition(sm, kind, f"{SNAKE[kind]}-good", compliant=True, instances=2)
        create_definition(sm, kind, f"{SNAKE[kind]}-bare", compliant=False, instances=2)
        _schedule(sm, f"{SNAKE[kind]}-good", f"{SNAKE[kind]}-good", kind)
        _schedule(sm, f"{SNAKE[kind]}-bare", f"{SNAKE[kind]}-bare", kind)
    _schedule(sm, "orphan", "deleted-long-ago", "DataQuality")
    types = ["AWS::SageMaker::MonitoringSchedule", *(k.type for k in KINDS)]
    inv = collect(aws_context, [REGION], types=types)
    assert inv.gaps == []
    schedules = {r.id: r for r in inv.resources if r.type == "AWS::SageMaker::MonitoringSchedule"}
    good = schedules["model_bias-good"]
    assert good.facts["job_definition"]["NetworkConfig"]["EnableNetworkIsolation"] is True
    assert good.facts["job_definition_arn"].endswith(":model-bias-job-definition/model_bias-good")
    assert KEY in good.relations["kms_keys"]   # the definition's key is related to the schedule
    assert "no job definition deleted-long-ago" in schedules["orphan"].facts["job_definition_unresolved"]

    findings = evaluate_inventory(inv, EvalOptions()).findings
    verdicts = {(f.policy_id, f.resource["type"], f.resource["id"]): f for f in findings}
    for kind in ("data_quality", "model_quality", "model_bias", "model_explainability"):
        for pid in ("MLW-ENC-009", "MLW-ENC-010", "MLW-ENC-016", "MLW-NET-018", "MLW-NET-020"):
            ok = verdicts[(pid, "AWS::SageMaker::MonitoringSchedule", f"{kind}-good")]
            bad = verdicts[(pid, "AWS::SageMaker::MonitoringSchedule", f"{kind}-bare")]
            assert ok.status == Status.PASS, ok.message
            assert bad.status == Status.FAIL and "could not determine" not in bad.message, bad.message
    # The definitions are judged themselves, each by the controls of its own kind.
    for kind in KINDS:
        for pid in ("MLW-NET-018", "MLW-ENC-009", "MLW-ENC-010", "MLW-NET-020"):
            assert verdicts[(pid, kind.type, f"{SNAKE[kind.kind]}-good")].status == Status.PASS
            assert verdicts[(pid, kind.type, f"{SNAKE[kind.kind]}-bare")].status == Status.FAIL
    assert verdicts[("MLW-ENC-022", "AWS::SageMaker::ModelBiasJobDefinition", "model_bias-bare")].status \
        == Status.FAIL
    # A finding names only the controls whose population its resource belongs to.
    assert verdicts[("MLW-NET-018", "AWS::SageMaker::DataQualityJobDefinition", "data_quality-good")] \
        .controls["AWS-FSBP"] == ["SageMaker.11"]
    assert verdicts[("MLW-NET-018", "AWS::SageMaker::MonitoringSchedule", "data_quality-good")] \
        .controls["AWS-FSBP"] == ["SageMaker.14"]
    orphan = verdicts[("MLW-NET-018", "AWS::SageMaker::MonitoringSchedule", "orphan")]
    assert orphan.status == Status.FAIL and "no job definition deleted-long-ago" in orphan.message


def test_a_schedule_whose_definition_could_not_be_read_is_not_assessed_naming_the_call(
        sm, aws_context, monkeypatch):
    """The definition exists, but its type's listing fails: the job it runs is unknown,
    which is not "could not determine" (a FAIL) but NOT_ASSESSED, naming the read."""
    from moto.sagemaker.responses import SageMakerResponse
    create_definition(sm, "DataQuality", "data_quality-good", compliant=True, instances=2)
    _schedule(sm, "watch", "data_quality-good", "DataQuality")
    _schedule(sm, "orphan", "deleted-long-ago", "ModelQuality")   # its type was read: a dangling name
    monkeypatch.delattr(SageMakerResponse, "list_data_quality_job_definitions")
    types = ["AWS::SageMaker::MonitoringSchedule", *(k.type for k in KINDS)]
    inv = collect(aws_context, [REGION], types=types)
    schedules = {r.id: r for r in inv.resources if r.type == "AWS::SageMaker::MonitoringSchedule"}
    status = schedules["watch"].facet("job_definition")
    assert (status.read, status.operation) == (False, "sagemaker:ListDataQualityJobDefinitions")
    assert schedules["orphan"].facet("job_definition").read

    verdicts = {(f.policy_id, f.resource["id"]): f for f in evaluate_inventory(inv, EvalOptions()).findings}
    for pid in ("MLW-ENC-009", "MLW-ENC-010", "MLW-ENC-016", "MLW-NET-018", "MLW-NET-020"):
        watch = verdicts[(pid, "watch")]
        assert watch.status == Status.NOT_ASSESSED, watch.message
        assert "facet 'job_definition'" in watch.message
        assert "sagemaker:ListDataQualityJobDefinitions" in watch.message
        assert verdicts[(pid, "orphan")].status == Status.FAIL
    # The subnets and security groups a schedule runs in come from its definition: with
    # the definition unread, the network rules cannot judge it either (they used to find
    # no subnet and say nothing).
    for pid in ("MLW-NET-012", "MLW-NET-013"):
        watch = verdicts[(pid, "watch")]
        assert watch.status == Status.NOT_ASSESSED and "facet 'job_definition'" in watch.message, watch.message
