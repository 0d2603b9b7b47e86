"""Write the chosen formats to the output directory, plus a manifest of digests."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mlwarden.errors import InputError

from .base import RenderContext, registry


def parse_formats(value: str) -> list[str]:
    names = [f.strip() for f in value.split(",") if f.strip()]
    known = registry()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InputError(f"--format: unknown format(s) {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(known))})")
    return names


def write_reports(doc, formats: list[str], ctx: RenderContext) -> dict[str, Path]:
    """Render every format into ctx.out_dir; findings.json always comes first, so its
    digest can be printed in the other reports. Returns format → path."""
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    known = registry()
    ordered = ["json"] + [f for f in formats if f != "json"]
    written: dict[str, Path] = {}
    digests: dict[str, str] = {}
    for name in ordered:
        r = known[name]
        path = ctx.out_dir / r.filename
        digest = hashlib.sha256()
        if r.stream is not None:
            with path.open("wb") as fh:
                for piece in r.stream(doc, ctx):
                    fh.write(piece)
                    digest.update(piece)
        else:
            data = r.render(doc, ctx)
            path.write_bytes(data)
            digest.update(data)
            del data
        written[name] = path
        digests[r.filename] = digest.hexdigest()
        if name == "json":
            ctx = RenderContext(out_dir=ctx.out_dir, previous=ctx.previous, inventory=ctx.inventory,
                                options={**ctx.options, "findings_sha256": digests[r.filename]})
    for extra in ("inventory.json",):
        p = ctx.out_dir / extra
        if p.exists():
            digests[extra] = hashlib.sha256(p.read_bytes()).hexdigest()
    manifest = ctx.out_dir / "manifest.json"
    manifest.write_text(json.dumps({"algorithm": "sha256", "files": digests}, indent=1))
    written["manifest"] = manifest
    return written
