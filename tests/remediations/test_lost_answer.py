"""Exactly-once writes over the real network path: moto as a server behind a
127.0.0.1 proxy that forwards UpdateEndpoint and then resets the connection instead
of answering. The endpoint is updating; mlwarden never hears so. It must not send
UpdateEndpoint again (the transport does not retry writes), re-read the endpoint,
see the update in progress, and carry on: wait, bake with the alarm watch, roll
back to the right previous configuration when an alarm fires, verify."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.aws.session import AwsContext, AwsOptions
from mlwarden.permissions import scan_options
from mlwarden.remediations.base import AuditLog
from mlwarden.remediations.engine import apply_plans, make_plans

from ..conftest import REGION
from ..support.lossy_proxy import LossyProxy
from .conftest import FAST
from .test_endpoint_redeploy import ROLE, SIGNED, TAGS, ep_findings


@pytest.fixture
def served(moto_server, monkeypatch, settings):
    """The moto server with the UpdateEndpoint emulation, an endpoint to fix, and
    the lossy proxy that drops the answer to the first UpdateEndpoint."""
    from ..support.moto_sagemaker_updates import install
    moto_server.reset()
    hooks = install(monkeypatch)

    def client(service):
        return boto3.client(service, region_name=REGION, endpoint_url=moto_server.url)
    sm = client("sagemaker")
    key = client("kms").create_key(Description="hosting")["KeyMetadata"]["Arn"]
    settings["remediation"].update({"kms_key": key, "data_capture_s3_uri": "s3://fraud-capture/fraud-ep"})
    sm.create_model_package_group(ModelPackageGroupName="fraud")
    pkg = sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="Approved", CustomerMetadataProperties=SIGNED,
        InferenceSpecification={"Containers": [{"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/x:1",
                                                "ModelDataUrl": "s3://fraud-models/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
    )["ModelPackageArn"]
    sm.create_model(ModelName="fraud-model", ExecutionRoleArn=ROLE, Containers=[{"ModelPackageName": pkg}])
    sm.create_endpoint_config(EndpointConfigName="fraud-config", Tags=TAGS, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": "fraud-model", "InstanceType": "ml.m5.xlarge",
        "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="fraud-ep", EndpointConfigName="fraud-config", Tags=TAGS)
    with LossyProxy(moto_server.port, drop=lambda op, n: op == "UpdateEndpoint" and n == 1) as proxy:
        yield {"proxy": proxy, "hooks": hooks, "sm": sm, "cw": client("cloudwatch")}
    moto_server.reset()


def _run(served, settings, tmp_path):
    proxy = served["proxy"]
    reader = AwsContext(options=scan_options(endpoint_url=proxy.url, max_workers=2))
    writer = AwsContext(options=AwsOptions(endpoint_url=proxy.url, read_only=False))
    outcomes = make_plans(ep_findings(), reader, settings, wait=FAST)
    assert [o.error for o in outcomes if o.error] == []
    audit = AuditLog(tmp_path / "audit.jsonl")
    [result] = apply_plans([o.plan for o in outcomes], writer, audit, settings, scan_aws=reader, wait=FAST)
    return result, audit.records()


def _events(records):
    return [r["event"] if r["event"] != "call" else f"{r['call'].split(':')[1]} {r['outcome']}" for r in records]


def test_a_lost_update_answer_is_not_sent_again(served, settings, tmp_path):
    result, records = _run(served, settings, tmp_path)
    proxy = served["proxy"]
    assert proxy.dropped == ["UpdateEndpoint"]
    assert proxy.requests.count("UpdateEndpoint") == 1          # sent once, never retried
    assert len(served["hooks"].updates_seen) == 1
    ep = served["sm"].describe_endpoint(EndpointName="fraud-ep")
    assert ep["EndpointStatus"] == "InService" and ep["EndpointConfigName"].startswith("fraud-config-mlw-")
    assert result.status == "applied", result.message

    events = _events(records)
    start = events.index("deployment-started")
    assert events[start:start + 5] == ["deployment-started", "UpdateEndpoint started", "UpdateEndpoint answer-lost",
                                       "re-read-after-lost-answer", "update-confirmed-not-resent"]
    started = records[start]
    assert started["previous_config"] == "fraud-config" and started["new_config"] == ep["EndpointConfigName"]
    reread = records[start + 3]
    assert reread["received"] is True and reread["previous_config"] == "fraud-config"
    updated = next(r for r in records if r["event"] == "updated")
    assert updated["previous_config_kept"] == "fraud-config"
    assert [r["status"] for r in records if r["event"] == "verified"] == ["PASS"]
    assert records[-1]["event"] == "apply-summary" and "1 applied" in records[-1]["summary"]


def test_after_a_lost_answer_the_alarm_watch_still_rolls_back_to_the_previous_config(served, settings, tmp_path):
    cw = served["cw"]
    served["hooks"].after_update.append(lambda: cw.set_alarm_state(
        AlarmName="mlwarden-fraud-ep-5xx", StateValue="ALARM", StateReason="errors after the update"))
    result, records = _run(served, settings, tmp_path)
    proxy = served["proxy"]
    # One UpdateEndpoint forward (answer lost, not re-sent), one back to the previous configuration.
    assert proxy.requests.count("UpdateEndpoint") == 2
    assert [u["EndpointConfigName"] for u in served["hooks"].updates_seen][1] == "fraud-config"
    assert result.status == "rolled-back", result.message
    assert served["sm"].describe_endpoint(EndpointName="fraud-ep")["EndpointConfigName"] == "fraud-config"
    events = _events(records)
    assert "update-confirmed-not-resent" in events
    assert events.index("alarm-after-update") > events.index("update-confirmed-not-resent")
    alarm = next(r for r in records if r["event"] == "alarm-after-update")
    assert alarm["rollback_to"] == "fraud-config" and alarm["alarms"] == ["mlwarden-fraud-ep-5xx"]
    rolled = next(r for r in records if r["event"] == "rolled-back")
    assert rolled["endpoint_config"] == "fraud-config" and rolled["endpoint_status"] == "InService"
