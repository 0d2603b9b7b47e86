"""`mlwarden iac`: judge CloudFormation templates, Terraform plans and SageMaker pipeline
definitions before release, with our policies and (when installed) checkov."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import click

from .base import (EXIT_INPUT, _eval_opts, _load_previous, _run_options, evaluation_options, handles_input_errors,
                   main, no_redact_option, output_options)
from ..errors import InputError


def _parameters(values: tuple[str, ...]) -> dict:
    out = {}
    for v in values:
        if "=" not in v:
            raise InputError(f"--parameter: {v!r} must look like Name=value")
        k, val = v.split("=", 1)
        out[k.strip()] = val
    return out


@main.command("iac")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--checkov/--no-checkov", "checkov", default=None,
              help="Run checkov beside our policies (default: when installed, noted in the output).")
@click.option("--pipeline", "pipelines", multiple=True, metavar="MODULE:ATTR",
              help="A SageMaker SDK Pipeline object to scan (needs the `sagemaker` extra). Repeatable.")
@click.option("--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="CloudFormation parameter value, over the template's default. Repeatable.")
@click.option("--skip-unrecognised", is_flag=True,
              help="Skip (and list) named files that are not a template, plan or pipeline definition, "
                   "instead of failing on them: for hooks that pass every *.json/*.yml.")
@click.option("--account", default="", help="Target account id (resolves AWS::AccountId).")
@click.option("--region", default="", help="Target region (resolves AWS::Region).")
@click.option("--inventory", "inventory_file", type=click.Path(path_type=Path),
              help="A saved inventory.json of the target account: resources the templates reference "
                   "by ARN or id (subnets, existing KMS keys, roles) are judged as they are there.")
@evaluation_options
@output_options
@no_redact_option()
@handles_input_errors
def iac(paths, checkov, pipelines, parameters, skip_unrecognised, account, region, inventory_file, policy_dirs, settings_file, waivers_file,
        engine, opa_url, workers, out_dir, formats, fail_on, previous, allow_gaps, output_format, quiet, verbose,
        no_redact):
    """Scan CloudFormation (YAML/JSON, SAM, CDK output), Terraform plan JSON
    (`terraform show -json`) and SageMaker pipeline definitions before release.

    Exit code 1 when a FAIL or ERROR at or above --fail-on remains, for CI gates; 3
    when values unknown before deployment leave findings at or above it NOT_ASSESSED
    (never PASS), unless --allow-gaps; 2 when a file could not be read (the other files
    are still judged and reported).
    """
    from .. import run as run_mod
    from ..api import load_everything
    from ..iac.scan import CHECKOV_AUTO, CHECKOV_OFF, CHECKOV_ON, IacOptions, scan_iac
    from ..output_dir import expand

    if importlib.util.find_spec("cfnlint") is None:   # the optional part [iac]; read lazily, so ask first
        raise InputError("mlwarden iac needs cfn-lint to read templates: pip install 'mlwarden[iac]'")

    options = _run_options(out_dir, formats, fail_on, allow_gaps, output_format, quiet, verbose)
    opts = _eval_opts(policy_dirs, settings_file, waivers_file, engine, opa_url, workers)
    loaded = load_everything(opts)
    prev = _load_previous(previous)
    if inventory_file is not None and inventory_file.resolve() == (expand(out_dir) / "inventory.json").resolve():
        raise InputError(f"--inventory: {inventory_file} is in --out {out_dir}, where this scan writes "
                         "its own inventory.json; choose another --out")
    mode = CHECKOV_AUTO if checkov is None else (CHECKOV_ON if checkov else CHECKOV_OFF)
    with run_mod.start(options, previous=prev) as run:
        run.progress.phase("judging templates", f"{len(paths)} path(s)")
        result = scan_iac(IacOptions(paths=tuple(paths), parameters=_parameters(parameters), account=account,
                                     region=region, checkov=mode, pipelines=tuple(pipelines),
                                     inventory=inventory_file, redact=not no_redact,
                                     skip_unrecognised=skip_unrecognised),
                          opts, loaded_policies=loaded)
        files = result.loaded.files
        run.term.note(f"Scanned {len(files)} file(s), {len(result.inventory.resources)} resource(s).", style="")
        for f in result.loaded.skipped:
            run.term.note(f"  skipped (not a template, plan or pipeline definition): {f}")
        ck = result.checkov
        if ck["status"] == "ran":
            run.term.note(f"checkov {ck['version']}: {ck['results']} result(s) merged ({ck['seconds']} s).")
        elif ck["status"] == "not installed":
            run.term.note("checkov: not installed, only mlwarden policies ran "
                          "(scripts/bootstrap.sh checkov to add it).")
        code = run.finish(result.findings, inventory=result.inventory,
                          scope=f"{len(files)} file(s)")
    # The other files were judged and reported; the bad ones are input errors all the same.
    for _file, message in result.loaded.errors:
        click.echo(f"mlwarden: error: {message}", err=True)
    sys.exit(EXIT_INPUT if result.loaded.errors else code)
