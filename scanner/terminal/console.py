"""Where output goes. stdout carries the summary, or, with `--output-format json` or
`--out -`, only the findings document, so it can be piped; everything else
(progress, notes, the gate line) goes to stderr. `--quiet` keeps only the gate line."""
from __future__ import annotations

import os
import sys
import unicodedata
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

OUTPUT_TEXT, OUTPUT_JSON = "text", "json"
STDOUT = "-"
_PLAIN_WIDTH = 110   # CI logs are wider than the 80 columns rich assumes off a terminal


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    is_tty = stream.isatty()
    width = None if is_tty or os.environ.get("COLUMNS") else _PLAIN_WIDTH
    # file=None: rich looks up sys.stdout/sys.stderr when it writes, so output follows
    # whatever the stream is then (click's test runner swaps them).
    return Console(stderr=stderr, width=width, highlight=False, soft_wrap=False, emoji=False)


@dataclass
class Terminal:
    out: Console          # the human-readable summary
    err: Console          # notes, progress, the gate line
    quiet: bool = False
    verbose: bool = False
    json_stdout: bool = False

    @classmethod
    def create(cls, *, output_format: str = OUTPUT_TEXT, out_dir=None, quiet: bool = False,
               verbose: bool = False) -> "Terminal":
        json_stdout = output_format == OUTPUT_JSON or str(out_dir) == STDOUT
        err = _console(stderr=True)
        return cls(out=err if json_stdout else _console(stderr=False), err=err,
                   quiet=quiet, verbose=verbose and not quiet, json_stdout=json_stdout)

    @property
    def interactive(self) -> bool:
        """A person is watching stderr: draw a live display instead of periodic lines."""
        return self.err.is_terminal and not self.err.is_dumb_terminal

    def note(self, text: str, style: str = "dim") -> None:
        if not self.quiet:
            self.err.print(Text(safe(text), style=style), soft_wrap=True)

    def line(self, text: str) -> None:
        """A plain line on the summary stream (paths: never wrapped, never styled)."""
        if not self.quiet:
            self.out.print(Text(safe(text)), soft_wrap=True)


def safe(value) -> str:
    """Text from AWS or a template, made harmless for a terminal: control characters
    (an ESC starting a colour or cursor sequence) are shown as escapes, not obeyed."""
    text = str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1]
                   for ch in text if unicodedata.category(ch) != "Cs")
