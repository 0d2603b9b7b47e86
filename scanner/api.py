"""The library API the CLI, the Lambda handler and tests call. The CLI stays thin."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .aws.session import AwsContext, AwsOptions
from .engine.base import Engine
from .errors import InputError
from .evaluate import FindingsDocument, evaluate
from .inventory import Inventory, ProgressFn, collect
from .policy.library import PolicySet, load_policies
from . import settings as settings_mod
from . import waivers as waivers_mod


@dataclass(frozen=True, kw_only=True)
class EvalOptions:
    policy_dirs: tuple[Path, ...] = ()
    settings_file: Path | None = None
    waivers_file: Path | None = None
    engine: str = "wasm"
    opa_url: str | None = None
    workers: int | None = None
    today: dt.date | None = None


@dataclass
class ScanResult:
    inventory: Inventory
    findings: FindingsDocument
    written: dict[str, Path] = field(default_factory=dict)


ENGINES = ("wasm", "opa")   # the first is the default


def make_engine(name: str, *, opa_url: str | None = None, workers: int | None = None) -> Engine:
    if name == "wasm":
        from .engine.wasm_engine import WasmEngine
        return WasmEngine(workers=workers)
    if name == "opa":
        from .engine.opa_engine import OpaEngine
        return OpaEngine(url=opa_url)
    raise InputError(f"--engine: unknown engine {name!r} (known: {', '.join(ENGINES)})")


def load_everything(opts: EvalOptions) -> tuple[PolicySet, dict, list]:
    """Read policies, settings and waivers first, so bad input fails before any AWS call."""
    policy_set = load_policies(opts.policy_dirs)
    settings = settings_mod.load(opts.settings_file)
    waivers = waivers_mod.load(opts.waivers_file)
    return policy_set, settings, waivers


def evaluate_inventory(inv: Inventory, opts: EvalOptions, *, loaded=None,
                       scan_meta: dict | None = None) -> FindingsDocument:
    policy_set, settings, waivers = loaded or load_everything(opts)
    with make_engine(opts.engine, opa_url=opts.opa_url, workers=opts.workers) as engine:
        engine.prepare(policy_set)
        return evaluate(inv, policy_set, engine, settings, waivers=waivers, today=opts.today,
                        scan_meta=scan_meta)


def collect_inventory(aws_options: AwsOptions, regions: Iterable[str], *,
                      types: Iterable[str] | None = None,
                      progress: ProgressFn | None = None,
                      accounts: Iterable[str] = (), organization: bool = False,
                      role_name: str | None = None, redact: bool = True,
                      settings: dict | None = None) -> Inventory:
    """Collect one account (the caller's), or several through an assumed role.
    `redact=False` (`--no-redact`) keeps secrets in the inventory: local debugging only."""
    regions = list(regions)
    if not regions:
        raise InputError("--regions: give at least one region")
    accounts = list(accounts)
    # What the scan shares across accounts and threads: the artefact cache and byte
    # budgets (settings.artefact_reads; the defaults when no settings are given).
    from .collectors.signature_check import ArtefactReads
    scan_state = {"artefact_reads": ArtefactReads.from_settings(settings)}
    if accounts or organization:
        from .organization import collect_accounts
        return collect_accounts(aws_options, regions, accounts=accounts, organization=organization,
                                role_name=role_name, types=types, progress=progress, redact=redact,
                                scan_state=scan_state)
    return collect(AwsContext(options=aws_options, scan_state=scan_state), regions, types=types,
                   progress=progress, redact=redact)
