"""One judging run from the command line (scan, evaluate, iac, demo), set up before
any AWS call and finished in one place.

`start(...)` checks and locks `--out` (or picks stdout for `--out -`), prepares the
terminal and the progress display, and makes Ctrl-C end the run cleanly; `finish(doc)`
writes every output into the staging directory, publishes it, prints the summary and
returns the gate's exit code.
"""
from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from . import interrupt
from .errors import InputError
from .gate import Gate, judge, parse_fail_on
from .inventory import inventory_tags
from .model import Severity
from .output_dir import OutputDir
from .terminal import summary
from .terminal.console import OUTPUT_JSON, STDOUT, Terminal
from .terminal.progress import RunProgress


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """What every judging command shares about outputs, the gate and the terminal."""
    out: Path
    formats: tuple[str, ...]
    fail_on: str = "high"
    allow_gaps: bool = False
    output_format: str = "text"
    quiet: bool = False
    verbose: bool = False
    formats_given: bool = False   # --format on the command line (not its default)

    @property
    def to_stdout(self) -> bool:
        return str(self.out) == STDOUT

    @property
    def threshold(self) -> Severity | None:
        return parse_fail_on(self.fail_on)


class Run:
    def __init__(self, options: RunOptions, term: Terminal, progress: RunProgress,
                 out: OutputDir | None, previous=None):
        self.options = options
        self.term = term
        self.progress = progress
        self.out = out
        self.previous = previous
        self.gate: Gate | None = None

    def finish(self, doc, *, inventory=None, scope: str = "") -> int:
        """Write, publish, summarise; return the exit code."""
        from mlwarden.reports.base import RenderContext, registry
        from mlwarden.reports.write import write_reports

        self.progress.phase("writing reports")
        inv_dict = inventory_tags(inventory) if inventory is not None else None
        written: dict[str, Path] = {}
        if self.out is not None:
            if inventory is not None:
                inventory.save(self.out.staging / "inventory.json")
            write_reports(doc, list(self.options.formats),
                          RenderContext(out_dir=self.out.staging, previous=self.previous, inventory=inv_dict))
            published = self.out.publish()
            # inventory first, the formats as asked, the manifest last
            labels = {"inventory.json": "inventory"}
            labels.update({registry()[n].filename: n for n in ("json", *self.options.formats)})
            labels["manifest.json"] = "manifest"
            written = {label: published[name] for name, label in labels.items() if name in published}
        self.progress.close()
        if self.term.json_stdout:
            data = registry()["json"].render(doc, RenderContext(out_dir=Path("."), previous=self.previous,
                                                                inventory=inv_dict))
            stdout_write(data)
        self.gate = judge(doc, self.options.threshold, allow_gaps=self.options.allow_gaps)
        summary.render(self.term, doc, self.gate, {} if self.term.json_stdout else written, scope=scope)
        if self.term.json_stdout and written and not self.term.quiet:
            for label, path in written.items():
                self.term.note(f"  {label:9} {path}", style="")
        summary.gate_line(self.term, self.gate)
        return self.gate.code


def stdout_write(data: bytes) -> None:
    """Bytes on stdout, after whatever text is already there."""
    sys.stdout.flush()
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        sys.stdout.write(data.decode())
    else:
        stream.write(data if data.endswith(b"\n") else data + b"\n")
        stream.flush()


@contextmanager
def start(options: RunOptions, *, previous=None) -> Iterator[Run]:
    """Everything checked before any AWS call: the formats against `--out -`, the
    output directory (created, writable, locked); then progress and Ctrl-C handling."""
    if options.to_stdout and options.formats_given and set(options.formats) - {"json"}:
        raise InputError("--format: with --out - only the findings JSON is written (to stdout); "
                         "give a directory to --out for other formats")
    term = Terminal.create(output_format=options.output_format, out_dir=options.out,
                           quiet=options.quiet, verbose=options.verbose)
    with ExitStack() as stack:
        stack.enter_context(interrupt.handled())
        out = None
        if not options.to_stdout:
            out = stack.enter_context(OutputDir.open(options.out))
            interrupt.on_interrupt(out.close)
        progress = stack.enter_context(RunProgress(term))
        yield Run(options, term, progress, out, previous)


__all__ = ["OUTPUT_JSON", "Run", "RunOptions", "start"]
