"""What happens when an endpoint's monitors see drift: schedules → alarms → actions.

Model Monitor compares live traffic with a baseline and publishes what it measures as
CloudWatch metrics (scanner/collectors/cloudwatch_alarms.py); nothing acts on a crossed
threshold unless an alarm on those metrics has actions, or an EventBridge rule on the
alarm's state change has targets (scanner/collectors/eventbridge_rules.py). This module
links, per endpoint, each monitoring schedule watching it to:

- the alarms on its metrics: the namespace of its kind of monitor
  (`aws/sagemaker/Endpoints/data-metrics` for data quality, `model-metrics`,
  `bias-metrics`, `explainability-metrics`), the endpoint's name as dimension
  `Endpoint` (or `EndpointName`), and, when the alarm names one, this schedule
  (`MonitoringSchedule` or `ScheduleName`);
- what each alarm does in state ALARM: its AlarmActions when ActionsEnabled, and the
  targets of every enabled rule whose pattern matches that alarm's state change;
- what kind of action each is, by the target's ARN: a SageMaker pipeline is
  `retraining`, an SNS topic or an incident `notification`, a Lambda function or a
  state machine `automation`; anything else `other`.

The result is `facts.drift_response` of the endpoint, the derived facet `drift_response`:
complete only when the region's alarms, rules and schedules were all read, every rule
that could act on a linked alarm had its targets read, and every schedule's job
definition (where its baseline constraints are named) was resolved. Otherwise the facet
is incomplete, naming the read, and the policies that need it are NOT_ASSESSED: an
alarm that was not read is never "no alarm", and never a pass.
"""
from __future__ import annotations

import fnmatch
from collections import defaultdict
from typing import TYPE_CHECKING

from .collectors.cloudwatch_alarms import ALARM_TYPE, metrics_of, namespace_key
from .collectors.eventbridge_rules import ALARM_STATE_CHANGE, RULE_TYPE, as_list
from .facets import Facet
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

SCHEDULE_TYPE = "AWS::SageMaker::MonitoringSchedule"
ENDPOINT_TYPE = "AWS::SageMaker::Endpoint"

# The CloudWatch namespace each kind of monitor publishes in, for real-time endpoints.
NAMESPACES = {
    "DataQuality": "aws/sagemaker/endpoints/data-metrics",
    "ModelQuality": "aws/sagemaker/endpoints/model-metrics",
    "ModelBias": "aws/sagemaker/endpoints/bias-metrics",
    "ModelExplainability": "aws/sagemaker/endpoints/explainability-metrics",
}
_ENDPOINT_DIMENSIONS = ("Endpoint", "EndpointName")
_SCHEDULE_DIMENSIONS = ("MonitoringSchedule", "ScheduleName")

DRIFT_CONSTRAINTS_FACET = Facet(
    name="drift_constraints", derived=True,
    paths=("resource.facts.drift_constraints",),
    description="per data-quality schedule of the endpoint: the monitoring_config of its baseline constraints "
                "(read from S3 with the schedule or its job definition); incomplete when one could not be read")

DRIFT_RESPONSE_FACET = Facet(
    name="drift_response", derived=True,
    paths=("resource.facts.drift_response", "resource.facts.drift_response_derived_by"),
    description="per monitoring schedule of the endpoint: its kind, baseline constraints, the alarms on "
                "its metrics and what they trigger (scanner/drift_links.py); incomplete when alarms, rules, "
                "rule targets or schedules could not be read")


def action_kind(arn: object) -> str:
    """What a target or alarm action does, from its ARN."""
    parts = arn.split(":") if isinstance(arn, str) else []
    service = parts[2] if len(parts) > 5 else ""
    resource = ":".join(parts[5:])
    if service == "sagemaker" and resource.startswith("pipeline/"):
        return "retraining"
    if service in ("sns", "ssm-incidents") or (service == "ssm" and resource.startswith("opsitem")):
        return "notification"
    if service in ("lambda", "states"):
        return "automation"
    return "other"


def schedule_kind(s: Resource) -> str:
    config = s.properties.get("MonitoringScheduleConfig")
    config = config if isinstance(config, dict) else {}
    # An embedded definition without a type is a data-quality monitor (the API's default).
    return config.get("MonitoringType") or s.properties.get("MonitoringType") or "DataQuality"


def constraints_of(s: Resource) -> str | None:
    config = s.properties.get("MonitoringScheduleConfig")
    config = config if isinstance(config, dict) else {}
    definition = config.get("MonitoringJobDefinition")
    if not isinstance(definition, dict):
        definition = s.facts.get("job_definition") if isinstance(s.facts.get("job_definition"), dict) else {}
    baseline = definition.get("BaselineConfig") if isinstance(definition.get("BaselineConfig"), dict) else {}
    resource = baseline.get("ConstraintsResource") if isinstance(baseline.get("ConstraintsResource"), dict) else {}
    uri = resource.get("S3Uri")
    return uri if isinstance(uri, str) and uri else None


def _value_matches(allowed: object, value: str) -> bool | None:
    """One event-pattern field against a value: True, False, or None for a filter this
    module does not evaluate (the rule is then not counted as acting)."""
    verdicts = []
    for a in as_list(allowed):
        if isinstance(a, str):
            verdicts.append(a == value)
        elif isinstance(a, dict) and len(a) == 1:
            (op, arg), = a.items()
            if op == "prefix" and isinstance(arg, str):
                verdicts.append(value.startswith(arg))
            elif op == "wildcard" and isinstance(arg, str):
                verdicts.append(fnmatch.fnmatchcase(value, arg))
            elif op == "equals-ignore-case" and isinstance(arg, str):
                verdicts.append(value.lower() == arg.lower())
            elif op == "anything-but" and all(isinstance(x, str) for x in as_list(arg)):
                verdicts.append(value not in as_list(arg))
            else:
                verdicts.append(None)
        else:
            verdicts.append(None)
    if any(v is True for v in verdicts):
        return True
    return None if any(v is None for v in verdicts) else False


def rule_matches_alarm(rule: Resource, alarm: Resource) -> bool:
    """Does an enabled rule's pattern match this alarm entering state ALARM?"""
    pattern = rule.properties.get("EventPattern")
    if rule.properties.get("State", "ENABLED") != "ENABLED" or not isinstance(pattern, dict):
        return False
    event = {"source": "aws.cloudwatch", "detail-type": ALARM_STATE_CHANGE,
             "account": alarm.account, "region": alarm.region}
    detail = {"alarmName": alarm.id, "state": {"value": "ALARM"}}
    for key, allowed in pattern.items():
        if key in event:
            if _value_matches(allowed, event[key]) is not True:
                return False
        elif key == "resources":
            if _value_matches(allowed, alarm.arn) is not True:
                return False
        elif key == "detail" and isinstance(allowed, dict):
            for dkey, dallowed in allowed.items():
                if dkey == "alarmName":
                    ok = _value_matches(dallowed, alarm.id)
                elif dkey == "state" and isinstance(dallowed, dict) and set(dallowed) == {"value"}:
                    ok = _value_matches(dallowed["value"], detail["state"]["value"])
                else:
                    ok = None   # a filter on another field: not judged, not counted
                if ok is not True:
                    return False
        else:
            return False
    return True


def _dimension(dims: dict, names: tuple[str, ...]) -> str | None:
    return next((dims[n] for n in names if n in dims), None)


def alarm_watches(alarm: Resource, endpoint: str, schedule: str, kind: str) -> list[str]:
    """The metric names of `alarm` that this schedule of `endpoint` publishes."""
    out = []
    for m in metrics_of(alarm.properties):
        if namespace_key(m["Namespace"]) != NAMESPACES.get(kind):
            continue
        if _dimension(m["Dimensions"], _ENDPOINT_DIMENSIONS) != endpoint:
            continue
        named = _dimension(m["Dimensions"], _SCHEDULE_DIMENSIONS)
        if named is None or named == schedule:
            out.append(m["MetricName"])
    return out


def annotate_drift_response(inv: "Inventory", collected_types: set[str] | None = None) -> None:
    """Write facts.drift_response and the `drift_response` facet on every endpoint."""
    by_region: dict[tuple[str, str], dict[str, list[Resource]]] = defaultdict(lambda: defaultdict(list))
    # A schedule that names its job definition may leave its endpoint to the definition.
    definition_endpoint = {r.arn: r.properties.get("EndpointName") for r in inv.resources
                           if r.type.endswith("JobDefinition") and r.arn}
    for r in inv.resources:
        if r.type in (ALARM_TYPE, RULE_TYPE, SCHEDULE_TYPE):
            by_region[(r.account, r.region)][r.type].append(r)
    watched = {id(s): s.properties.get("EndpointName") or definition_endpoint.get(s.facts.get("job_definition_arn"))
               for s in inv.resources if s.type == SCHEDULE_TYPE}
    # Where each schedule's baseline constraints were read: the schedule (embedded definition)
    # or the job definition it names.
    definitions = {r.arn: r for r in inv.resources if r.type.endswith("JobDefinition") and r.arn}
    baselines = {id(s): definitions.get(s.facts.get("job_definition_arn"), s)
                 for s in inv.resources if s.type == SCHEDULE_TYPE}
    gaps: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in inv.gaps:
        if g.resource_type in (ALARM_TYPE, RULE_TYPE, SCHEDULE_TYPE, "*"):
            what = f"{g.resource_type} {g.resource_id}" if g.resource_id else f"{g.resource_type} (listing)"
            gaps[(g.account, g.region)].append(f"{what}: {g.operation} failed with {g.error_code}")
    not_collected = [f"{t}: not collected in this scan" for t in (ALARM_TYPE, RULE_TYPE, SCHEDULE_TYPE)
                     if collected_types is not None and t not in collected_types]
    # A schedule whose endpoint is known only from a job definition that was not read may
    # watch any endpoint of its region.
    for sc in inv.resources:
        if sc.type == SCHEDULE_TYPE and watched[id(sc)] is None and not sc.facet("job_definition").read:
            st = sc.facet("job_definition")
            gaps[(sc.account, sc.region)].append(
                f"{SCHEDULE_TYPE} {sc.id}: {st.operation} failed with {st.error_code} (its job definition names "
                "its endpoint)" if st.operation else
                f"{SCHEDULE_TYPE} {sc.id}: its job definition, which names its endpoint, was not read ({st.message})")
    for ep in inv.resources:
        if ep.type == ENDPOINT_TYPE:
            key = (ep.account, ep.region)
            _annotate(ep, by_region[key], not_collected + gaps[key] + gaps[(ep.account, "*")], watched)
            _constraints(ep, [s for s in by_region[key][SCHEDULE_TYPE] if watched.get(id(s)) == ep.id], baselines)


def _annotate(ep: Resource, here: dict[str, list[Resource]], unread: list[str], watched: dict) -> None:
    unread = list(unread)
    rules = here[RULE_TYPE]
    schedules = []
    for s in sorted(here[SCHEDULE_TYPE], key=lambda r: r.id):
        if watched.get(id(s)) != ep.id:
            continue
        kind = schedule_kind(s)
        if not s.facet("job_definition").read:
            status = s.facet("job_definition")
            unread.append(f"{SCHEDULE_TYPE} {s.id}: {status.operation} failed with {status.error_code} (its job "
                          "definition)" if status.operation else
                          f"{SCHEDULE_TYPE} {s.id}: its job definition was not read ({status.error_code}: "
                          f"{status.message})")
        alarms = []
        for alarm in sorted(here[ALARM_TYPE], key=lambda r: r.id):
            metrics = alarm_watches(alarm, ep.id, s.id, kind)
            if metrics:
                alarms.append(_alarm_entry(alarm, metrics, rules, unread))
        schedules.append({
            "name": s.id, "kind": kind, "status": s.properties.get("MonitoringScheduleStatus"),
            "constraints": constraints_of(s), "alarms": alarms,
            "acts": sorted({a["kind"] for al in alarms for a in al["actions"]} - {"other"}),
        })
    ep.facts.pop("drift_response", None)
    if unread:
        first = next((u.split(": ", 1)[1] for u in unread if " failed with " in u), "")
        op, _, code = first.partition(" failed with ")
        ep.facets["drift_response"] = FacetStatus.failed(
            op, code or "Incomplete", "what the endpoint's monitors trigger is derived from reads that did not "
                                      "complete", list(dict.fromkeys(unread)))
        return
    ep.facts["drift_response"] = {"schedules": schedules}
    ep.facts["drift_response_derived_by"] = (
        "mlwarden.drift_links: monitoring schedules (EndpointName) → CloudWatch alarms on their Model Monitor "
        "namespace and dimensions → AlarmActions and EventBridge rules on the alarm's state change → targets")
    ep.facets["drift_response"] = READ


def _alarm_entry(alarm: Resource, metrics: list[str], rules: list[Resource], unread: list[str]) -> dict:
    p = alarm.properties
    actions = []
    if p.get("ActionsEnabled", True) is not False:
        actions += [{"arn": a, "kind": action_kind(a), "via": "alarm action"} for a in p.get("AlarmActions") or []]
    for rule in sorted(rules, key=lambda r: r.id):
        if not rule_matches_alarm(rule, alarm):
            continue
        status = rule.facet("targets")
        if not status.read:
            unread.append(f"{RULE_TYPE} {rule.id}: {status.operation} failed with {status.error_code}")
            continue
        actions += [{"arn": t.get("Arn"), "kind": action_kind(t.get("Arn")), "via": f"rule {rule.id}"}
                    for t in rule.properties.get("Targets") or [] if isinstance(t, dict)]
    return {"name": alarm.id, "metrics": sorted(set(metrics)), "threshold": p.get("Threshold"),
            "comparison": p.get("ComparisonOperator"), "actions_enabled": p.get("ActionsEnabled", True),
            "state": alarm.facts.get("state"), "actions": actions}


def _constraints(ep: Resource, schedules: list[Resource], baselines: dict) -> None:
    """facts.drift_constraints: the read constraints of each data-quality schedule that names some."""
    ep.facts.pop("drift_constraints", None)
    configs, unread = {}, []
    for s in sorted(schedules, key=lambda r: r.id):
        if schedule_kind(s) != "DataQuality" or constraints_of(s) is None:
            continue
        holder = baselines.get(id(s), s)
        status = holder.facet("baseline_constraints")
        config = holder.facts.get("baseline_constraints")
        if not status.read:
            unread.append((f"{holder.type} {holder.id}: {status.operation} failed with {status.error_code} "
                           f"({status.message})", status))
        elif isinstance(config, dict):
            configs[s.id] = config
        else:   # a template, or an older inventory: never read
            unread.append((f"{holder.type} {holder.id}: its baseline constraints were not read",
                           FacetStatus.failed("s3:GetObject", "NotRead", "")))
    if unread:
        first = unread[0][1]
        ep.facets["drift_constraints"] = FacetStatus.failed(
            first.operation, first.error_code, "the baseline constraints of the endpoint's data-quality monitors "
                                               "were not all read", [u for u, _ in unread])
        return
    ep.facts["drift_constraints"] = configs
    ep.facets["drift_constraints"] = READ
