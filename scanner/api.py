"""The library API the CLI, the Lambda handler and tests call. The CLI stays thin.

The scan pipeline itself is scanner/pipeline.py; these are its short forms under the
names library callers know."""
from __future__ import annotations

from typing import Iterable

from .aws.session import AwsOptions
from .findings import FindingsDocument
from .inventory import Inventory, ProgressFn
from .pipeline import (ENGINES, EvalOptions, Loaded, ScanResult, gather, judge, live_source, load_everything,
                       make_engine)

__all__ = ["ENGINES", "EvalOptions", "ScanResult", "collect_inventory", "evaluate_inventory",
           "load_everything", "make_engine"]


def evaluate_inventory(inv: Inventory, opts: EvalOptions, *, loaded: Loaded | None = None,
                       scan_meta: dict | None = None) -> FindingsDocument:
    """`pipeline.judge`: `inv` as it is (derived by its source), evaluated."""
    return judge(inv, opts, loaded=loaded, scan_meta=scan_meta)


def collect_inventory(aws_options: AwsOptions, regions: Iterable[str], *,
                      types: Iterable[str] | None = None,
                      progress: ProgressFn | None = None,
                      accounts: Iterable[str] = (), organization: bool = False,
                      role_name: str | None = None, redact: bool = True,
                      settings: dict | None = None) -> Inventory:
    """Collect one account (the caller's), or several through an assumed role, derived
    and redacted. `redact=False` (`--no-redact`) keeps secrets in the inventory: local
    debugging only."""
    return gather(live_source(aws_options, regions, types=types, progress=progress, accounts=accounts,
                              organization=organization, role_name=role_name, redact=redact,
                              settings=settings))
