"""`mlwarden securityhub import`: send a findings.json to AWS Security Hub."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import handles_input_errors, main


@main.group("securityhub")
def securityhub_group():
    """AWS Security Hub."""


@securityhub_group.command("import")
@click.argument("findings_file", type=click.Path(path_type=Path))
@click.option("--region", required=True, help="Security Hub region to import into (the home region).")
@click.option("--profile", help="AWS profile.")
@click.option("--endpoint-url", help="AWS-compatible endpoint (moto, LocalStack).")
@handles_input_errors
def securityhub_import(findings_file, region, profile, endpoint_url):
    """Import FINDINGS_FILE into Security Hub (BatchImportFindings). Writes to the account.

    Finding ids are stable per policy and resource: importing the next scan updates
    the same Security Hub findings.
    """
    from ..aws.session import AwsContext, AwsOptions
    from ..findings import FindingsDocument
    from ..audit.securityhub import import_to_securityhub

    doc = FindingsDocument.load(findings_file)
    aws = AwsContext(options=AwsOptions(profile=profile, endpoint_url=endpoint_url, read_only=False))
    result = import_to_securityhub(doc, aws, region)
    click.echo(f"imported {result.imported} finding(s) into Security Hub in {region} "
               f"({result.batches} batch(es))")
    for f in result.failed[:20]:
        click.echo(f"  failed {f.get('Id')}: {f.get('ErrorCode')} {f.get('ErrorMessage')}", err=True)
    if result.failed:
        click.echo(f"{len(result.failed)} finding(s) were refused.", err=True)
        sys.exit(1)
