"""`mlwarden policies …`: list, show, test and lint the policy library.

A thin layer: loading is `mlwarden.policy.library`, the Rego unit-test runner is
`mlwarden.policy.testing`, the engine-fidelity lint is `mlwarden.policy.lint`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .base import EXIT_FAILED, EXIT_OK, handles_input_errors, main


@main.group("policies")
def policies_group():
    """The policy library: list, show, test and lint policies."""


_POLICY_DIRS = click.option(
    "--policies", "policy_dirs", multiple=True, type=click.Path(path_type=Path),
    help="Extra policy directory (repeatable), shown beside the shipped policies.")


def _metadata_dict(p) -> dict:
    m = p.metadata
    return {
        "id": m.id, "title": m.title, "severity": m.severity.value, "category": m.category,
        "resource_types": list(m.resource_types), "controls": {k: list(v) for k, v in m.controls.items()},
        "remediation": dict(m.remediation), "evidence": list(m.evidence),
        **({"pass_evidence": list(m.pass_evidence)} if m.pass_evidence else {}),
        "description": m.description, "package": p.package, "file": str(p.path),
    }


@policies_group.command("list")
@_POLICY_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handles_input_errors
def list_cmd(policy_dirs, as_json):
    """List every policy: id, severity, category, resource types, title."""
    from ..policy.library import load_policies
    ps = load_policies(policy_dirs)
    policies = sorted(ps.policies, key=lambda p: p.id)
    if as_json:
        click.echo(json.dumps([_metadata_dict(p) for p in policies], indent=2))
        return
    rows = [(p.id, p.metadata.severity.value, p.metadata.category,
             _short_types(p.metadata.resource_types), p.metadata.title) for p in policies]
    headers = ("ID", "SEVERITY", "CATEGORY", "TYPES", "TITLE")
    widths = [max([len(headers[i])] + [len(r[i]) for r in rows]) for i in range(4)]
    fmt = "  ".join(f"{{:{w}}}" for w in widths) + "  {}"
    click.echo(fmt.format(*headers))
    for r in rows:
        click.echo(fmt.format(*r))
    click.echo(f"{len(rows)} policies")


def _short_types(types: tuple[str, ...], keep: int = 2) -> str:
    """`SageMaker::Model, S3::Bucket +3`: the table stays readable; `show` has them all."""
    short = [t.split("::", 1)[1] for t in types]
    return ", ".join(short[:keep]) + (f" +{len(short) - keep}" if len(short) > keep else "")


@policies_group.command("show")
@click.argument("policy_id")
@_POLICY_DIRS
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the source) instead of text.")
@handles_input_errors
def show_cmd(policy_id, policy_dirs, as_json):
    """Show one policy: metadata, controls, description, file and Rego source."""
    from ..errors import InputError
    from ..policy.library import load_policies
    ps = load_policies(policy_dirs)
    by_id = {p.id.upper(): p for p in ps.policies}
    p = by_id.get(policy_id.upper())
    if p is None:
        known = ", ".join(sorted(by_id)[:8])
        raise InputError(f"POLICY_ID: no policy {policy_id!r} (see `mlwarden policies list`; e.g. {known})")
    d = _metadata_dict(p)
    if as_json:
        click.echo(json.dumps({**d, "source": p.source}, indent=2))
        return
    click.echo(f"{d['id']}  {d['title']}")
    click.echo(f"  severity:        {d['severity']}")
    click.echo(f"  category:        {d['category']}")
    click.echo(f"  resource types:  {', '.join(d['resource_types'])}")
    for framework, ids in d["controls"].items():
        click.echo(f"  control:         {framework}: {', '.join(ids)}")
    if d["remediation"].get("runbook"):
        click.echo(f"  runbook:         {d['remediation']['runbook']}")
    for n, step in enumerate(d["remediation"].get("steps") or [], 1):
        click.echo(f"  {'by hand:' if n == 1 else '':<17}{n}. {step}")
    if d["evidence"]:
        click.echo(f"  evidence:        {', '.join(d['evidence'])}")
    click.echo(f"  package:         {d['package']}")
    click.echo(f"  file:            {d['file']}")
    click.echo("")
    click.echo(d["description"])
    click.echo("")
    click.echo(p.source.rstrip())


@policies_group.command("docs")
@click.option("--write", "write_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the tables into this page, between its markers (docs/policies.md).")
@click.option("--check", "check_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Exit 1 when this page's tables differ from the shipped policies' METADATA.")
@handles_input_errors
def docs_cmd(write_path, check_path):
    """The tables of shipped policies (by category: id, title, severity, types, runbook,
    file), generated from METADATA: printed, written into a page, or checked."""
    from ..policy import docs_table
    from ..policy.library import load_policies
    ps = load_policies()
    if write_path is not None:
        changed = docs_table.write(_existing(write_path), ps)
        click.echo(f"{write_path}: {'updated' if changed else 'already up to date'} ({len(ps.policies)} policies)")
    elif check_path is not None:
        if not docs_table.check(_existing(check_path), ps):
            click.echo(f"{check_path}: the policy tables are out of date; run "
                       f"`mlwarden policies docs --write {check_path}`", err=True)
            sys.exit(1)
        click.echo(f"{check_path}: up to date ({len(ps.policies)} policies)")
    else:
        click.echo(docs_table.render(ps))


def _existing(path: Path) -> Path:
    from ..errors import InputError
    if not path.is_file():
        raise InputError(f"{path}: no such file (a page with the policy-table markers)")
    return path


@policies_group.command("test")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("-v", "--verbose", is_flag=True, help="List passing tests too.")
@handles_input_errors
def test_cmd(dirs, verbose):
    """Run the Rego unit tests (*_test.rego) with `opa test`.

    DIRS default to the shipped policies; the shipped library is always loaded so a
    team's tests can use its helpers. Every failing test is named with its file and
    line. Exit 1 when a test fails or a test file does not compile.
    """
    from ..policy.testing import format_report, run_tests
    report = run_tests(dirs)
    for line in format_report(report, verbose=verbose):
        click.echo(line)
    if report.files == 0:
        click.echo("no *_test.rego files found", err=True)
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


@policies_group.command("lint")
@click.argument("dirs", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too (there are none today).")
@click.option("--json", "as_json", is_flag=True, help="Print the problems as JSON.")
@handles_input_errors
def lint_cmd(dirs, strict, as_json):
    """Find what a scan would refuse in Rego files: builtins outside the sandbox
    (opa.runtime, http.send, net.*, print...), compile errors under `opa check
    --strict`, and builtins the default (Wasm) engine lacks.

    DIRS (files or directories) default to the shipped policies. Each problem names
    file:line. Exit 1 when there is an error.
    """
    from ..policy.library import shipped_policy_dir
    from ..policy.lint import lint_paths
    problems = lint_paths(dirs or [shipped_policy_dir()])
    if as_json:
        click.echo(json.dumps([{"file": str(w.path), "line": w.line, "code": w.code, "level": w.level,
                                "message": w.message} for w in problems], indent=2))
    else:
        for w in problems:
            click.echo(f"{w.level}: {w}")
        click.echo(f"{len(problems)} problem(s)", err=True)
    errors = [w for w in problems if w.level == "error"]
    sys.exit(EXIT_FAILED if errors or (strict and problems) else EXIT_OK)
