"""Inventory: every resource and every coverage gap of one scan, and how to
collect, save and re-read it."""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from . import __version__
from .aws.session import AwsContext, run_bounded
from .collectors.base import CollectorSpec, CollectResult, Scope, collect_spec, registry
from .errors import InputError
from .model import CoverageGap, Resource

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

    def extend(self, other: "Inventory") -> None:
        self.resources.extend(other.resources)
        self.gaps.extend(other.gaps)
        self.accounts = sorted(set(self.accounts) | set(other.accounts))
        self.regions = sorted(set(self.regions) | set(other.regions))

    def to_dict(self) -> dict:
        return {
            "schema_version": INVENTORY_SCHEMA_VERSION,
            "tool_version": __version__,
            "started": self.started, "finished": self.finished,
            "accounts": self.accounts, "regions": self.regions,
            "resources": [r.to_dict() for r in self.resources],
            "coverage": [g.to_dict() for g in self.gaps],
        }

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=1, sort_keys=False, default=str))

    @classmethod
    def load(cls, path: Path) -> "Inventory":
        try:
            doc = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise InputError(f"{path}: no such inventory file") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        return cls.from_dict(doc, where=str(path))

    @classmethod
    def from_dict(cls, doc: object, where: str = "inventory") -> "Inventory":
        if not isinstance(doc, dict) or not isinstance(doc.get("resources"), list):
            raise InputError(f"{where}: not an mlwarden inventory (no 'resources' list)")
        inv = cls(accounts=list(doc.get("accounts") or []), regions=list(doc.get("regions") or []),
                  started=doc.get("started", ""), finished=doc.get("finished", ""))
        for i, r in enumerate(doc["resources"]):
            if not isinstance(r, dict):
                raise InputError(f"{where}: resources[{i}] is not an object")
            try:
                inv.resources.append(Resource.from_dict(r))
            except (ValueError, TypeError) as exc:
                raise InputError(f"{where}: resources[{i}]: {exc}") from None
        for i, g in enumerate(doc.get("coverage") or []):
            if not isinstance(g, dict):
                raise InputError(f"{where}: coverage[{i}] is not an object")
            inv.gaps.append(CoverageGap.from_dict(g))
        return inv


ProgressFn = Callable[[str, int, int], None]  # (label, done, total)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def collect(aws: AwsContext, regions: Iterable[str], *,
            types: Iterable[str] | None = None,
            progress: ProgressFn | None = None) -> Inventory:
    """Collect every registered type (or `types`) in every region of one account."""
    from .derived import annotate_endpoints, annotate_package_ages, annotate_vpcs, derive_account_documents
    from .ml_estate import mark_ml_estate
    from .monitoring_links import resolve_job_definitions

    regions = list(regions)
    specs = registry()
    if types:
        wanted = set(types)
        unknown = wanted - set(specs)
        if unknown:
            raise InputError(f"--types: unknown resource type(s): {', '.join(sorted(unknown))}")
        specs = {k: v for k, v in specs.items() if k in wanted}
    inv = Inventory(started=now(), regions=regions)
    account = aws.account_id(regions[0])
    inv.accounts = [account]

    jobs: list[tuple[CollectorSpec, Scope]] = []
    for spec in specs.values():
        for region in ([regions[0]] if spec.global_service else regions):
            jobs.append((spec, Scope(aws=aws, account=account, region=region,
                                     partition=aws.partition(region))))
    done = 0
    total = len(jobs)

    def task(spec: CollectorSpec, scope: Scope) -> Callable[[], CollectResult]:
        def run() -> CollectResult:
            nonlocal done
            res = collect_spec(spec, scope)
            done += 1
            if progress:
                progress(f"{spec.type} {scope.region}", done, total)
            return res
        return run

    for res in run_bounded([task(s, sc) for s, sc in jobs], aws.options.max_workers):
        inv.resources.extend(res.resources)
        inv.gaps.extend(res.gaps)
    annotate_vpcs(inv, set(specs))
    annotate_endpoints(inv, set(specs))
    annotate_package_ages(inv)
    resolve_job_definitions(inv, set(specs))
    mark_ml_estate(inv)
    inv.resources.extend(derive_account_documents(inv, account, regions))
    inv.finished = now()
    return inv
