"""EventBridge rules that react to CloudWatch alarms or to SageMaker, with their targets.

A rule is how an alarm's state change (or a SageMaker event) starts something: a
SageMaker pipeline execution (retraining; the target's SageMakerPipelineParameters), a
Lambda function, a Step Functions state machine, an SNS topic. Only rules whose event
pattern concerns alarms (`source` aws.cloudwatch, or detail-type "CloudWatch Alarm State
Change") or SageMaker (`source` aws.sagemaker) are kept; scheduled rules without a
pattern are not (a weekly retraining is not a response to drift). Rules on the default
event bus only: rules on custom buses are not listed (docs/policies.md, MLW-MON-012).

The targets are read per rule (ListTargetsByRule) as the rule's `targets` facet: a rule
whose targets could not be read says so, and whatever is derived from it is incomplete.
"""
from __future__ import annotations

import json
from typing import Iterator

from ..aws.session import paginate
from ..facets import Facet
from ..model import Resource
from .base import TAGS_NONE, CollectorSpec, Scope, compact, read_facet, register

RULE_TYPE = "AWS::Events::Rule"
TARGETS_CALL = "events:ListTargetsByRule"
ALARM_STATE_CHANGE = "CloudWatch Alarm State Change"
WATCHED_SOURCES = ("aws.cloudwatch", "aws.sagemaker")

TARGETS_FACET = Facet(name="targets", operations=(TARGETS_CALL,),
                      paths=("resource.properties.Targets",),
                      description="the rule's targets (ListTargetsByRule): pipelines, functions, topics")


def as_list(v: object) -> list:
    return v if isinstance(v, list) else ([] if v is None else [v])


def watched(pattern: object) -> bool:
    """Does an event pattern concern alarm state changes or SageMaker events?"""
    if not isinstance(pattern, dict):
        return False
    sources = [s for s in as_list(pattern.get("source")) if isinstance(s, str)]
    kinds = [d for d in as_list(pattern.get("detail-type")) if isinstance(d, str)]
    return any(s in WATCHED_SOURCES for s in sources) or ALARM_STATE_CHANGE in kinds


def parse_pattern(text: object) -> tuple[object, str | None]:
    if not isinstance(text, str) or not text:
        return None, None
    try:
        return json.loads(text), None
    except ValueError as exc:
        return None, f"EventPattern is not JSON: {exc}"


def target(t: dict) -> dict:
    """A ListTargetsByRule target as an AWS::Events::Rule Target (same member names)."""
    return compact({k: t.get(k) for k in (
        "Id", "Arn", "RoleArn", "InputPath", "SageMakerPipelineParameters", "DeadLetterConfig",
        "RetryPolicy")} | {"Input": "(set)" if t.get("Input") else None})


def collect_rules(scope: Scope) -> Iterator[Resource]:
    client = scope.client("events")
    for r in paginate(client, "ListRules", "Rules"):
        pattern, error = parse_pattern(r.get("EventPattern"))
        if error is None and not watched(pattern):
            continue
        facets: dict = {}
        targets = read_facet(facets, "targets", TARGETS_CALL, lambda name=r["Name"]: [
            target(t) for t in paginate(client, "ListTargetsByRule", "Targets", Rule=name)])
        props = compact({
            "Name": r["Name"], "Description": r.get("Description"), "EventBusName": r.get("EventBusName"),
            "EventPattern": pattern if error is None else r.get("EventPattern"),
            "State": r.get("State"), "RoleArn": r.get("RoleArn"), "Targets": targets,
        })
        yield Resource(type=RULE_TYPE, id=r["Name"], arn=r.get("Arn") or scope.arn("events", f"rule/{r['Name']}"),
                       account=scope.account, region=scope.region, properties=props,
                       facts={"event_pattern_error": error} if error else {}, facets=facets)


SPEC = CollectorSpec(
    type=RULE_TYPE, service="events", iam_prefix="events", custom=collect_rules, tags=TAGS_NONE,
    facets=(TARGETS_FACET,), extra_permissions=("events:ListRules", TARGETS_CALL),
    description="EventBridge rules on alarm state changes and SageMaker events, with their targets",
)
register(SPEC)
