"""`mlwarden remediate` (plan, and apply only when asked) and `mlwarden sign`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..aws.session import AwsContext, AwsOptions
from .base import EXIT_FAILED, EXIT_OK, handles_input_errors, main
from ..errors import InputError

DEFAULT_AUDIT_LOG = Path("out/remediation-audit.jsonl")


def _print_plan(n: int, outcome, allow_flags: dict) -> None:
    r = outcome.resource
    where = f"{r.get('type')} {r.get('id')} ({r.get('region')})"
    click.echo(f"[{n}] {outcome.runbook or '-'}  {where}")
    click.echo(f"    fixes: {', '.join(sorted({f.policy_id for f in outcome.findings}))}")
    if outcome.error:
        click.echo(f"    NO PLAN: {outcome.error}")
        return
    plan = outcome.plan
    if plan.compliant:
        click.echo("    nothing for this runbook to change: the resource already is as it would make it")
        for step in plan.steps:
            click.echo(f"    · {step}")
        return
    mode = "plan only (carried out by a person)" if not plan.automatic else (
        f"applies only with --{plan.requires_flag}" if plan.requires_flag else "automatic")
    click.echo(f"    from state: {plan.origin_state or '-'}   {mode}   {plan.fingerprint[:19]}…")
    for i, call in enumerate(plan.calls, 1):
        note = f"  — {call.note}" if call.note else ""
        click.echo(f"    {i}. {call.service}:{call.operation}{note}")
        click.echo(f"       {json.dumps(call.params, default=str, sort_keys=True)}")
    for step in plan.steps:
        click.echo(f"    · {step}")
    if plan.requires_flag and not allow_flags.get(plan.requires_flag):
        click.echo(f"    (skipped by --apply unless --{plan.requires_flag} is given)")


def _engine_of(doc) -> str:
    """The engine that judged the findings, so the re-scan judges the same way."""
    from ..api import ENGINES
    name = str(doc.scan.get("engine") or "")
    return name if name in ENGINES else ENGINES[0]


@main.command()
@click.argument("findings_file", type=click.Path(path_type=Path))
@click.option("--policy", "policies", multiple=True, help="Only findings of this policy id (repeatable).")
@click.option("--resource", "resources", multiple=True, help="Only this resource ARN or id (repeatable).")
@click.option("--apply", "do_apply", is_flag=True, help="Carry out the plans (default: print them, change nothing).")
@click.option("--yes", is_flag=True, help="With --apply: do not ask for confirmation.")
@click.option("--allow-iam", is_flag=True, help="Allow runbooks that change IAM (role-least-privilege).")
@click.option("--audit-log", type=click.Path(path_type=Path), default=DEFAULT_AUDIT_LOG, show_default=True,
              help="Append-only JSON-lines log of every mutating call.")
@click.option("--settings", "settings_file", type=click.Path(path_type=Path),
              help="Settings YAML merged over the shipped defaults (see `remediation:`).")
@click.option("--policies", "policy_dirs", multiple=True, type=click.Path(path_type=Path),
              help="Extra policy directory for the re-scan that verifies a fix.")
@click.option("--engine", type=click.Choice(["wasm", "opa"]),
              help="Policy engine for the re-scan after --apply (default: the one that made FINDINGS_FILE).")
@click.option("--opa-url", help="OPA server URL for --engine opa (default: a local `opa` binary).")
@click.option("--profile", help="AWS profile.")
@click.option("--endpoint-url", help="AWS-compatible endpoint for every service (moto, LocalStack).")
@click.option("--json", "as_json", is_flag=True, help="Print the plans (and results) as JSON.")
@handles_input_errors
def remediate(findings_file, policies, resources, do_apply, yes, allow_iam, audit_log, settings_file,
              policy_dirs, engine, opa_url, profile, endpoint_url, as_json):
    """Plan fixes for the FAIL findings of FINDINGS_FILE; apply them only with --apply.

    Planning only reads (the scan's read-only guard stays on). Every change --apply
    makes is written to the audit log, and each fixed resource is scanned again."""
    from mlwarden.remediations.base import AuditLog, Wait
    from mlwarden.remediations.engine import apply_plans, make_plans, select, summary
    from .. import settings as settings_mod
    from ..findings import FindingsDocument

    from ..permissions import scan_options
    from ..policy.library import load_policies

    settings = settings_mod.load(settings_file)
    load_policies(policy_dirs)      # a bad --policies fails now, not in the re-scan after changes
    if do_apply:
        AuditLog(audit_log).check_writable()
    doc = FindingsDocument.load(findings_file)
    chosen = select(doc.findings, policies=policies, resources=resources)
    if not chosen:
        click.echo("No FAIL findings match: nothing to remediate.")
        sys.exit(EXIT_OK)
    read_only = AwsContext(options=scan_options(profile=profile, endpoint_url=endpoint_url))
    rem = settings["remediation"]
    wait = Wait(poll_seconds=float(rem["poll_seconds"]), bake_seconds=float(rem["endpoint_bake_seconds"]))
    outcomes = make_plans(chosen, read_only, settings, wait=wait)
    actionable = [o.plan for o in outcomes if o.plan is not None and o.plan.automatic and not o.plan.compliant
                  and (not o.plan.requires_flag or (o.plan.requires_flag == "allow-iam" and allow_iam))]
    if as_json and not do_apply:
        click.echo(json.dumps({"plans": [o.to_dict() for o in outcomes]}, indent=1, default=str))
        sys.exit(EXIT_OK)
    if not as_json:   # with --apply --json, stdout is the results document alone
        for n, outcome in enumerate(outcomes, 1):
            _print_plan(n, outcome, {"allow-iam": allow_iam})
    # A finding no runbook fixes is for a person; one whose runbook could not plan is a problem.
    no_runbook = [o for o in outcomes if o.error and not o.runbook]
    errors = [o for o in outcomes if o.error and o.runbook]
    if not do_apply:
        click.echo(f"\nDry run: nothing was changed. {len(actionable)} plan(s) can be applied with --apply"
                   + (f"; {len(errors)} could not be planned" if errors else "")
                   + (f"; {len(no_runbook)} finding group(s) have no runbook" if no_runbook else "") + ".")
        sys.exit(EXIT_OK)
    if not actionable:
        click.echo(json.dumps({"results": []}) if as_json else "\nNothing to apply.")
        sys.exit(EXIT_FAILED if errors else EXIT_OK)
    if not yes:
        click.confirm(f"\nApply {len(actionable)} plan(s)? Every change is logged to {audit_log}",
                      abort=True)
    writer = AwsContext(options=AwsOptions(profile=profile, endpoint_url=endpoint_url, read_only=False))
    results = apply_plans(actionable, writer, AuditLog(audit_log), settings, scan_aws=read_only,
                          flags=frozenset({"allow-iam"} if allow_iam else set()),
                          wait=wait, policy_dirs=tuple(policy_dirs),
                          engine=engine or _engine_of(doc), opa_url=opa_url)
    if as_json:
        click.echo(json.dumps({"results": [r.to_dict() for r in results], "summary": summary(results)},
                              indent=1, default=str))
    else:
        click.echo("")
        for r in results:
            v = r.verification or {}
            click.echo(f"{r.status:18} {r.runbook:28} {r.resource.get('id')}  "
                       f"verify: {v.get('status', '-')}  {r.message or v.get('message', '')}")
        click.echo(f"Applied: {summary(results)}")
        click.echo(f"Audit log: {audit_log}")
    bad = [r for r in results if r.status not in ("applied", "already-compliant")
           or (r.verification or {}).get("status") == "FAIL"]
    sys.exit(EXIT_FAILED if bad or errors else EXIT_OK)


@main.command()
@click.argument("model_package_arn")
@click.option("--key", required=True, help="KMS key (ARN, id or alias) of spec ECC_NIST_P256 that signs.")
@click.option("--audit-log", type=click.Path(path_type=Path), default=DEFAULT_AUDIT_LOG, show_default=True,
              help="Append-only JSON-lines log of every mutating call.")
@click.option("--profile", help="AWS profile.")
@click.option("--endpoint-url", help="AWS-compatible endpoint for every service (moto, LocalStack).")
@handles_input_errors
def sign(model_package_arn, key, audit_log, profile, endpoint_url):
    """Sign a model package: SHA-256 of its artifact in S3, signed with a KMS key,
    recorded in its CustomerMetadataProperties (mlwarden:signature, …)."""
    from mlwarden.remediations.base import AuditLog, RemediationError
    from mlwarden.remediations.model_package_sign import sign_package
    from .. import settings as settings_mod
    from ..permissions import scan_options

    parts = model_package_arn.split(":")
    if len(parts) < 6 or parts[2] != "sagemaker" or not parts[5].startswith("model-package/"):
        raise InputError(f"MODEL_PACKAGE_ARN: {model_package_arn!r} is not a SageMaker model package ARN")
    try:
        result = sign_package(
            model_package_arn, key=key, settings=settings_mod.defaults(),
            reader=AwsContext(options=scan_options(profile=profile, endpoint_url=endpoint_url)),
            writer=AwsContext(options=AwsOptions(profile=profile, endpoint_url=endpoint_url, read_only=False)),
            audit=AuditLog(audit_log))
    except RemediationError as exc:
        raise InputError(str(exc)) from None
    click.echo(f"{result.status}: {model_package_arn}  {result.message}")
    click.echo(f"Audit log: {audit_log}")
