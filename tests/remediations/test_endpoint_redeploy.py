"""Compliant endpoint redeployment: new configuration, blue/green UpdateEndpoint with
alarm auto-rollback; the endpoint stays InService on its previous configuration
when the update fails or an alarm fires (UpdateEndpoint emulated in tests/support)."""
from __future__ import annotations

import boto3
import pytest

from ..conftest import ACCOUNT, REGION
from .conftest import finding

ROLE = f"arn:aws:iam::{ACCOUNT}:role/fraud-exec"
TAGS = [{"Key": k, "Value": v} for k, v in {"owner": "team-fraud", "project": "fraud", "cost-center": "cc-42",
                                               "environment": "prod"}.items()]
SIGNED = {"mlwarden:signature": "c2ln", "mlwarden:signing-key": "k", "mlwarden:artifact-sha256": "ab" * 32}


@pytest.fixture
def sm(hooks):
    return boto3.client("sagemaker", region_name=REGION)


@pytest.fixture
def cw(hooks):
    return boto3.client("cloudwatch", region_name=REGION)


def _package(sm, status, metadata=None):
    return sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus=status, CustomerMetadataProperties=metadata or {"x": "y"},
        InferenceSpecification={"Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/x:1",
                                                "ModelDataUrl": "s3://fraud-models/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]


@pytest.fixture
def estate(sm, settings):
    """An InService production endpoint on a non-compliant configuration."""
    key = boto3.client("kms", region_name=REGION).create_key(Description="hosting")["KeyMetadata"]["Arn"]
    settings["remediation"].update({"kms_key": key, "data_capture_s3_uri": "s3://fraud-capture/fraud-ep"})
    s3 = boto3.client("s3", region_name=REGION)
    for b in ("fraud-models", "fraud-capture"):
        s3.create_bucket(Bucket=b, CreateBucketConfiguration={"LocationConstraint": REGION})
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    pkg = _package(sm, "Approved", SIGNED)
    sm.create_model(ModelName="fraud-model", ExecutionRoleArn=ROLE, Containers=[{"ModelPackageName": pkg}])
    sm.create_endpoint_config(EndpointConfigName="fraud-config", Tags=TAGS, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "fraud-model", "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="fraud-ep", EndpointConfigName="fraud-config", Tags=TAGS)
    return {"key": key, "package": pkg}


def ep_findings():
    cfg_arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint-config/fraud-config"
    ep_arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/fraud-ep"
    return [finding("AWS::SageMaker::EndpointConfig", "fraud-config", "MLW-ENC-003", "endpoint-redeploy", arn=cfg_arn),
            finding("AWS::SageMaker::Endpoint", "fraud-ep", "MLW-MON-001", "endpoint-redeploy", arn=ep_arn),
            finding("AWS::SageMaker::Endpoint", "fraud-ep", "MLW-MON-003", "endpoint-redeploy", arn=ep_arn)]


def test_redeploy_fixes_the_configuration_blue_green(fixer, sm, cw, hooks, estate):
    [plan] = fixer.plan(*ep_findings())
    assert plan.resource["type"] == "AWS::SageMaker::Endpoint"  # the config's finding retargets the endpoint
    assert [c.operation for c in plan.calls] == ["CreateEndpointConfig", "PutMetricAlarm", "PutMetricAlarm",
                                                 "UpdateEndpoint"]
    [result] = fixer.apply([plan])
    assert result.status == "applied", result.message

    ep = sm.describe_endpoint(EndpointName="fraud-ep")
    new = ep["EndpointConfigName"]
    assert ep["EndpointStatus"] == "InService" and new != "fraud-config" and new.startswith("fraud-config-mlw-")
    cfg = sm.describe_endpoint_config(EndpointConfigName=new)
    assert cfg["KmsKeyId"] == estate["key"]
    assert cfg["DataCaptureConfig"]["EnableCapture"] is True
    assert cfg["DataCaptureConfig"]["KmsKeyId"] == estate["key"]
    assert cfg["ProductionVariants"][0]["InitialInstanceCount"] == 2
    sm.describe_endpoint_config(EndpointConfigName="fraud-config")  # the old one is kept for rollback

    [sent] = hooks.updates_seen
    policy = sent["DeploymentConfig"]
    assert policy["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "ALL_AT_ONCE"
    alarms = [a["AlarmName"] for a in policy["AutoRollbackConfiguration"]["Alarms"]]
    assert alarms == ["mlwarden-fraud-ep-5xx", "mlwarden-fraud-ep-latency"]
    found = {a["AlarmName"]: a["MetricName"] for a in cw.describe_alarms(AlarmNames=alarms)["MetricAlarms"]}
    assert found == {"mlwarden-fraud-ep-5xx": "Invocation5XXErrors", "mlwarden-fraud-ep-latency": "ModelLatency"}

    assert result.verification["status"] == "PASS", result.verification
    assert {f["resource"] for f in result.verification["findings"]} == {"fraud-ep", new}
    events = [r["event"] for r in fixer.audit.records()]
    assert "updated" in events and "rolled-back" not in events
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_failed_update_rolls_back_to_the_previous_configuration(fixer, sm, hooks, estate):
    [plan] = fixer.plan(*ep_findings())
    hooks.fail_next_update = "injected: new instances failed their health checks"
    [result] = fixer.apply([plan])
    assert result.status == "rolled-back"
    ep = sm.describe_endpoint(EndpointName="fraud-ep")
    assert ep["EndpointStatus"] == "InService" and ep["EndpointConfigName"] == "fraud-config"
    assert "health checks" in result.message and "fraud-config" in result.message
    rolled = [r for r in fixer.audit.records() if r["event"] == "rolled-back"]
    assert rolled and rolled[0]["endpoint_config"] == "fraud-config" and rolled[0]["endpoint_status"] == "InService"
    assert result.verification["status"] == "FAIL"  # the policies still fail, as they should


def test_alarm_during_the_deployment_rolls_back(fixer, sm, cw, hooks, estate):
    [plan] = fixer.plan(*ep_findings())
    hooks.during_update.append(lambda: cw.set_alarm_state(
        AlarmName="mlwarden-fraud-ep-5xx", StateValue="ALARM", StateReason="5xx errors on the new fleet"))
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "rolled-back" and "mlwarden-fraud-ep-5xx" in result.message
    ep = sm.describe_endpoint(EndpointName="fraud-ep")
    assert ep["EndpointStatus"] == "InService" and ep["EndpointConfigName"] == "fraud-config"


def test_alarm_during_the_bake_makes_mlwarden_roll_back(fixer, sm, cw, hooks, estate):
    [plan] = fixer.plan(*ep_findings())
    hooks.after_update.append(lambda: cw.set_alarm_state(
        AlarmName="mlwarden-fraud-ep-latency", StateValue="ALARM", StateReason="slow"))
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "rolled-back" and "mlwarden-fraud-ep-latency" in result.message
    assert sm.describe_endpoint(EndpointName="fraud-ep")["EndpointConfigName"] == "fraud-config"
    updates = [(r["parameters"]["EndpointConfigName"], r["outcome"]) for r in fixer.audit.records()
               if r["event"] == "call" and r["call"] == "sagemaker:UpdateEndpoint"]
    assert updates[-1] == ("fraud-config", "succeeded")


def test_update_refused_by_sagemaker_leaves_the_endpoint_as_it_was(fixer, sm, hooks, estate):
    [plan] = fixer.plan(*ep_findings())
    # Someone starts another update between our config creation and our UpdateEndpoint.
    from moto.sagemaker.models import sagemaker_backends
    endpoint = sagemaker_backends[ACCOUNT][REGION].endpoints["fraud-ep"]
    client = fixer.writer.write_client("sagemaker", REGION)   # the client writes go through
    real_create = client.create_endpoint_config

    def create_then_busy(**kw):
        out = real_create(**kw)
        endpoint.endpoint_status = "Updating"  # another deployment started meanwhile
        return out
    client.create_endpoint_config = create_then_busy
    [result] = fixer.apply([plan], verify=False)
    endpoint.endpoint_status = "InService"
    assert result.status == "failed" and "previous configuration fraud-config" in result.message
    assert sm.describe_endpoint(EndpointName="fraud-ep")["EndpointConfigName"] == "fraud-config"
    outcomes = [(r["call"], r["outcome"]) for r in fixer.audit.records() if r["event"] == "call"]
    assert ("sagemaker:UpdateEndpoint", "failed") in outcomes


def test_unapproved_model_is_replaced_by_the_newest_approved_signed_package(fixer, sm, hooks, estate):
    pending = _package(sm, "PendingManualApproval")
    sm.create_model(ModelName="fraud-model-2", ExecutionRoleArn=ROLE, Containers=[{"ModelPackageName": pending}])
    sm.create_endpoint_config(EndpointConfigName="fraud-config-2", Tags=TAGS, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "fraud-model-2", "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 2}], KmsKeyId=estate["key"], DataCaptureConfig={
        "EnableCapture": True, "InitialSamplingPercentage": 50, "DestinationS3Uri": "s3://fraud-capture/x",
        "KmsKeyId": estate["key"], "CaptureOptions": [{"CaptureMode": "Input"}]})
    sm.create_endpoint(EndpointName="fraud-ep-2", EndpointConfigName="fraud-config-2", Tags=TAGS)
    [plan] = fixer.plan(finding("AWS::SageMaker::Endpoint", "fraud-ep-2", "MLW-REG-003", "endpoint-redeploy",
                                arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/fraud-ep-2"))
    create_model = next(c for c in plan.calls if c.operation == "CreateModel")
    assert create_model.params["Containers"] == [{"ModelPackageName": estate["package"]}]
    [result] = fixer.apply([plan])
    assert result.status == "applied", result.message
    cfg = sm.describe_endpoint_config(
        EndpointConfigName=sm.describe_endpoint(EndpointName="fraud-ep-2")["EndpointConfigName"])
    model = sm.describe_model(ModelName=cfg["ProductionVariants"][0]["ModelName"])
    assert model["Containers"][0]["ModelPackageName"] == estate["package"]
    # The re-scan walks the endpoint's lineage (scanner/endpoint_walk.py) to the package
    # now served, which is approved: MLW-REG-003 passes on what it read.
    v = result.verification
    assert v["status"] == "PASS", v
    assert {f["policy_id"]: f["status"] for f in v["findings"]}.get("MLW-REG-003") == "PASS", v


def test_canary_traffic_shifting_from_settings(fixer, hooks, estate, settings):
    settings["remediation"].update({"traffic_routing": "CANARY", "canary_percent": 25, "traffic_wait_seconds": 60})
    [plan] = fixer.plan(*ep_findings())
    update = next(c for c in plan.calls if c.operation == "UpdateEndpoint")
    routing = update.params["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]
    assert routing == {"Type": "CANARY", "WaitIntervalInSeconds": 60,
                       "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 25}}
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied"
    assert hooks.updates_seen[0]["DeploymentConfig"]["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"] == routing


# --- shadow variants --------------------------------------------------------------------
# A shadow variant (CreateEndpointConfig ShadowProductionVariants) gets a copy of the
# production traffic; the redeployment carries it over, and rebuilds its model like a
# production variant's when its package is not approved and signed.

def test_the_copied_members_are_what_describe_returns_and_create_accepts():
    import botocore.session
    from mlwarden.remediations.endpoint_redeploy import COPIED
    model = botocore.session.get_session().get_service_model("sagemaker")
    accepted = set(model.operation_model("CreateEndpointConfig").input_shape.members)
    returned = set(model.operation_model("DescribeEndpointConfig").output_shape.members)
    assert set(COPIED) == (accepted & returned) - {"EndpointConfigName"}


def _shadow_endpoint(sm, estate, package, name="shadow-ep"):
    """An InService endpoint on a non-compliant configuration (no KMS key, one instance)
    whose shadow variant `challenger` serves a model built from `package`."""
    sm.create_model(ModelName=f"{name}-challenger", ExecutionRoleArn=ROLE, Containers=[{"ModelPackageName": package}])
    shadow = {"VariantName": "challenger", "ModelName": f"{name}-challenger", "InstanceType": "ml.c5.xlarge",
              "InitialInstanceCount": 1, "InitialVariantWeight": 1.0}
    sm.create_endpoint_config(EndpointConfigName=f"{name}-config", Tags=TAGS, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "fraud-model", "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 1}], ShadowProductionVariants=[shadow])
    sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config", Tags=TAGS)
    return shadow


def _ep_finding(policy, name="shadow-ep", message="fails"):
    return finding("AWS::SageMaker::Endpoint", name, policy, "endpoint-redeploy", message=message,
                   arn=f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:endpoint/{name}")


def test_redeploy_keeps_the_shadow_variant(fixer, sm, hooks, estate):
    challenger = _package(sm, "Approved", SIGNED)
    shadow = _shadow_endpoint(sm, estate, challenger)
    [plan] = fixer.plan(_ep_finding("MLW-ENC-003"), _ep_finding("MLW-MON-003"))
    # The dry run shows the shadow: in the configuration it creates, and in the call's note.
    create = next(c for c in plan.calls if c.operation == "CreateEndpointConfig")
    assert create.params["ShadowProductionVariants"] == [shadow]
    assert "keeps shadow variant(s) challenger" in create.note
    assert not any(c.operation == "CreateModel" for c in plan.calls)   # its package is compliant

    [result] = fixer.apply([plan])
    assert result.status == "applied", result.message
    ep = sm.describe_endpoint(EndpointName="shadow-ep")
    cfg = sm.describe_endpoint_config(EndpointConfigName=ep["EndpointConfigName"])
    assert ep["EndpointConfigName"] != "shadow-ep-config"
    assert cfg["ShadowProductionVariants"] == [shadow]            # exactly as it was, one instance
    assert cfg["ProductionVariants"][0]["InitialInstanceCount"] == 2
    assert [v["VariantName"] for v in ep["ShadowProductionVariants"]] == ["challenger"]
    assert result.verification["status"] == "PASS", result.verification
    logged = [r for r in fixer.audit.records()
              if r["event"] == "call" and r["call"] == "sagemaker:CreateEndpointConfig"]
    assert logged and all(r["parameters"]["ShadowProductionVariants"] == [shadow] for r in logged)

    # Applying the same plan again writes nothing.
    writes = [r for r in fixer.audit.records() if r["event"] == "call"]
    assert fixer.apply([plan])[0].status == "already-compliant"
    assert [r for r in fixer.audit.records() if r["event"] == "call"] == writes
    sent = [(r["call"], r["outcome"]) for r in writes if r["outcome"] != "started"]   # each attempt is logged
    assert sent.count(("sagemaker:CreateEndpointConfig", "succeeded")) == 1
    assert sent.count(("sagemaker:UpdateEndpoint", "succeeded")) == 1


def test_a_shadow_serving_an_unapproved_package_gets_the_newest_approved_signed_one(fixer, sm, hooks, estate):
    pending = _package(sm, "PendingManualApproval")
    _shadow_endpoint(sm, estate, pending)
    [plan] = fixer.plan(_ep_finding("MLW-REG-003", message=(
        f"production endpoint shadow-ep serves model package {pending} (on shadow variant challenger), which is "
        "PendingManualApproval, not Approved")))
    [create_model] = [c for c in plan.calls if c.operation == "CreateModel"]
    assert create_model.params["Containers"] == [{"ModelPackageName": estate["package"]}]
    assert "shadow variant challenger" in create_model.note
    create = next(c for c in plan.calls if c.operation == "CreateEndpointConfig")
    assert "shadow variant challenger: model from an approved, signed package" in create.note
    [shadow] = create.params["ShadowProductionVariants"]
    assert shadow["ModelName"] == create_model.params["ModelName"]
    assert create.params["ProductionVariants"][0]["ModelName"] == "fraud-model"   # already compliant

    [result] = fixer.apply([plan])
    assert result.status == "applied", result.message
    cfg = sm.describe_endpoint_config(
        EndpointConfigName=sm.describe_endpoint(EndpointName="shadow-ep")["EndpointConfigName"])
    [kept] = cfg["ShadowProductionVariants"]
    assert kept["VariantName"] == "challenger" and kept["InstanceType"] == "ml.c5.xlarge"
    model = sm.describe_model(ModelName=kept["ModelName"])
    assert model["Containers"][0]["ModelPackageName"] == estate["package"]
    assert result.verification["status"] == "PASS", result.verification
    assert fixer.apply([plan])[0].status == "already-compliant"


def test_a_shadow_with_no_compliant_package_to_deploy_refuses_the_plan(reader, settings, sm, hooks, estate):
    from mlwarden.remediations.engine import make_plans
    sm.create_model_package_group(ModelPackageGroupName="challengers")
    pending = sm.create_model_package(
        ModelPackageGroupName="challengers", ModelApprovalStatus="PendingManualApproval",
        InferenceSpecification={"Containers": [{"Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/x:1",
                                                "ModelDataUrl": "s3://fraud-models/c.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]
    _shadow_endpoint(sm, estate, pending)
    [outcome] = make_plans([_ep_finding("MLW-REG-003")], reader, settings)
    assert outcome.plan is None
    assert "shadow variant challenger" in outcome.error and "challengers" in outcome.error
    assert "no approved, signed package" in outcome.error
    assert sm.describe_endpoint(EndpointName="shadow-ep")["EndpointConfigName"] == "shadow-ep-config"


def test_a_shadow_model_from_no_package_is_kept_and_named_in_the_steps(fixer, sm, hooks, estate):
    """mlwarden cannot tell which package a loose model belongs to (as for a production
    variant's): the shadow is carried over unchanged, and the plan says so."""
    sm.create_model(ModelName="loose", ExecutionRoleArn=ROLE, PrimaryContainer={
        "Image": f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/x:1", "ModelDataUrl": "s3://fraud-models/model.tar.gz"})
    sm.create_endpoint_config(EndpointConfigName="loose-config", Tags=TAGS, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "fraud-model", "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 1}], ShadowProductionVariants=[{
            "VariantName": "challenger", "ModelName": "loose", "InstanceType": "ml.m5.xlarge",
            "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="loose-ep", EndpointConfigName="loose-config", Tags=TAGS)
    [plan] = fixer.plan(_ep_finding("MLW-REG-003", name="loose-ep"), _ep_finding("MLW-ENC-003", name="loose-ep"))
    create = next(c for c in plan.calls if c.operation == "CreateEndpointConfig")
    assert [v["ModelName"] for v in create.params["ShadowProductionVariants"]] == ["loose"]
    assert any(s.startswith("Model loose (served by a shadow variant, kept as it is in the new configuration)")
               for s in plan.steps), plan.steps
