"""Usage errors (a bad option value, an unknown option or command, a missing
argument) as one line on stderr with exit code 2, like every other input error.

click prints the usage text, a hint and the error over several lines; scripts and
CI logs want the one line that names the option.
"""
from __future__ import annotations

import click


class OneLineUsageError(click.UsageError):
    def show(self, file=None) -> None:
        message = " ".join(self.format_message().split())
        click.echo(f"mlwarden: error: {message}", err=True)


class OneLineUsageGroup(click.Group):
    """A group whose subcommands' usage errors are one line."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            # A group called without a command shows its help: not an error line.
            if isinstance(exc, OneLineUsageError) or type(exc).__name__ == "NoArgsIsHelpError":
                raise
            raise OneLineUsageError(exc.format_message(), ctx=None) from None
