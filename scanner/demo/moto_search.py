"""SageMaker `Search` as the AWS API reference describes it, over moto's backend.

moto 5.2.5 answers Search for some resources only (no `Model`), without `Tags` on
model packages, with every match on one page (MaxResults and NextToken ignored) and
with `Equals`, `NotEquals` and `Contains` as the only operators (a `GreaterThan` on a
time is read as `Equals`, `Operator: Or` and SubExpressions are ignored). The scanner
reads models, model packages, groups, endpoints and training jobs in bulk through
Search (collectors/sagemaker_search.py), so the stand-in must answer it as AWS does:

- Resource `Model`: records `{"Model": {"Model": <DescribeModel fields + Tags>}}`
  (SearchRecord.Model, a ModelDashboardModel);
- `Tags` on every record whose SearchRecord member has them;
- Resource `Endpoint`: each record's `MonitoringSchedules` (the MonitoringSchedule
  shape: DescribeMonitoringSchedule's fields and Tags), which moto leaves out;
- SearchExpression: Filters with every operator of the reference (Equals, NotEquals,
  GreaterThan(OrEqualTo), LessThan(OrEqualTo), Contains, Exists, NotExists, In),
  `Tags.<key>` names, SubExpressions, Operator And (default) or Or; times compared
  as times (ISO 8601 or epoch seconds);
- SortBy (default CreationTime) and SortOrder (default Descending);
- pages of MaxResults (default 10, at most 100) with an opaque NextToken.

Installed by `moto_extensions.install()`; nothing here runs against a real account.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any

_MAX_RESULTS = 100
_DEFAULT_RESULTS = 10


def install() -> None:
    from moto.core.responses import ActionResult
    from moto.sagemaker.models import SageMakerModelBackend
    from moto.sagemaker.responses import SageMakerResponse

    original = SageMakerModelBackend.search

    def records(backend, resource: str) -> list[dict]:
        if resource == "Model":
            return [{"Model": {"Model": {**_plain(m.response_object), "Tags": list(m.tags or [])}}}
                    for m in backend._models.values()]
        found = original(backend, resource=resource, search_expression=None)["Results"]
        if resource == "Endpoint":
            # SearchRecord Endpoint.MonitoringSchedules: each schedule of the endpoint, whole
            # (the MonitoringSchedule shape: DescribeMonitoringSchedule's fields and Tags).
            # A schedule of a named job definition is listed under the definition's endpoint.
            # (moto_extensions.py keeps the schedules on the backend.)
            watched = [(s.endpoint_name or _definition_endpoint(
                            backend, s.config.get("MonitoringJobDefinitionName")), s)
                       for s in getattr(backend, "mlw_monitoring_schedules", {}).values()]
            for rec in found:
                ep = rec["Endpoint"]
                ep["MonitoringSchedules"] = [{**s.describe(), "Tags": list(s.tags)}
                                             for name, s in watched if name == ep.get("EndpointName")]
        if resource == "ModelPackage":
            for rec in found:
                pkg = rec["ModelPackage"]
                pkg["Tags"] = list(backend._get_resource_from_arn(pkg["ModelPackageArn"]).tags or [])
        return found

    def search(self):
        params = json.loads(self.body or "{}")
        resource = params.get("Resource")
        found = records(self.sagemaker_backend, resource)
        name = {"ExperimentTrial": "Trial", "ExperimentTrialComponent": "TrialComponent"}.get(resource, resource)
        entity = (lambda rec: rec[name]["Model"]) if resource == "Model" else (lambda rec: rec[name])
        expression = params.get("SearchExpression")
        if expression:
            found = [rec for rec in found if _matches(entity(rec), expression)]
        key = params.get("SortBy") or "CreationTime"
        found.sort(key=lambda rec: _sort_key(entity(rec).get(key)),
                   reverse=(params.get("SortOrder") or "Descending") == "Descending")
        size = min(int(params.get("MaxResults") or _DEFAULT_RESULTS), _MAX_RESULTS)
        start = int(params.get("NextToken") or 0)
        page = {"Results": found[start:start + size]}
        if start + size < len(found):
            page["NextToken"] = str(start + size)
        return ActionResult(page)

    SageMakerResponse.search = search


def _definition_endpoint(backend, name: str | None) -> str | None:
    """The endpoint a named monitoring job definition (any of the four kinds) reads: the
    endpoint whose Search record lists the schedule (`records` above). The schedule's own
    EndpointName stays as AWS may leave it, absent (the scanner then resolves it through
    the definition)."""
    for kind in ("data_quality", "model_quality", "model_bias", "model_explainability"):
        definition = getattr(backend, f"{kind}_job_definitions", {}).get(name) if name else None
        if definition is not None:
            job_input = getattr(definition, f"{kind}_job_input", None) or {}
            return (job_input.get("EndpointInput") or {}).get("EndpointName")
    return None


def _plain(value: Any) -> Any:
    """A response object as JSON-ready values (moto keeps datetimes in some)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat() if hasattr(v, "isoformat") else str(v)))


def _lookup(entity: dict, name: str) -> list[Any]:
    """The values `name` ("A.B", "Tags.<key>") reaches in `entity`, lists walked."""
    if name.startswith("Tags."):
        key = name[5:]
        return [t.get("Value") for t in entity.get("Tags") or [] if t.get("Key") == key]
    values: list[Any] = [entity]
    for part in name.split("."):
        nxt: list[Any] = []
        for v in values:
            if isinstance(v, list):
                v = [x.get(part) for x in v if isinstance(x, dict)]
                nxt.extend(x for x in v if x is not None)
            elif isinstance(v, dict) and v.get(part) is not None:
                nxt.append(v[part])
        values = [x for v in nxt for x in (v if isinstance(v, list) else [v])]
    return values


def _time(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value, dt.timezone.utc)
    if isinstance(value, str):
        try:
            return _time(float(value))
        except ValueError:
            pass
        try:
            return _time(dt.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def _compare(actual: Any, expected: str) -> int | None:
    """-1, 0, 1 for actual <, =, > expected: as times, numbers or strings; None if not comparable."""
    for convert in (_time, float):
        try:
            a, e = convert(actual), convert(expected)
        except (TypeError, ValueError):
            continue
        if a is not None and e is not None:
            return (a > e) - (a < e)
    if isinstance(actual, str):
        return (actual > expected) - (actual < expected)
    return None


def _filter(entity: dict, f: dict) -> bool:
    values = _lookup(entity, f["Name"])
    op, expected = f.get("Operator") or "Equals", f.get("Value")
    if op == "Exists":
        return bool(values)
    if op == "NotExists":
        return not values
    if op == "In":
        wanted = {w.strip() for w in (expected or "").split(",")}
        return any(str(v) in wanted for v in values)
    if op == "Contains":
        return any(expected in str(v) for v in values)
    if op == "NotEquals":
        return all(_compare(v, expected) != 0 for v in values)
    want = {"Equals": {0}, "GreaterThan": {1}, "GreaterThanOrEqualTo": {0, 1},
            "LessThan": {-1}, "LessThanOrEqualTo": {-1, 0}}[op]
    return any(_compare(v, expected) in want for v in values)


def _matches(entity: dict, expression: dict) -> bool:
    results = [_filter(entity, f) for f in expression.get("Filters") or []]
    results += [_matches(entity, sub) for sub in expression.get("SubExpressions") or []]
    if not results:
        return True
    return any(results) if expression.get("Operator") == "Or" else all(results)


def _sort_key(value: Any) -> tuple:
    t = _time(value) if not isinstance(value, (int, float)) else None
    return (0, t.timestamp()) if t else (1, str(value))
