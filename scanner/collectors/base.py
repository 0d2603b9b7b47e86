"""Collectors declared as data, over one shared collection engine.

A collector module declares one or more `CollectorSpec`s and registers them with
`register(...)`. The engine (`collect`) does the rest for every spec alike:
pagination, per-item describe calls, tags, error capture as coverage gaps, and
the bounded thread pool across regions and types. IAM permissions are derived
from the calls a spec declares, so `mlwarden permissions` is never hand-written.

Adding a resource type is a one-file change: a new module in this package that
calls `register`; `scanner.collectors.registry()` imports every module here.
"""
from __future__ import annotations

import dataclasses
import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from botocore.exceptions import BotoCoreError, ClientError

from ..aws.readonly import WriteRefused
from ..aws import calls
from ..aws.session import AwsContext, paginate, run_bounded
from ..facets import Facet, default_facets
from .bulk import TAG_API, read_once, region_tags
from ..model import READ, CoverageGap, FacetStatus, Resource
from ..resource_type import ResourceType

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What a collector call is about: one account, one region, one AWS context."""
    aws: AwsContext
    account: str
    region: str
    partition: str = "aws"
    # What one collection run of this account and region reads once for all its items
    # (`read_once`: a region's scalable targets); a new run, a new scope, fresh reads.
    run_cache: dict = field(default_factory=dict, compare=False, repr=False)
    # False for an event-driven read of one resource (collect_one): a region-wide bulk
    # read (every tag of the region, every scalable target) would cost more than asking
    # about the one resource.
    bulk: bool = True

    def client(self, service: str):
        return self.aws.client(service, self.region)

    def arn(self, service: str, resource: str, *, region: str | None = None,
            account: str | None = None) -> str:
        return (f"arn:{self.partition}:{service}:{self.region if region is None else region}:"
                f"{self.account if account is None else account}:{resource}")


@dataclass(frozen=True, kw_only=True)
class ListCall:
    """The call that enumerates resources. `params` are passed on every page."""
    operation: str            # e.g. "ListNotebookInstances"
    result_key: str           # e.g. "NotebookInstances"
    params: dict = field(default_factory=dict)
    # Parameters decided at scan time (a time window): one listing per dict, each merged
    # over `params`, their items de-duplicated by `unique_key` (first listing wins).
    queries: Callable[["Scope"], list[dict]] | None = None
    unique_key: str | None = None
    # A bulk read whose items are whole records (SageMaker Search): the detail is at
    # this dotted path of each item ("Model.Model"), and when `complete` no describe
    # call is made for it (the spec's describe_call then serves single lookups only).
    record: str | None = None
    complete: bool = False


@dataclass(frozen=True, kw_only=True)
class DescribeCall:
    """The call that fetches one resource's detail, keyed by a field of the list item."""
    operation: str            # e.g. "DescribeNotebookInstance"
    param: str                # request parameter, e.g. "NotebookInstanceName"
    item_key: str             # key of the list item that holds the value
    result_key: str | None = None  # unwrap the response (e.g. "Key" for KMS DescribeKey)


@dataclass(frozen=True, kw_only=True)
class Shape:
    """What a normaliser returns: the canonical parts of one resource."""
    id: str
    arn: str
    properties: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    relations: dict[str, list[str]] = field(default_factory=dict)
    tags: dict[str, str] | None = None  # None: let the spec's tag strategy fetch them
    # Facets whose read failed while normalising (see `read_facet`); the others were read.
    facets: dict[str, FacetStatus] = field(default_factory=dict)


# How tags are read: from the detail itself, or with one extra call per resource.
TAGS_NONE = "none"                # the type has no tags
TAGS_INLINE = "inline"            # the normaliser returns them in Shape.tags
TAGS_SAGEMAKER = "sagemaker"      # the region's tag:GetResources, else sagemaker:ListTags(ResourceArn=arn)


@dataclass(frozen=True, kw_only=True)
class CollectorSpec(ResourceType):
    """One resource type, declared as data: its descriptor (scanner/resource_type.py:
    names, relations, events, defaults, ...) and how it is read.

    Either `list_call` (+ optional `describe_call`) with a `normalise` function, or a
    `custom` function for types whose reading does not fit the list/describe mould
    (S3 buckets need a dozen Get calls; account documents are computed). Both declare
    `permissions` beyond the ones derived from the declared calls.
    """
    service: str                      # boto3 service name
    iam_prefix: str                   # IAM action prefix ("sagemaker", "s3", "servicequotas")
    normalise: Callable[[dict, Scope], Shape] | None = None
    list_call: ListCall | None = None
    describe_call: DescribeCall | None = None
    tags: str = TAGS_INLINE
    custom: Callable[[Scope], Iterable[Resource]] | None = None
    # Read just one resource by name/id/ARN (event-driven scans). Without it, a
    # describe-based spec describes the one item; a custom spec collects and filters.
    lookup: Callable[[Scope, str], Iterable[Resource]] | None = None
    extra_permissions: tuple[str, ...] = ()
    # Facets beyond describe and tags (scanner/facets.py); one with the name of a
    # default replaces it. A spec that declares none has describe (+ tags if tagged).
    facets: tuple[Facet, ...] = ()
    # Items read at once (describe, tags, normalise); None: AwsOptions.item_workers. 1 reads them in
    # list order, for a type whose items share a first-come budget (artefact bytes).
    item_workers: int | None = None
    # Reads the listed items share, made in parallel before the items are read (then in
    # list order when item_workers is 1): `prefetch(scope, items)`, e.g. each artefact's
    # HeadObject, once per URL (collectors/artefact_size.py). It records what it reads
    # (and any failure) where the items' own reads find it, and raises nothing.
    prefetch: Callable[[Scope, list], None] | None = None
    # A listed item's whole record (the describe call's fields, and Tags) from a bulk read:
    # one another type makes anyway (`read_once`: a monitoring schedule in its endpoint's
    # Search record), or the listing itself when it holds all the describe call would add
    # for this item (an Active signing profile); None to describe it. Not used for
    # one-resource reads.
    bulk_record: Callable[[Scope, Any], dict | None] | None = None

    def __post_init__(self):
        if self.custom is None and (self.list_call is None or self.normalise is None):
            raise TypeError(f"{self.type}: a spec needs list_call and normalise, or custom")

    @property
    def taggable(self) -> bool:
        return self.tags != TAGS_NONE

    @property
    def all_facets(self) -> tuple[Facet, ...]:
        tag_ops = (TAG_API, "sagemaker:ListTags") if self.tags == TAGS_SAGEMAKER else ()
        merged = {f.name: f for f in default_facets(tagged=self.tags != TAGS_NONE, tag_operations=tag_ops)}
        merged.update({f.name: f for f in self.facets})
        return tuple(merged.values())

    @property
    def permissions(self) -> tuple[str, ...]:
        perms = []
        for call in (self.list_call, self.describe_call):
            if call is not None:
                perms.append(f"{self.iam_prefix}:{call.operation}")
        if self.tags == TAGS_SAGEMAKER:
            perms.extend(("sagemaker:ListTags", TAG_API))
        perms.extend(self.extra_permissions)
        return tuple(dict.fromkeys(perms))


_REGISTRY: dict[str, CollectorSpec] = {}


def register(*specs: CollectorSpec) -> None:
    for spec in specs:
        if spec.type in _REGISTRY:
            raise ValueError(f"collector for {spec.type} registered twice")
        _REGISTRY[spec.type] = spec


def registry() -> dict[str, CollectorSpec]:
    """Every collector, after importing every module of this package."""
    from .. import collectors as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name != "base":
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    return dict(_REGISTRY)


def registered() -> dict[str, CollectorSpec]:
    """The collectors registered so far, without importing any module."""
    return dict(_REGISTRY)


@dataclass
class CollectResult:
    resources: list[Resource] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)


def error_code(exc: BaseException) -> str:
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") or "ClientError"
    return type(exc).__name__


def facet_failure(operation: str, exc: BaseException) -> FacetStatus:
    """The status of a facet whose read raised `exc` in `operation` ("service:Call")."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return FacetStatus.failed(operation, error_code(exc), message)


def read_facet(facets: dict[str, FacetStatus], name: str, operation: str, read: Callable[[], Any]) -> Any:
    """Run one sub-read of a resource; on failure mark facet `name` missing and return None.

    The resource stays in the inventory: a failed tags or autoscaling read makes only
    the policies that need that facet NOT_ASSESSED.
    """
    try:
        return read()
    except WriteRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the sub-read is that facet's gap
        # A sub-read may make several calls: name the one that raised when botocore says.
        raised = getattr(exc, "operation_name", None)
        facets[name] = facet_failure(getattr(exc, "mlwarden_action", None)
                                     or (f"{operation.split(':')[0]}:{raised}" if raised else operation), exc)
        return None


def stamp_facets(spec: CollectorSpec, resource: Resource) -> Resource:
    """Record every collected facet of the spec as read unless its read failed.

    Derived facets are left to scanner/derived.py, which knows their inputs.
    """
    for f in spec.all_facets:
        if not f.derived:
            resource.facets.setdefault(f.name, READ)
    return resource


def gap_for(spec: CollectorSpec, scope: Scope, operation: str, exc: BaseException,
            resource_id: str = "") -> CoverageGap:
    """The coverage gap for any exception raised while reading, named by the AWS call
    that raised (or whose answer was being read) in IAM terms, `operation` of the spec's
    service when no call was made. A WriteRefused is a collector bug, never a gap:
    it propagates from here, so every `except READ_ERRORS` site stays one line."""
    if isinstance(exc, WriteRefused):
        raise exc
    action = getattr(exc, "mlwarden_action", None) or getattr(exc, "kwargs", {}).get("action") \
        or calls.last_action() or f"{spec.iam_prefix}:{operation}"
    text = str(exc).splitlines()[0] if str(exc) else ""
    if not isinstance(exc, (ClientError, BotoCoreError)):
        # A normaliser or decoder choking on the answer: say so, the type alone is not enough.
        text = f"unexpected answer: {type(exc).__name__}: {text}".rstrip(": ")
    log.debug("coverage gap %s %s %s", spec.type, action, text, exc_info=exc)
    return CoverageGap(
        resource_type=spec.type, account=scope.account, region=scope.region,
        operation=action, error_code=error_code(exc), message=text or type(exc).__name__,
        resource_id=resource_id)


# Whatever goes wrong while reading is a gap: AWS errors, deadlines, unreadable answers,
# and a normaliser's KeyError on an answer of unexpected shape. `gap_for` re-raises
# WriteRefused, the one exception that is a bug rather than a failed read.
READ_ERRORS = (Exception,)


def collect_spec(spec: CollectorSpec, scope: Scope) -> CollectResult:
    """Collect one type in one region. Never raises for AWS errors: they become gaps."""
    result = CollectResult()
    if spec.custom is not None:
        try:
            for item in spec.custom(scope):
                if isinstance(item, CoverageGap):
                    result.gaps.append(item)
                else:
                    result.resources.append(stamp_facets(spec, item))
        except READ_ERRORS as exc:
            result.gaps.append(gap_for(spec, scope, getattr(exc, "operation_name", None) or "collect", exc))
        return result

    client = scope.client(spec.service)
    lc = spec.list_call
    try:
        items = listing(spec, scope)
    except READ_ERRORS as exc:
        result.gaps.append(gap_for(spec, scope, lc.operation, exc))
        return result

    if spec.prefetch is not None and items:
        spec.prefetch(scope, items)
    # What no bulk read returned is read per item, a few items at a time (each call
    # paced by its operation's adaptive rate limiter, calls.py); results keep list order.
    read = calls.on_this_collector(lambda item: _read_item(spec, scope, client, item))
    workers = spec.item_workers or scope.aws.options.item_workers
    for outcome in run_bounded([lambda item=item: read(item) for item in items], workers):
        if isinstance(outcome, CoverageGap):
            result.gaps.append(outcome)
        elif outcome is not None:
            result.resources.append(outcome)
    return result


def listing(spec: CollectorSpec, scope: Scope) -> list:
    """The items of the spec's list call. A listing without scan-time queries is read once
    per run and region (`read_once`), shared with any collector that reads the same call
    (VPC endpoints; the endpoints' Search record, which carries their monitoring schedules)."""
    client, lc = scope.client(spec.service), spec.list_call
    if lc.queries is not None:
        return list_items(client, lc, scope)
    action = f"{spec.iam_prefix}:{lc.operation}"
    key = (action, repr(sorted(lc.params.items()))) if lc.params else action
    return read_once(scope, key, lambda: list_items(client, lc, scope), action=action)


def list_items(client, lc: ListCall, scope: Scope) -> list:
    """Every item of a list call: each of its queries (or its params alone) paginated,
    de-duplicated by `unique_key`, unwrapped to `record`."""
    queries = lc.queries(scope) if lc.queries is not None else [{}]
    seen: set = set()
    items = []
    for query in queries:
        for item in paginate(client, lc.operation, lc.result_key, **{**lc.params, **query}):
            if lc.record:
                for part in lc.record.split("."):
                    item = item[part]
            key = item.get(lc.unique_key) if lc.unique_key and isinstance(item, dict) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            items.append(item)
    return items


def _read_item(spec: CollectorSpec, scope: Scope, client, item) -> Resource | CoverageGap | None:
    """One listed item as a resource (described, normalised, tagged), a gap, or None
    when it was deleted between the listing and the describe."""
    detail = item
    dc = spec.describe_call
    found = _bulk_record(spec, scope, item) if dc is not None and not spec.list_call.complete else None
    if found is not None:
        detail = found
    elif dc is not None and not spec.list_call.complete:
        key = item.get(dc.item_key) if isinstance(item, dict) else item
        try:
            detail = _describe(client, dc, key)
        except READ_ERRORS as exc:
            if _is_not_found(exc):
                return None  # deleted between list and describe
            return gap_for(spec, scope, dc.operation, exc, resource_id=str(key))
    shape = None
    try:
        shape = spec.normalise(detail, scope)
        listed = item.get("Tags") if isinstance(item, dict) else None
        if listed is None and detail is not item and isinstance(detail, dict):
            listed = detail.get("Tags")   # a bulk record (`bulk_record`) with its tags
        if shape.tags is None and spec.tags == TAGS_SAGEMAKER and isinstance(listed, list):
            # The bulk read carried the tags (SageMaker Search): no ListTags per item.
            shape = dataclasses.replace(shape, tags=tag_list_to_dict(listed))
        return _resource(spec, scope, shape)
    except READ_ERRORS as exc:
        # A normaliser may read more (e.g. endpoint autoscaling): name the call that failed,
        # and the resource by its own id once known (a package, not its group).
        op = getattr(exc, "operation_name", None) or "ListTags"
        rid = shape.id if shape is not None else _item_id(item)
        return gap_for(spec, scope, op, exc, resource_id=rid)


def collect_one(spec: CollectorSpec, scope: Scope, identifier: str) -> CollectResult:
    """Collect only the resource named `identifier` (name, id or ARN) of one type.

    Used by event-driven scans, which must answer in seconds for one touched resource.
    """
    scope = dataclasses.replace(scope, bulk=False, run_cache={})
    result = CollectResult()
    if spec.lookup is not None:
        try:
            for item in spec.lookup(scope, identifier):
                if isinstance(item, CoverageGap):
                    result.gaps.append(item)
                else:
                    result.resources.append(stamp_facets(spec, item))
        except READ_ERRORS as exc:
            if not _is_not_found(exc):
                result.gaps.append(gap_for(spec, scope, "lookup", exc, resource_id=identifier))
        return result
    if spec.custom is not None or spec.describe_call is None:
        full = collect_spec(spec, scope)
        result.gaps = full.gaps
        result.resources = [r for r in full.resources if identifier in (r.id, r.arn)]
        return result
    client = scope.client(spec.service)
    dc = spec.describe_call
    # A spec that describes by the list item's ARN (model packages: ".../model-package/group/3")
    # takes the ARN as it is; others take the name, the ARN's last segment.
    by_arn = dc.item_key.endswith("Arn")
    name = (identifier.rsplit("/", 1)[-1]
            if identifier.startswith("arn:") and dc.param.endswith(("Name", "Id")) and not by_arn
            else identifier)
    try:
        result.resources.append(_resource(spec, scope, spec.normalise(_describe(client, dc, name), scope)))
    except READ_ERRORS as exc:
        if not _is_not_found(exc):
            result.gaps.append(gap_for(spec, scope, dc.operation, exc, resource_id=identifier))
    return result


def _bulk_record(spec: CollectorSpec, scope: Scope, item) -> dict | None:
    """The item's whole record from a region-wide bulk read (`spec.bulk_record`), or None:
    then it is described. A bulk read that failed leaves each item to its describe call."""
    if spec.bulk_record is None or not scope.bulk:
        return None
    try:
        return spec.bulk_record(scope, item)
    except WriteRefused:
        raise
    except READ_ERRORS as exc:
        log.debug("%s: bulk record unavailable (%s), described instead", spec.type, exc)
        return None


def _describe(client, dc: DescribeCall, key) -> dict:
    """One describe call, unwrapped to the resource's detail."""
    detail = getattr(client, _op(dc.operation))(**{dc.param: key})
    detail.pop("ResponseMetadata", None)
    return detail[dc.result_key] if dc.result_key else detail


def _resource(spec: CollectorSpec, scope: Scope, shape: Shape) -> Resource:
    """The canonical document of a normalised item, tags read per the spec's strategy."""
    facets = dict(shape.facets)
    tags = shape.tags
    if tags is None:
        tags = read_facet(facets, "tags", "sagemaker:ListTags", lambda: _fetch_tags(spec, scope, shape.arn))
    return stamp_facets(spec, Resource(
        type=spec.type, id=shape.id, arn=shape.arn, account=scope.account, region=scope.region,
        tags=tags or {}, properties=compact(shape.properties), facts=shape.facts,
        relations=shape.relations, facets=facets))


def _fetch_tags(spec: CollectorSpec, scope: Scope, arn: str) -> dict[str, str]:
    if spec.tags == TAGS_SAGEMAKER:
        # One Tagging API listing per account and region gives every tagged resource's
        # tags; a resource it does not list (never tagged, or a type the API does not
        # cover) is asked with ListTags, so an absence is never taken for "no tags".
        tagged = region_tags(scope)
        if arn.lower() in tagged:
            return dict(tagged[arn.lower()])
        client = scope.client("sagemaker")
        tags = {}
        for t in paginate(client, "ListTags", "Tags", ResourceArn=arn):
            tags[t["Key"]] = t.get("Value", "")
        return tags
    return {}


def compact(value: Any) -> Any:
    """Drop None values, recursively: an absent property is absent, as in CloudFormation.

    Rego treats `null` as a value (`not null` is false), so a None left in would make
    "is the key set?" rules pass on resources that have no key.
    """
    if isinstance(value, dict):
        return {k: compact(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [compact(v) for v in value if v is not None]
    return value


def tag_list_to_dict(tags: list[dict] | None, key: str = "Key", value: str = "Value") -> dict[str, str]:
    return {t[key]: t.get(value, "") for t in (tags or [])}


def _is_not_found(exc: BaseException) -> bool:
    code = error_code(exc)
    return code in {"ResourceNotFound", "ResourceNotFoundException", "NoSuchEntity", "NotFoundException",
                    "ValidationException"} and "not found" in str(exc).lower() or code in {
        "ResourceNotFound", "NoSuchEntity", "NoSuchBucket"}


def _item_id(item: Any) -> str:
    if isinstance(item, dict):
        for k, v in item.items():
            if k.endswith("Name") or k.endswith("Id"):
                return str(v)
    return str(item)


def _op(operation: str) -> str:
    from botocore import xform_name
    return xform_name(operation)
