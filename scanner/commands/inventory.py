"""`mlwarden inventory`: collect only, for a later `mlwarden evaluate`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .base import (_aws_target, _preflight_for, _split, _types, aws_options, handles_input_errors, main,
                   no_redact_option)
from ..errors import InputError
from ..gate import EXIT_INCOMPLETE, EXIT_OK


@main.command()
@aws_options
@click.option("--out", "out_file", type=click.Path(path_type=Path), default=Path("out/inventory.json"),
              show_default=True, help="Where to write the inventory ('-': stdout).")
@click.option("--allow-gaps", is_flag=True, help="Exit 0 even when some reads failed (coverage gaps).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the result line.")
@click.option("-v", "--verbose", is_flag=True, help="Report each collector as it ends, and every gap.")
@no_redact_option("the inventory says")
@handles_input_errors
def inventory(profile, regions, endpoint_url, types, accounts, organization, role_name, out_file,
              allow_gaps, quiet, verbose, no_redact):
    """Collect the inventory only (no evaluation). Exit 3 when reads failed, unless --allow-gaps."""
    from .. import interrupt
    from ..pipeline import gather, live_source
    from ..output_dir import check_writable_dir, write_file_atomically
    from ..run import stdout_write
    from ..terminal.console import Terminal
    from ..terminal.progress import RunProgress

    to_stdout = str(out_file) == "-"
    if not to_stdout:
        if out_file.is_dir():
            raise InputError(f"--out {out_file}: is a directory; name the inventory file")
        check_writable_dir(out_file.parent)
    term = Terminal.create(out_dir="-" if to_stdout else out_file, quiet=quiet, verbose=verbose)
    wanted_types = _types(types)
    aws, choice = _aws_target(profile, endpoint_url, regions)
    with interrupt.handled(), RunProgress(term) as progress:
        choice = _preflight_for(term, progress, aws, choice)
        inv = gather(live_source(aws, list(choice.regions), types=wanted_types,
                                 progress=progress.collected, accounts=_split(accounts),
                                 organization=organization, role_name=role_name, redact=not no_redact))
    data = json.dumps(inv.to_dict(), indent=1, default=str).encode()
    if to_stdout:
        stdout_write(data)
    else:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomically(out_file, data)
    for g in inv.gaps[: None if verbose else 5]:
        term.note(f"  NOT ASSESSED {g.resource_type} {g.region} {g.resource_id}: {g.operation} failed with "
                  f"{g.error_code}", style="yellow")
    code = EXIT_INCOMPLETE if inv.gaps and not allow_gaps else EXIT_OK
    click.echo(f"{len(inv.resources)} resources, {len(inv.gaps)} coverage gaps → {out_file}"
               + (" (incomplete: --allow-gaps to accept)" if code == EXIT_INCOMPLETE else ""), err=to_stdout)
    sys.exit(code)
