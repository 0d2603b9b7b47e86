"""The demo's drift response: one production endpoint whose drift starts retraining, one
whose monitor alerts nobody.

- `fraud-scoring-prod`: its data-quality schedule compares traffic with a baseline whose
  constraints (`constraints.json`, as Model Monitor's baselining job writes it) are in the
  data lake; an alarm on `feature_baseline_drift_transaction_amount` (threshold 0.10, a
  10 % distance from the baseline distribution) notifies the team's topic, and an
  EventBridge rule on that alarm's state change starts the `fraud-retrain-weekly`
  pipeline (MLW-MON-012 and MLW-MON-013 pass).
- `fraud-central-prod`: its data-quality schedule has a baseline too, and is watched by an
  alarm with a lax threshold (0.30) and no actions, and no rule acts on it: drift is
  measured and nobody hears of it (MLW-MON-012 and MLW-MON-013 fail).

A GPU notebook on a previous-generation family (`llm-playground`, ml.p3.2xlarge) is
made by estate.py; MLW-LIM-007 judges it against `allowed_gpu_instance_families`.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .estate_base import Clients, Estate

DATA_METRICS = "aws/sagemaker/Endpoints/data-metrics"
FEATURE = "transaction_amount"


def constraints_key(endpoint: str) -> str:
    return f"monitoring/baselines/{endpoint}/constraints.json"


def constraints_document(threshold: float) -> dict:
    """A baseline's constraints as Model Monitor's baselining job writes them (the
    distribution comparison is the one its drift metric reports)."""
    return {
        "version": 0.0,
        "features": [{"name": FEATURE, "inferred_type": "Fractional", "completeness": 1.0,
                      "num_constraints": {"is_non_negative": True}}],
        "monitoring_config": {
            "evaluate_constraints": "Enabled", "emit_metrics": "Enabled",
            "datatype_check_threshold": 1.0, "domain_content_threshold": 1.0,
            "distribution_constraints": {"perform_comparison": "Enabled", "comparison_threshold": threshold,
                                         "comparison_method": "Robust"}},
    }


def seed_drift_response(c: "Clients", e: "Estate") -> None:
    lake = e.buckets["datalake"]
    for endpoint, threshold in (("fraud-scoring-prod", 0.1), ("fraud-central-prod", 0.3)):
        c("s3").put_object(Bucket=lake, Key=constraints_key(endpoint),
                           Body=json.dumps(constraints_document(threshold)).encode(),
                           ServerSideEncryption="aws:kms", SSEKMSKeyId=e.kms_keys["ml-serving"])
    topic = c("sns").create_topic(Name="ml-drift-alerts")["TopicArn"]
    cw, events = c("cloudwatch"), c("events")

    def drift_alarm(name: str, endpoint: str, schedule: str, threshold: float, actions: list[str]) -> None:
        cw.put_metric_alarm(
            AlarmName=name, AlarmDescription=f"{FEATURE} drifts from the baseline on {endpoint}",
            Namespace=DATA_METRICS, MetricName=f"feature_baseline_drift_{FEATURE}",
            Dimensions=[{"Name": "Endpoint", "Value": endpoint}, {"Name": "MonitoringSchedule", "Value": schedule}],
            Statistic="Maximum", Period=3600, EvaluationPeriods=1, Threshold=threshold,
            ComparisonOperator="GreaterThanThreshold", TreatMissingData="notBreaching",
            ActionsEnabled=True, AlarmActions=actions)
        e.alarms.append(name)

    drift_alarm("fraud-scoring-feature-drift", "fraud-scoring-prod", "fraud-scoring-data-quality", 0.1, [topic])
    drift_alarm("fraud-central-feature-drift", "fraud-central-prod", "fraud-central-data-quality", 0.3, [])

    events.put_rule(
        Name="fraud-drift-retrain", State="ENABLED",
        Description="Retrain the fraud model when its input drifts",
        EventPattern=json.dumps({"source": ["aws.cloudwatch"], "detail-type": ["CloudWatch Alarm State Change"],
                                 "detail": {"alarmName": ["fraud-scoring-feature-drift"],
                                            "state": {"value": ["ALARM"]}}}))
    events.put_targets(Rule="fraud-drift-retrain", Targets=[{
        "Id": "retrain", "Arn": f"arn:aws:sagemaker:{e.region}:{e.account}:pipeline/fraud-retrain-weekly",
        "RoleArn": e.roles["execution"],
        "SageMakerPipelineParameters": {"PipelineParameterList": [{"Name": "Trigger", "Value": "drift"}]}}])
    e.rules.append("fraud-drift-retrain")
