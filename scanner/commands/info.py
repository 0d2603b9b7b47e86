"""What the scanner needs and offers: `permissions` (the IAM policy, derived from the
declarations), `formats` (the report formats) and `settings show`."""
from __future__ import annotations

import json
from pathlib import Path

import click

from .base import handles_input_errors, main


@main.command()
@click.option("--remediation", is_flag=True, help="Print what the remediation runbooks need instead.")
@click.option("--role-name", help="Add what an organisation scan through this role needs "
                                  "(organizations:ListAccounts, sts:AssumeRole on that role only).")
def permissions(remediation, role_name):
    """Print the IAM policy the scanner needs, derived from the collectors' declarations."""
    from ..permissions import scanner_policy, remediation_policy
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
    from .. import settings as settings_mod
    click.echo(yaml.safe_dump(settings_mod.load(settings_file), sort_keys=False))
