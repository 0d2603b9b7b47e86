"""The `mlwarden` command: a thin click layer over `mlwarden.api`.

`main` and what every command shares are in `scanner/commands/base.py`; each command
(or group) is a module of `scanner/commands/`, attached to `main` when `load_all()`
imports it. This module only assembles them: it is the console script's entry point
(`mlwarden.cli:main`), and nothing imports from it but callers of the command.
Exit codes: `scanner/gate.py` and `scanner/commands/base.py`.
"""
from __future__ import annotations

from . import commands
from .commands.base import (EXIT_FAILED, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK,
                            Severity, handles_input_errors, main)

__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_INPUT", "EXIT_INCOMPLETE", "EXIT_INTERNAL", "EXIT_INTERRUPTED",
           "main", "handles_input_errors", "Severity"]

commands.load_all()

if __name__ == "__main__":
    main()
