"""Inventory: every resource and every coverage gap of one scan, and how to
collect, save and re-read it."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__, json_values
from .aws import calls
from .aws.session import AwsContext, run_bounded
from .collectors.base import CollectorSpec, CollectResult, Scope, collect_spec, registry
from .errors import InputError
from .json_stream import iter_document, iter_flat_document, write_text
from .jsonload import load_json, loads
from .model import CoverageGap, Resource, expect_types
from .redaction import redact_resources

INVENTORY_SCHEMA_VERSION = "1.0"

# Account-wide derived documents (quota usage, registry size) are computed from
# what was collected: see `derived.py`.


@dataclass
class Inventory:
    resources: list[Resource] = field(default_factory=list)
    gaps: list[CoverageGap] = field(default_factory=list)
    accounts: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    # How values that can hold secrets were treated (redaction.py); empty until a pass ran.
    redaction: dict = field(default_factory=dict)
    # What the collection left out by design: the job window (collectors/sagemaker_jobs.py).
    collection: dict = field(default_factory=dict)

    def extend(self, other: "Inventory") -> None:
        self.resources.extend(other.resources)
        self.gaps.extend(other.gaps)
        self.accounts = sorted(set(self.accounts) | set(other.accounts))
        self.regions = sorted(set(self.regions) | set(other.regions))
        self.redaction = self.redaction or other.redaction
        self.collection = self.collection or other.collection

    def to_dict(self) -> dict:
        return {**self._head(), "resources": [r.to_dict() for r in self.resources]}

    def _head(self) -> dict:
        """The document with its resources left out (their place kept)."""
        return {
            "schema_version": INVENTORY_SCHEMA_VERSION,
            "tool_version": __version__,
            "started": self.started, "finished": self.finished,
            "accounts": self.accounts, "regions": self.regions,
            "redaction": self.redaction,
            "collection": self.collection,
            "resources": None,
            "coverage": [g.to_dict() for g in self.gaps],
        }

    def save(self, path: Path, *, compact: bool = False) -> None:
        """`json.dumps(self.to_dict(), indent=1, default=str)`, or without the indent if
        `compact` (the audit function's copy), written a resource at a time
        (json_stream.py): `to_dict()` would hold a second copy of the whole inventory as
        dicts while it is written."""
        lists = {"resources": lambda: (r.to_dict() for r in self.resources)}
        with path.open("w") as fh:
            write_text(fh, (iter_flat_document if compact else iter_document)(self._head(), lists))

    @classmethod
    def load(cls, path: Path) -> "Inventory":
        """Read inventory.json strictly: NaN, Infinity or a lone surrogate anywhere is
        a one-line error naming the file (jsonload.py, json_values.py)."""
        return cls.from_dict(load_json(path, "inventory file"), where=str(path))

    @classmethod
    def from_dict(cls, doc: object, where: str = "inventory", *, redact: bool = True) -> "Inventory":
        """A saved inventory, redacted again: it may come from a `--no-redact` run or an
        older version, and whatever is judged from it ends up in reports."""
        if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
            raise InputError(f"{where}: not an mlwarden inventory (no 'resources' list)")
        try:
            expect_types(doc, {"accounts": list, "regions": list, "coverage": list, "started": str,
                               "finished": str}, "inventory")
        except ValueError as exc:
            raise InputError(f"{where}: {exc}") from None
        inv = cls(accounts=list(doc.get("accounts") or []), regions=list(doc.get("regions") or []),
                  started=doc.get("started", ""), finished=doc.get("finished", ""),
                  collection=dict(doc.get("collection") or {}))
        for i, r in enumerate(doc["resources"]):
            if not isinstance(r, dict):
                raise InputError(f"{where}: resources[{i}] is not an object")
            try:
                inv.resources.append(parse_definitions(Resource.from_dict(r)))
            except (ValueError, TypeError) as exc:
                raise InputError(f"{where}: resources[{i}]: {exc}") from None
        for i, g in enumerate(doc.get("coverage") or []):
            if not isinstance(g, dict):
                raise InputError(f"{where}: coverage[{i}] is not an object")
            try:
                inv.gaps.append(CoverageGap.from_dict(g))
            except ValueError as exc:
                raise InputError(f"{where}: coverage[{i}]: {exc}") from None
        inv.redaction = redact_resources(inv.resources, enabled=redact)
        return inv


def parse_definitions(r: Resource) -> Resource:
    """A pipeline definition given as JSON text (DescribePipeline's form) parsed as the
    collector parses it, so no policy parses JSON itself: text that is not JSON is kept
    as {"PipelineDefinitionBody": text}, which policies report as unreadable."""
    raw = r.properties.get("PipelineDefinition") if r.type == "AWS::SageMaker::Pipeline" else None
    if isinstance(raw, str):
        try:
            r.properties["PipelineDefinition"] = loads(raw, "PipelineDefinition")
        except InputError as exc:
            r.properties["PipelineDefinition"] = {"PipelineDefinitionBody": raw}
            r.facts["pipeline_definition_error"] = str(exc)
    return r


def clean_collected(r: Resource) -> Resource:
    """A collected resource as JSON values only (json_values.clean): an odd value
    from an API (NaN, a lone surrogate) becomes a marker and never stops a scan."""
    r.id, r.arn = json_values.clean(r.id), json_values.clean(r.arn)
    r.tags = json_values.clean(r.tags)
    r.properties = json_values.clean(r.properties)
    r.facts = json_values.clean(r.facts)
    r.relations = json_values.clean(r.relations)
    return r


@dataclass(frozen=True, kw_only=True)
class CollectProgress:
    """One collector job finished: one resource type in one region of one account."""
    account: str
    region: str
    resource_type: str
    resources: int
    gaps: int
    done: int    # jobs finished in this account so far
    total: int   # jobs planned in this account


ProgressFn = Callable[[CollectProgress], None]


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def select_specs(types: Iterable[str] | None = None, global_types: bool = True) -> dict[str, CollectorSpec]:
    """The collector specs of `types` (every registered type when None), without the
    account-wide ones when `global_types` is False."""
    specs = registry()
    if types:
        wanted = set(types)
        unknown = wanted - set(specs)
        if unknown:
            raise InputError(f"--types: unknown resource type(s): {', '.join(sorted(unknown))}")
        specs = {k: v for k, v in specs.items() if k in wanted}
    if not global_types:
        specs = {k: v for k, v in specs.items() if not v.global_service}
    return specs


def collect(aws: AwsContext, regions: Iterable[str], *,
            types: Iterable[str] | None = None,
            progress: ProgressFn | None = None, global_types: bool = True) -> Inventory:
    """Read every registered type (or `types`) in every region of one account: the
    resources as read, neither derived nor redacted (scanner/pipeline.py does both, and
    is the one caller). `global_types=False` leaves out IAM roles, S3 buckets and other
    account-wide types (a regional part of a fanned-out scan whose first part reads them)."""
    regions = list(regions)
    specs = select_specs(types, global_types)
    from .collectors.sagemaker_jobs import job_window_note
    inv = Inventory(started=now(), regions=regions, collection=job_window_note(aws.scan_state))
    account = aws.account_id(regions[0])
    inv.accounts = [account]

    jobs: list[tuple[CollectorSpec, Scope]] = []
    # What this run reads once per region for every type (a region's tags, its
    # scalable targets: collectors.base.read_once); a later run reads afresh.
    run_caches: dict[str, dict] = {region: {} for region in regions}
    for spec in specs.values():
        for region in ([regions[0]] if spec.global_service else regions):
            jobs.append((spec, Scope(aws=aws, account=account, region=region,
                                     partition=aws.partition(region), run_cache=run_caches[region])))
    done = 0
    total = len(jobs)

    def task(spec: CollectorSpec, scope: Scope) -> Callable[[], CollectResult]:
        def run() -> CollectResult:
            nonlocal done
            with calls.collector_deadline(aws.options.collector_deadline, f"{spec.type} {scope.region}"):
                res = collect_spec(spec, scope)
            done += 1
            if progress:
                progress(CollectProgress(account=account, region=scope.region, resource_type=spec.type,
                                         resources=len(res.resources), gaps=len(res.gaps),
                                         done=done, total=total))
            return res
        return run

    for res in run_bounded([task(s, sc) for s, sc in jobs], aws.options.max_workers):
        inv.resources.extend(res.resources)
        inv.gaps.extend(res.gaps)
    inv.resources = [clean_collected(r) for r in inv.resources]
    return inv


def inventory_tags(inventory: Inventory) -> dict:
    """What a report reads of the inventory (`RenderContext.inventory`: the HTML report
    shows each judged resource's tags), in inventory.json's shape: each tagged resource's
    reference and tags. Not `inventory.to_dict()`, a second copy of every resource held
    while the reports are written."""
    return {"resources": [{**r.ref(), "tags": r.tags} for r in inventory.resources if r.tags]}
