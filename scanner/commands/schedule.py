"""`mlwarden schedule`: install, inspect and remove the in-account audit."""
from __future__ import annotations

import json

import click

from ..aws.session import AwsContext, AwsOptions
from .base import handles_input_errors, main


def _names(stack):
    from ..audit.install import StackNames
    return StackNames(stack=stack)


def _common(fn):
    for opt in reversed([
        click.option("--profile", help="AWS profile."),
        click.option("--region", default="us-east-1", show_default=True, help="Region of the audit stack."),
        click.option("--endpoint-url", help="AWS-compatible endpoint (moto, LocalStack)."),
        click.option("--stack", default="mlwarden-audit", show_default=True,
                     help="Name of the stack (function, role and rules are named after it)."),
    ]):
        fn = opt(fn)
    return fn


@main.group()
def schedule():
    """Scheduled and event-driven audits in the account (EventBridge → Lambda)."""


@schedule.command()
@_common
@click.option("--schedule", "expression", default="rate(1 day)", show_default=True,
              help="EventBridge schedule expression.")
@click.option("--bucket", required=True, help="Bucket for the reports (objects are written with SSE-KMS).")
@click.option("--kms-key", required=True, help="KMS key (ARN or id) for the reports.")
@click.option("--events/--no-events", default=False,
              help="Also scan on CloudTrail API calls (CreateEndpoint, UpdateModelPackage, …).")
@click.option("--topic", help="SNS topic ARN for new critical/high failures.")
@click.option("--regions", default=None, help="Regions a scheduled scan covers (default: --region).")
@click.option("--securityhub", is_flag=True, help="Import findings into Security Hub.")
@click.option("--split-by-type", is_flag=True,
              help="Always one invocation per region and group of resource types, aggregated once.")
@click.option("--split-threshold", type=click.IntRange(min=0), default=1000, show_default=True,
              help="Split by type when a scheduled scan counts this many model packages, training jobs, "
                   "endpoints and models (0: only with --split-by-type).")
@handles_input_errors
def install(profile, region, endpoint_url, stack, expression, bucket, kms_key, events, topic, regions,
            securityhub, split_by_type, split_threshold):
    """Create or update the audit function, its role, rules and permissions."""
    from ..audit.config import AuditConfig
    from ..audit.install import install as do_install
    cfg = AuditConfig(bucket=bucket, kms_key=kms_key, topic_arn=topic, securityhub=securityhub,
                      split_by_type=split_by_type, split_threshold=split_threshold,
                      regions=tuple(r.strip() for r in (regions or region).split(",") if r.strip()),
                      endpoint_url=None)
    aws = AwsContext(options=AwsOptions(profile=profile, endpoint_url=endpoint_url, read_only=False))
    res = do_install(aws, region, cfg, schedule=expression, events=events, names=_names(stack))
    for change in res.changes:
        click.echo(change)
    click.echo(f"function {res.function_arn}")
    click.echo(f"package  {res.package_zipped / 1e6:.1f} MB zipped, {res.package_unzipped / 1e6:.1f} MB unzipped")


@schedule.command()
@_common
@handles_input_errors
def status(profile, region, endpoint_url, stack):
    """Show what is installed and the last run."""
    from ..audit.install import status as do_status
    from ..permissions import scan_options
    aws = AwsContext(options=scan_options(profile=profile, endpoint_url=endpoint_url))
    click.echo(json.dumps(do_status(aws, region, _names(stack)), indent=2, default=str))


@schedule.command()
@_common
@handles_input_errors
def remove(profile, region, endpoint_url, stack):
    """Remove exactly what install created."""
    from ..audit.install import remove as do_remove
    aws = AwsContext(options=AwsOptions(profile=profile, endpoint_url=endpoint_url, read_only=False))
    changes = do_remove(aws, region, _names(stack))
    for change in changes or ["nothing to remove"]:
        click.echo(change)


@schedule.command()
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="yaml", show_default=True)
def template(fmt):
    """Print a CloudFormation template deploying the same stack (with the organisation state machine)."""
    from ..audit.template import template as build
    doc = build()
    if fmt == "json":
        click.echo(json.dumps(doc, indent=2))
    else:
        import yaml
        click.echo(yaml.safe_dump(doc, sort_keys=False))


@schedule.command("package")
@click.option("--out", "out_file", type=click.Path(), default="mlwarden-lambda.zip", show_default=True)
def package_cmd(out_file):
    """Build the Lambda deployment package (for the CloudFormation template's CodeBucket)."""
    from ..audit.package import build_package
    pkg = build_package()
    pkg.check_limits()
    with open(out_file, "wb") as fh:
        fh.write(pkg.data)
    click.echo(f"{out_file}: {pkg.zipped_size / 1e6:.1f} MB zipped, {pkg.unzipped_size / 1e6:.1f} MB unzipped, "
               f"{pkg.files} files")
