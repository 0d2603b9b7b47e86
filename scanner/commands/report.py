"""`mlwarden report`: re-render a saved findings.json, published like a scan's outputs."""
from __future__ import annotations

from pathlib import Path

import click

from .base import _fail, _load_previous, handles_input_errors, main


@main.command()
@click.argument("findings_file", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), default=Path("out"), show_default=True,
              help="Output directory (checked and locked first; may contain {timestamp}).")
@click.option("--format", "formats", default="html", show_default=True,
              help="Comma-separated report formats.")
@click.option("--previous", type=click.Path(path_type=Path), help="An earlier findings.json to compare with.")
@handles_input_errors
def report(findings_file, out_dir, formats, previous):
    """Re-render a saved findings.json in other formats."""
    from ..findings import FindingsDocument
    from ..output_dir import OutputDir, expand
    from mlwarden.reports.base import RenderContext
    from mlwarden.reports.write import parse_formats, write_reports

    fmt = parse_formats(formats)
    doc = FindingsDocument.load(findings_file)
    prev = _load_previous(previous)
    if findings_file.resolve() == (expand(out_dir) / "findings.json").resolve():
        _fail(f"--out: {out_dir} holds {findings_file.name}; choose another directory so it is not overwritten")
    with OutputDir.open(out_dir) as out:
        write_reports(doc, fmt, RenderContext(out_dir=out.staging, previous=prev))
        written = out.publish()
    for name, path in written.items():
        click.echo(f"{name:9} {path}")
