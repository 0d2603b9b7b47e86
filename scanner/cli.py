"""The `mlwarden` command: a thin click layer over `mlwarden.api`.

Exit codes: 0 nothing at or above --fail-on failed; 1 something did; 2 usage or
input error (one line naming the file, line or option).
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click
from botocore.exceptions import NoCredentialsError, PartialCredentialsError, ProfileNotFound

from . import __version__
from .aws.session import AwsOptions
from .errors import InputError
from .model import Severity, Status
from .usage_errors import OneLineUsageGroup

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


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
                     show_default=True, help="Output directory."),
        click.option("--format", "formats", default="json,html", show_default=True,
                     help="Comma-separated report formats (see `mlwarden formats`)."),
        click.option("--fail-on", type=click.Choice([s.value for s in Severity]), default="high",
                     show_default=True,
                     help="Exit 1 when a FAIL or ERROR at or above this severity remains."),
        click.option("--previous", type=click.Path(path_type=Path),
                     help="An earlier findings.json, for the 'changes since' view."),
    ]):
        fn = opt(fn)
    return fn


def aws_options(fn):
    for opt in reversed([
        click.option("--profile", help="AWS profile."),
        click.option("--regions", default="us-east-1", show_default=True,
                     help="Comma-separated regions to scan."),
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
    from .api import EvalOptions
    return EvalOptions(policy_dirs=tuple(policy_dirs), settings_file=settings_file,
                       waivers_file=waivers_file, engine=engine, opa_url=opa_url, workers=workers)


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class Progress:
    """A one-line progress display on stderr while collecting (only on a terminal)."""

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.enabled:
            click.echo(f"\r  collecting {done}/{total}  {label[:60]:<60}", err=True, nl=False)

    def close(self) -> None:
        if self.enabled:
            click.echo("\r" + " " * 80 + "\r", err=True, nl=False)


@click.group(cls=OneLineUsageGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mlwarden")
def main():
    """mlwarden: compliance scanner for ML estates on AWS (SageMaker, S3, IAM, VPC, KMS)."""


@main.command()
@aws_options
@evaluation_options
@output_options
@click.option("--no-redact", is_flag=True,
              help="Keep environment variables, hyperparameters, pipeline parameters and lifecycle "
                   "scripts in plaintext. Local debugging only: the reports say it was used.")
@handles_input_errors
def scan(profile, regions, endpoint_url, types, accounts, organization, role_name, policy_dirs, settings_file, waivers_file, engine,
         opa_url, workers, out_dir, formats, fail_on, previous, no_redact):
    """Inventory the account, evaluate the policies and write reports."""
    from .api import collect_inventory, evaluate_inventory, load_everything
    from mlwarden.reports.write import parse_formats

    opts = _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers)
    fmt = parse_formats(formats)
    loaded = load_everything(opts)   # bad input fails before any AWS call
    prev = _load_previous(previous)
    progress = Progress(sys.stderr.isatty())
    try:
        inv = collect_inventory(AwsOptions(profile=profile, endpoint_url=endpoint_url),
                                _split(regions), types=_split(types) or None, progress=progress,
                                accounts=_split(accounts), organization=organization,
                                role_name=role_name, redact=not no_redact, settings=loaded[1])
    finally:
        progress.close()
    out_dir.mkdir(parents=True, exist_ok=True)
    inv.save(out_dir / "inventory.json")
    doc = evaluate_inventory(inv, opts, loaded=loaded)
    sys.exit(_finish(doc, fmt, out_dir, Severity(fail_on), prev, inv.to_dict(),
                     inventory_file=out_dir / "inventory.json"))


@main.command()
@aws_options
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=Path("out/inventory.json"),
              show_default=True, help="Where to write the inventory.")
@click.option("--no-redact", is_flag=True,
              help="Keep environment variables, hyperparameters, pipeline parameters and lifecycle "
                   "scripts in plaintext. Local debugging only: the reports say it was used.")
@handles_input_errors
def inventory(profile, regions, endpoint_url, types, accounts, organization, role_name, out_file, no_redact):
    """Collect the inventory only (no evaluation)."""
    from .api import collect_inventory
    progress = Progress(sys.stderr.isatty())
    try:
        inv = collect_inventory(AwsOptions(profile=profile, endpoint_url=endpoint_url),
                                _split(regions), types=_split(types) or None, progress=progress,
                                accounts=_split(accounts), organization=organization,
                                role_name=role_name, redact=not no_redact)
    finally:
        progress.close()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    inv.save(out_file)
    click.echo(f"{len(inv.resources)} resources, {len(inv.gaps)} coverage gaps → {out_file}")


@main.command("evaluate")
@click.argument("inventory_file", type=click.Path(path_type=Path))
@evaluation_options
@output_options
@handles_input_errors
def evaluate_cmd(inventory_file, policy_dirs, settings_file, waivers_file, engine, opa_url, workers,
                 out_dir, formats, fail_on, previous):
    """Re-evaluate a saved inventory.json offline."""
    from .api import evaluate_inventory, load_everything
    from .inventory import Inventory
    from mlwarden.reports.write import parse_formats

    opts = _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers)
    fmt = parse_formats(formats)
    loaded = load_everything(opts)
    prev = _load_previous(previous)
    inv = Inventory.load(inventory_file)
    doc = evaluate_inventory(inv, opts, loaded=loaded)
    sys.exit(_finish(doc, fmt, out_dir, Severity(fail_on), prev, inv.to_dict()))


@main.command()
@click.argument("findings_file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Output directory.")
@click.option("--format", "formats", default="html", show_default=True,
              help="Comma-separated report formats.")
@click.option("--previous", type=click.Path(path_type=Path), help="An earlier findings.json to compare with.")
@handles_input_errors
def report(findings_file, out_dir, formats, previous):
    """Re-render a saved findings.json in other formats."""
    from .evaluate import FindingsDocument
    from mlwarden.reports.base import RenderContext
    from mlwarden.reports.write import parse_formats, write_reports

    fmt = parse_formats(formats)
    doc = FindingsDocument.load(findings_file)
    prev = _load_previous(previous)
    if findings_file.resolve() == (out_dir / "findings.json").resolve():
        _fail(f"--out: {out_dir} holds {findings_file.name}; choose another directory so it is not overwritten")
    written = write_reports(doc, fmt, RenderContext(out_dir=out_dir, previous=prev))
    for name, path in written.items():
        click.echo(f"{name:9} {path}")


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/demo"),
              show_default=True, help="Output directory.")
@click.option("--format", "formats", default="json,html,sarif,junit,csv,asff", show_default=True,
              help="Comma-separated report formats.")
@click.option("--engine", type=click.Choice(["wasm", "opa"]), default="wasm", show_default=True)
@click.option("--no-redact", is_flag=True,
              help="Keep environment variables, hyperparameters, pipeline parameters and lifecycle "
                   "scripts in plaintext. Local debugging only: the reports say it was used.")
@handles_input_errors
def demo(out_dir, formats, engine, no_redact):
    """Scan a demo estate on a local moto server, write the reports, stop the server."""
    from .demo.run import run_demo
    from mlwarden.reports.write import parse_formats
    fmt = parse_formats(formats)
    click.echo("Starting a local AWS stand-in (moto) and seeding the demo estate…", err=True)
    doc, inv = run_demo(out_dir, engine=engine, redact=not no_redact)
    code = _finish(doc, fmt, out_dir, Severity.CRITICAL, None, inv.to_dict(), exit_on_fail=False,
                   inventory_file=out_dir / "inventory.json")
    sys.exit(code)


@main.command()
@click.option("--remediation", is_flag=True, help="Print what the remediation runbooks need instead.")
@click.option("--role-name", help="Add what an organisation scan through this role needs "
                                  "(organizations:ListAccounts, sts:AssumeRole on that role only).")
def permissions(remediation, role_name):
    """Print the IAM policy the scanner needs, derived from the collectors' declarations."""
    from .permissions import scanner_policy, remediation_policy
    doc = remediation_policy() if remediation else scanner_policy(role_name)
    click.echo(json.dumps(doc, indent=2))


@main.command()
def formats():
    """List the report formats."""
    from mlwarden.reports.base import registry
    for name, r in sorted(registry().items()):
        click.echo(f"{name:10} {r.filename:22} {r.description}")


@main.group("settings")
def settings_group():
    """Organisation settings."""


@settings_group.command("show")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path),
              help="Settings YAML merged over the shipped defaults.")
@handles_input_errors
def settings_show(settings_file):
    """Print the effective settings (defaults merged with --settings)."""
    import yaml
    from . import settings as settings_mod
    click.echo(yaml.safe_dump(settings_mod.load(settings_file), sort_keys=False))


# --- helpers ----------------------------------------------------------------------

def _load_previous(previous: Path | None):
    if previous is None:
        return None
    from .evaluate import FindingsDocument
    return FindingsDocument.load(previous)


def _finish(doc, fmt, out_dir: Path, fail_on: Severity, previous, inventory, *,
            exit_on_fail: bool = True, inventory_file: Path | None = None) -> int:
    from mlwarden.reports.base import RenderContext
    from mlwarden.reports.write import write_reports
    written = write_reports(doc, fmt, RenderContext(out_dir=out_dir, previous=previous, inventory=inventory))
    print_summary(doc)
    if inventory_file is not None:  # written by this run (scan, demo), listed with the reports
        written = {"inventory": inventory_file, **written}
    for name, path in written.items():
        click.echo(f"  {name:9} {path}")
    failed = doc.failed_at_or_above(fail_on)
    if failed and exit_on_fail:
        click.echo(f"{len(failed)} finding(s) at or above '{fail_on.value}' failed.", err=True)
        return EXIT_FAILED
    return EXIT_OK


def print_summary(doc) -> None:
    from collections import Counter
    counts: dict[str, Counter] = {}
    for f in doc.findings:
        counts.setdefault(f.category, Counter())[f.status] += 1
    statuses = [Status.PASS, Status.FAIL, Status.ERROR, Status.WAIVED, Status.NOT_ASSESSED]
    header = f"{'category':22}" + "".join(f"{s.value:>14}" for s in statuses)
    click.echo(header)
    click.echo("-" * len(header))
    for cat in sorted(counts):
        click.echo(f"{cat:22}" + "".join(f"{counts[cat][s]:>14}" for s in statuses))
    total = Counter(f.status for f in doc.findings)
    click.echo("-" * len(header))
    click.echo(f"{'total':22}" + "".join(f"{total[s]:>14}" for s in statuses))
    if doc.coverage:
        click.echo(f"Coverage incomplete: {len(doc.coverage)} gap(s) — see 'coverage' in findings.json.")
        for g in doc.coverage[:5]:
            click.echo(f"  NOT ASSESSED {g.resource_type} {g.region} {g.resource_id}: {g.operation} {g.error_code}")


# Command groups that live in their own modules (policies, remediate, schedule, iac…).
from . import commands as _commands  # noqa: E402

_commands.load_all()

if __name__ == "__main__":
    main()
