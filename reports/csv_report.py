"""findings.csv: one row per finding for spreadsheets.

Spreadsheet programs run a cell that starts with =, +, -, @ (or tab / CR) as a
formula, so such cells get a leading apostrophe (OWASP "CSV injection").
"""
from __future__ import annotations

import codecs
import csv
import io
import json
from typing import Iterator

from .base import Renderer, register
from .common import redaction_notice

COLUMNS = ("status", "severity", "policy_id", "title", "category", "resource_type", "resource_id",
           "resource_arn", "account", "region", "source", "message", "controls", "evidence",
           "waiver_owner", "waiver_expires", "waiver_reason")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def row(f) -> list[str]:
    r, src, w = f.resource, f.resource.get("source") or {}, f.waiver or {}
    where = src.get("kind", "") + (f" {src['file']}:{src.get('line', '')}" if src.get("file") else "")
    return [neutralise(v) for v in (
        f.status.value, f.severity.value, f.policy_id, f.title, f.category, r.get("type"), r.get("id"),
        r.get("arn"), r.get("account"), r.get("region"), where, f.message,
        "; ".join(f"{fw} {c}" for fw, cs in sorted(f.controls.items()) for c in cs),
        json.dumps(f.evidence, sort_keys=True, default=str) if f.evidence else "",
        w.get("owner"), w.get("expires"), w.get("reason"))]


_CHUNK = 1 << 16   # characters of rows handed on at a time


def stream(doc, ctx) -> Iterator[bytes]:
    """The rows a buffer of about 64 K characters at a time (an account's findings were
    60 MB of text held whole)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    notice = redaction_notice(doc.scan)
    if notice:   # only in a --no-redact run: a reader must not miss it, even at the cost of a header
        writer.writerow([f"# {notice}"])
    writer.writerow(COLUMNS)
    yield codecs.BOM_UTF8   # the BOM makes Excel read UTF-8 (what "utf-8-sig" writes first)
    for f in doc.findings:
        writer.writerow(row(f))
        if buf.tell() >= _CHUNK:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="csv", filename="findings.csv",
                  description="CSV, one row per finding (formula injection neutralised)",
                  render=render, stream=stream))
