"""CloudWatch metric alarms on SageMaker metrics: what watches an endpoint and its monitors.

Model Monitor publishes what each monitoring job measures as CloudWatch metrics, one
namespace per kind of monitor, with the endpoint and the schedule as dimensions:
`aws/sagemaker/Endpoints/data-metrics` (`feature_baseline_drift_<feature>`, the
distance of a feature's distribution from the baseline), `.../model-metrics`,
`.../bias-metrics` and `.../explainability-metrics`, and `aws/sagemaker/ModelMonitoring/…`
for batch transform inputs. Endpoints publish invocation metrics in `AWS/SageMaker`. An
alarm on one of them is how a crossed threshold becomes an action (its AlarmActions: an
SNS topic, a Lambda function, …), directly or through an EventBridge rule on the
alarm's state change (scanner/collectors/eventbridge_rules.py).

Only alarms on a SageMaker namespace are kept (an account may hold thousands of other
alarms); a metric-math alarm is kept when one of its metrics is. Composite alarms are
not read: an action taken only by a composite alarm is not seen (documented in
docs/policies.md under MLW-MON-012).
"""
from __future__ import annotations

from typing import Iterator

from ..aws.session import paginate
from ..model import Resource
from .base import TAGS_NONE, CollectorSpec, Scope, compact, register
from .sagemaker_common import iso

ALARM_TYPE = "AWS::CloudWatch::Alarm"

# Namespaces SageMaker and Model Monitor publish in, compared without case and without a
# leading slash (AWS's own pages write both forms).
SAGEMAKER_NAMESPACE_PREFIX = "aws/sagemaker"


def namespace_key(namespace: object) -> str:
    return namespace.lower().lstrip("/") if isinstance(namespace, str) else ""


def metrics_of(props: dict) -> list[dict]:
    """Every metric an alarm reads: its own, or each MetricStat of a metric-math alarm,
    as {Namespace, MetricName, Dimensions {name: value}}."""
    out = []
    if props.get("MetricName"):
        out.append({"Namespace": props.get("Namespace"), "MetricName": props["MetricName"],
                    "Dimensions": props.get("Dimensions") or []})
    for query in props.get("Metrics") or []:
        metric = ((query or {}).get("MetricStat") or {}).get("Metric") or {}
        if metric.get("MetricName"):
            out.append({"Namespace": metric.get("Namespace"), "MetricName": metric["MetricName"],
                        "Dimensions": metric.get("Dimensions") or []})
    return [{**m, "Dimensions": {d.get("Name"): d.get("Value") for d in m["Dimensions"] if isinstance(d, dict)}}
            for m in out]


def watches_sagemaker(props: dict) -> bool:
    return any(namespace_key(m["Namespace"]).startswith(SAGEMAKER_NAMESPACE_PREFIX) for m in metrics_of(props))


def normalise(a: dict) -> dict:
    """A DescribeAlarms MetricAlarm as AWS::CloudWatch::Alarm properties (the names are
    the same in both, but for the state, which CloudFormation does not carry)."""
    return compact(iso({
        "AlarmName": a["AlarmName"], "AlarmDescription": a.get("AlarmDescription"),
        "ActionsEnabled": a.get("ActionsEnabled"), "AlarmActions": a.get("AlarmActions") or [],
        "OKActions": a.get("OKActions") or [], "InsufficientDataActions": a.get("InsufficientDataActions") or [],
        "Namespace": a.get("Namespace"), "MetricName": a.get("MetricName"), "Dimensions": a.get("Dimensions"),
        "Statistic": a.get("Statistic"), "ExtendedStatistic": a.get("ExtendedStatistic"),
        "Period": a.get("Period"), "EvaluationPeriods": a.get("EvaluationPeriods"),
        "DatapointsToAlarm": a.get("DatapointsToAlarm"), "Threshold": a.get("Threshold"),
        "ThresholdMetricId": a.get("ThresholdMetricId"), "ComparisonOperator": a.get("ComparisonOperator"),
        "TreatMissingData": a.get("TreatMissingData"), "Metrics": a.get("Metrics"),
    }))


def collect_alarms(scope: Scope) -> Iterator[Resource]:
    client = scope.client("cloudwatch")
    for a in paginate(client, "DescribeAlarms", "MetricAlarms"):
        props = normalise(a)
        if not watches_sagemaker(props):
            continue
        yield Resource(type=ALARM_TYPE, id=a["AlarmName"], arn=a.get("AlarmArn") or scope.arn(
                           "cloudwatch", f"alarm:{a['AlarmName']}"),
                       account=scope.account, region=scope.region, properties=props,
                       facts=compact(iso({"state": a.get("StateValue"),
                                          "state_updated": a.get("StateUpdatedTimestamp")})))


SPEC = CollectorSpec(
    type=ALARM_TYPE, service="cloudwatch", iam_prefix="cloudwatch", custom=collect_alarms,
    tags=TAGS_NONE, extra_permissions=("cloudwatch:DescribeAlarms",),
    description="CloudWatch metric alarms on SageMaker and Model Monitor metrics: metric, threshold, actions",
)
register(SPEC)
