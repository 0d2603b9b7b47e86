"""Progress while a run works, so neither a person nor a CI watchdog sees silence.

On a terminal: a live table per service (and region, for a few regions) with the
resources counted so far, then the evaluation, redrawn in place and removed at the
end. Elsewhere (CI logs, pipes): one plain line on stderr every few seconds
(MLWARDEN_PROGRESS_INTERVAL, default 5) with phase, counts and elapsed time; a run
shorter than that prints none, so a quick run's stderr is only its result.
"""
from __future__ import annotations

import os
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from rich import box
from rich.console import Group
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text

from ..inventory import CollectProgress
from .console import Terminal, safe

DEFAULT_INTERVAL = 5.0
PER_REGION_ROWS = 3   # up to this many regions, one row per service and region


def interval_from_env() -> float:
    try:
        return max(0.05, float(os.environ.get("MLWARDEN_PROGRESS_INTERVAL", DEFAULT_INTERVAL)))
    except ValueError:
        return DEFAULT_INTERVAL


def service_of(resource_type: str) -> str:
    """AWS::SageMaker::NotebookInstance → SageMaker; MLW::SageMaker::ServiceUsage → SageMaker."""
    parts = resource_type.split("::")
    return parts[1] if len(parts) >= 3 else resource_type


@dataclass
class _Row:
    types: int = 0
    resources: int = 0
    gaps: int = 0


@dataclass
class _State:
    phase: str = "starting"
    detail: str = ""
    jobs_done: int = 0
    jobs_total: dict = field(default_factory=dict)   # account → planned jobs
    resources: int = 0
    gaps: int = 0
    regions: set = field(default_factory=set)
    rows: dict = field(default_factory=lambda: defaultdict(_Row))   # (service, region) → _Row


class RunProgress:
    """Use as a context manager; pass `.collected` as the collection's progress callback
    and call `.phase(...)` when the run moves on."""

    def __init__(self, term: Terminal, *, interval: float | None = None):
        self.term = term
        self.enabled = not term.quiet
        self.live_mode = self.enabled and term.interactive
        self.interval = interval if interval is not None else interval_from_env()
        self._state = _State()
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._phase_started = self._started
        self._live: Live | None = None
        self._spinner = Spinner("dots")
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> "RunProgress":
        if self.live_mode:
            self._live = Live(get_renderable=self._render, console=self.term.err, transient=True,
                              refresh_per_second=4, redirect_stdout=False, redirect_stderr=False)
            self._live.start()
        elif self.enabled:
            self._ticker = threading.Thread(target=self._tick, name="mlw-progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._ticker is not None:
            self._ticker.join(timeout=1)
            self._ticker = None

    # --- events --------------------------------------------------------------------
    def phase(self, name: str, detail: str = "") -> None:
        with self._lock:
            self._state.phase, self._state.detail = name, detail
            self._phase_started = time.monotonic()

    def collected(self, ev: CollectProgress) -> None:
        with self._lock:
            s = self._state
            s.phase = "collecting"
            s.jobs_done += 1
            s.jobs_total[ev.account] = ev.total
            s.resources += ev.resources
            s.gaps += ev.gaps
            s.regions.add(ev.region)
            row = s.rows[(service_of(ev.resource_type), ev.region)]
            row.types += 1
            row.resources += ev.resources
            row.gaps += ev.gaps
        if self.enabled and not self.live_mode and self.term.verbose:
            gaps = f", {ev.gaps} gap(s)" if ev.gaps else ""
            self.term.err.print(Text(safe(f"mlwarden: collected {ev.resource_type} in {ev.account}/{ev.region}: "
                                          f"{ev.resources} resource(s){gaps}")), soft_wrap=True)

    # --- rendering -----------------------------------------------------------------
    def status_line(self) -> str:
        with self._lock:
            s = self._state
            elapsed = time.monotonic() - self._started
            parts = [s.phase + (f" {s.detail}" if s.detail else "")]
            if s.jobs_total:
                parts.append(f"{s.jobs_done}/{sum(s.jobs_total.values())} collector jobs")
                parts.append(f"{s.resources} resources")
                parts.append(f"{s.gaps} gaps")
            if s.phase != "collecting":
                parts.append(f"phase {time.monotonic() - self._phase_started:.0f}s")
            parts.append(f"elapsed {elapsed:.0f}s")
        return "mlwarden: " + " · ".join(parts)

    def _print_line(self) -> None:
        self.term.err.print(Text(safe(self.status_line())), soft_wrap=True)

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self._print_line()

    def _render(self):
        with self._lock:
            s = self._state
            per_region = len(s.regions) <= PER_REGION_ROWS
            table = Table(box=box.SIMPLE, pad_edge=False, show_edge=False)
            table.add_column("service")
            table.add_column("region" if per_region else "regions")
            table.add_column("types read", justify="right")
            table.add_column("resources", justify="right")
            table.add_column("gaps", justify="right")
            merged: dict = defaultdict(lambda: [set(), 0, 0, 0])
            for (service, region), row in s.rows.items():
                key = (service, region) if per_region else (service, None)
                m = merged[key]
                m[0].add(region)
                m[1] += row.types
                m[2] += row.resources
                m[3] += row.gaps
            for (service, region), (regions, types, resources, gaps) in sorted(merged.items(), key=str):
                table.add_row(safe(service), safe(region) if region else f"{len(regions)}",
                              str(types), str(resources), Text(str(gaps), style="yellow" if gaps else ""))
            any_rows = bool(s.rows)
        # status_line takes the lock itself
        self._spinner.update(text=Text(self.status_line().removeprefix("mlwarden: ")))
        return Group(self._spinner, table) if any_rows else self._spinner
