"""The core commands: `scan` (collect, evaluate, report), `evaluate` (a saved
inventory, offline) and `demo` (the same on a local AWS stand-in)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import (FAIL_ON_CHOICES, _aws_target, _eval_opts, _load_previous, _preflight, _run_options, _split,
                   _types, aws_options, evaluation_options, handles_input_errors, main, no_redact_option,
                   output_options, terminal_options)


@main.command()
@aws_options
@evaluation_options
@output_options
@no_redact_option()
@handles_input_errors
def scan(profile, regions, endpoint_url, types, accounts, organization, role_name, policy_dirs, settings_file, waivers_file, engine,
         opa_url, workers, out_dir, formats, fail_on, previous, allow_gaps, output_format, quiet, verbose,
         no_redact):
    """Inventory the account, evaluate the policies and write reports."""
    from .. import run as run_mod
    from ..pipeline import live_source, load_everything, run_scan

    options = _run_options(out_dir, formats, fail_on, allow_gaps, output_format, quiet, verbose)
    opts = _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers)
    loaded = load_everything(opts)   # bad input fails before any AWS call
    prev = _load_previous(previous)
    wanted_types = _types(types)
    aws, choice = _aws_target(profile, endpoint_url, regions)
    with run_mod.start(options, previous=prev) as run:
        choice = _preflight(run, aws, choice)
        source = live_source(aws, list(choice.regions), types=wanted_types,
                             progress=run.progress.collected, accounts=_split(accounts),
                             organization=organization, role_name=role_name,
                             redact=not no_redact, settings=loaded[1])
        result = run_scan(source, opts, loaded=loaded, before_evaluate=lambda inv: run.progress.phase(
            "evaluating", f"{len(inv.resources)} resources"))
        code = run.finish(result.findings, inventory=result.inventory, scope=choice.note())
    sys.exit(code)


@main.command("evaluate")
@click.argument("inventory_file", type=click.Path(path_type=Path))
@evaluation_options
@output_options
@handles_input_errors
def evaluate_cmd(inventory_file, policy_dirs, settings_file, waivers_file, engine, opa_url, workers,
                 out_dir, formats, fail_on, previous, allow_gaps, output_format, quiet, verbose):
    """Re-evaluate a saved inventory.json offline."""
    from .. import run as run_mod
    from ..pipeline import SavedInventory, gather, judge, load_everything

    options = _run_options(out_dir, formats, fail_on, allow_gaps, output_format, quiet, verbose)
    opts = _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers)
    loaded = load_everything(opts)
    prev = _load_previous(previous)
    inv = gather(SavedInventory(path=inventory_file))   # a bad file fails before --out is touched
    with run_mod.start(options, previous=prev) as run:
        run.progress.phase("evaluating", f"{len(inv.resources)} resources from {inventory_file}")
        code = run.finish(judge(inv, opts, loaded=loaded))
    sys.exit(code)


@main.command()
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out/demo"),
              show_default=True, help="Output directory.")
@click.option("--format", "formats", default="json,html,sarif,junit,csv,asff", show_default=True,
              help="Comma-separated report formats.")
@click.option("--engine", type=click.Choice(["wasm", "opa"]), default="wasm", show_default=True)
@no_redact_option()
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="none", show_default=True,
              help="Gate the demo like a scan (the demo estate fails on purpose).")
@terminal_options
@handles_input_errors
def demo(out_dir, formats, engine, no_redact, fail_on, allow_gaps, output_format, quiet, verbose):
    """Scan a demo estate on a local moto server, write the reports, stop the server."""
    from .. import run as run_mod
    from ..demo.run import run_demo
    from ..demo.server import require_moto

    require_moto()   # before --out is touched
    options = _run_options(out_dir, formats, fail_on, allow_gaps, output_format, quiet, verbose)
    with run_mod.start(options) as run:
        run.term.note("Starting a local AWS stand-in (moto) and seeding the demo estate…")
        doc, inv = run_demo(None, engine=engine, progress=run.progress.collected, phase=run.progress.phase,
                            redact=not no_redact)
        code = run.finish(doc, inventory=inv)
    sys.exit(code)
