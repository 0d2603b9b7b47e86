"""What every `mlwarden` command shares: the `main` group (one-line errors, exit codes,
no traceback on the terminal), the option groups, and the helpers that turn options
into run, evaluation and AWS settings.

Exit codes (see `scanner/gate.py`): 0 nothing at or above --fail-on failed and everything
was read; 1 a FAIL or ERROR at or above --fail-on; 2 usage or input error (one line
naming the file, line or option); 3 the run was incomplete (coverage gaps, or
NOT_ASSESSED findings at or above --fail-on) and --allow-gaps was not given; 4 internal
error (one line and the path of a log holding the traceback); 130 interrupted (Ctrl-C).

Command modules (this package) import from here, never from `scanner/cli.py`, which only
assembles them.
"""
from __future__ import annotations

import datetime as dt
import errno
import functools
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

import click
from botocore.exceptions import NoCredentialsError, PartialCredentialsError, ProfileNotFound

from .. import __version__
from ..aws.session import AwsOptions
from ..errors import InputError
from ..gate import (EXIT_FAILED, EXIT_INCOMPLETE, EXIT_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK,
                   FAIL_ON_CHOICES)
from ..model import Severity
from ..usage_errors import OneLineUsageGroup


__all__ = ["EXIT_OK", "EXIT_FAILED", "EXIT_INPUT", "EXIT_INCOMPLETE", "EXIT_INTERNAL", "EXIT_INTERRUPTED",
           "FAIL_ON_CHOICES", "main", "handles_input_errors", "Severity"]


def _fail(message: str) -> None:
    click.echo(f"mlwarden: error: {message}", err=True)
    sys.exit(EXIT_INPUT)


def handles_input_errors(fn):
    """Turn InputError into one line on stderr and exit code 2."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            _fail(str(exc))
        except (NoCredentialsError, PartialCredentialsError) as exc:
            # The user's environment, not a bug: no traceback, exit code 2.
            _fail(f"AWS credentials: {exc} (use --profile, AWS_PROFILE or the AWS_* variables)")
        except ProfileNotFound as exc:
            _fail(f"--profile: {exc}")
    return wrapper


class _Main(OneLineUsageGroup):
    """Every command's last line of defence: Ctrl-C is exit 130, and an unexpected
    exception is a bug, reported in one line with the traceback in a log file (exit
    4), never a traceback on the terminal and never exit 1 (which means "failed")."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except InputError as exc:
            _fail(str(exc))
        except KeyboardInterrupt:
            from ..interrupt import MESSAGE
            click.echo(MESSAGE, err=True)
            sys.exit(EXIT_INTERRUPTED)
        except OSError as exc:
            if exc.errno == errno.EPIPE:   # `mlwarden … | head`: click ends quietly
                raise
            sys.exit(_internal_error(exc))
        except Exception as exc:  # noqa: BLE001 - the point: nothing escapes as a traceback
            sys.exit(_internal_error(exc))


def _internal_error(exc: BaseException) -> int:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    fd, log = tempfile.mkstemp(prefix=f"mlwarden-crash-{stamp}-", suffix=".log")
    with os.fdopen(fd, "w") as fh:
        fh.write(f"mlwarden {__version__}, python {sys.version.split()[0]}\n")
        fh.write(f"command: {' '.join(sys.argv)}\n\n")
        fh.write("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    click.echo(f"mlwarden: internal error: {type(exc).__name__}: {first} "
               f"(a bug in mlwarden; the traceback is in {log})", err=True)
    return EXIT_INTERNAL


# --- shared option groups ---------------------------------------------------------

def evaluation_options(fn):
    """Options every command that judges resources shares."""
    for opt in reversed([
        click.option("--policies", "policy_dirs", multiple=True,
                     type=click.Path(path_type=Path),
                     help="Extra policy directory (repeatable), evaluated beside the shipped policies."),
        click.option("--settings", "settings_file", type=click.Path(path_type=Path),
                     help="Settings YAML merged over the shipped defaults."),
        click.option("--waivers", "waivers_file", type=click.Path(path_type=Path),
                     help="Waivers YAML (policy_id, resource, reason, owner, expires)."),
        click.option("--engine", type=click.Choice(["wasm", "opa"]), default="wasm",
                     show_default=True,
                     help="Policy engine: OPA compiled to WebAssembly (in process), or an OPA binary/server."),
        click.option("--opa-url", help="OPA server URL for --engine opa (default: a local `opa` binary)."),
        click.option("--workers", type=click.IntRange(1, 64),
                     help="Evaluation worker processes (default: 1)."),
    ]):
        fn = opt(fn)
    return fn


def output_options(fn):
    for opt in reversed([
        click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"),
                     show_default=True,
                     help="Output directory, checked and locked before the run; may contain {timestamp} "
                          "for a folder per run. '-': the findings JSON on stdout, no files."),
        click.option("--format", "formats", default="json,html", show_default=True,
                     help="Comma-separated report formats (see `mlwarden formats`)."),
        click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="high",
                     show_default=True,
                     help="Exit 1 when a FAIL or ERROR at or above this severity remains; "
                          "'none' reports only (exit 0 unless the input is wrong)."),
        click.option("--previous", type=click.Path(path_type=Path),
                     help="An earlier findings.json, for the 'changes since' view."),
    ]):
        fn = opt(fn)
    return terminal_options(fn)


def no_redact_option(recorded_in: str = "the reports say"):
    """`--no-redact`, for every command that writes resource documents."""
    return click.option("--no-redact", is_flag=True,
                        help="Keep environment variables, hyperparameters, pipeline parameters and lifecycle "
                             f"scripts in plaintext. Local debugging only: {recorded_in} it was used.")


def terminal_options(fn):
    """The gate's tolerance and what the terminal shows (every judging command)."""
    for opt in reversed([
        click.option("--allow-gaps", is_flag=True,
                     help="Do not exit 3 when the run is incomplete (coverage gaps, or NOT_ASSESSED "
                          "findings at or above --fail-on); they are still reported."),
        click.option("--output-format", type=click.Choice(["text", "json"]), default="text",
                     show_default=True,
                     help="json: the findings document on stdout; summary and progress on stderr."),
        click.option("-q", "--quiet", is_flag=True, help="Print only the gate line."),
        click.option("-v", "--verbose", is_flag=True,
                     help="List every failing resource and coverage gap, and each collector as it ends."),
    ]):
        fn = opt(fn)
    return fn


def aws_options(fn):
    for opt in reversed([
        click.option("--profile", help="AWS profile."),
        click.option("--regions", default=None,
                     help="Comma-separated regions, or 'all' for the account's enabled regions "
                          "(default: the region of your AWS profile or AWS_REGION/AWS_DEFAULT_REGION)."),
        click.option("--endpoint-url", help="AWS-compatible endpoint for every service (moto, LocalStack)."),
        click.option("--types", help="Comma-separated resource types to collect (default: all)."),
        click.option("--accounts", help="Comma-separated member accounts to scan through --role-name."),
        click.option("--organization", is_flag=True,
                     help="Scan every active account of the AWS Organization through --role-name."),
        click.option("--role-name", help="Role assumed in each member account (with --accounts/--organization)."),
    ]):
        fn = opt(fn)
    return fn


def _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers):
    from ..api import EvalOptions
    return EvalOptions(policy_dirs=tuple(policy_dirs), settings_file=settings_file,
                       waivers_file=waivers_file, engine=engine, opa_url=opa_url, workers=workers)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _types(value: str | None) -> list[str] | None:
    """`--types`, checked against the collectors before any AWS call (a misspelt type
    must not cost a pre-flight call and a collection)."""
    from ..collectors.base import registry
    wanted = _split(value)
    unknown = sorted(set(wanted) - set(registry()))
    if unknown:
        raise InputError(f"--types: unknown resource type(s): {', '.join(unknown)} "
                         "(`mlwarden inventory --help`; types are CloudFormation names)")
    return wanted or None

@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mlwarden")
def main():
    """mlwarden: compliance scanner for ML estates on AWS (SageMaker, S3, IAM, VPC, KMS)."""

# --- helpers ----------------------------------------------------------------------

def _load_previous(previous: Path | None):
    if previous is None:
        return None
    from ..findings import FindingsDocument
    return FindingsDocument.load(previous)


def _run_options(out_dir, formats, fail_on, allow_gaps, output_format, quiet, verbose):
    from mlwarden.reports.write import parse_formats
    from ..run import RunOptions
    given = click.get_current_context().get_parameter_source("formats") == click.core.ParameterSource.COMMANDLINE
    return RunOptions(out=out_dir, formats=tuple(parse_formats(formats)), fail_on=fail_on,
                      allow_gaps=allow_gaps, output_format=output_format, quiet=quiet, verbose=verbose,
                      formats_given=given)


def _aws_target(profile, endpoint_url, regions):
    """Region names are input: checked (against botocore's partitions) before anything else."""
    from ..aws import regions as regions_mod
    from ..permissions import scan_options
    return scan_options(profile=profile, endpoint_url=endpoint_url), regions_mod.choose(regions, profile=profile)


def _preflight(run, aws, choice):
    return _preflight_for(run.term, run.progress, aws, choice)


def _preflight_for(term, progress, aws, choice):
    """Who we are and where we look, before the first collector runs (one line if not)."""
    from ..aws.preflight import check_identity, resolve_regions
    from ..aws.regions import FALLBACK_REGION, choose
    progress.phase("checking access")
    probe = choice.regions[0] if choice.regions else (choose(None, profile=aws.profile).regions or
                                                      (FALLBACK_REGION,))[0]
    who = check_identity(aws, probe)
    choice = resolve_regions(choice, aws, probe)
    term.note(f"Scanning as {who.arn or who.account} ({who.credentials}): {choice.note()}")
    return choice
