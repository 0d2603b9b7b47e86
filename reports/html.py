"""report.html: one self-contained page for auditors and engineers.

Everything is inline (CSS, JS, SVG charts): the file opens offline and makes no
request. Every value that came from AWS is untrusted: the server side renders it
through jinja2 autoescaping, the client side only through `textContent`, and the
findings travel as one JSON blob in a `<script type="application/json">` whose
`<` characters are escaped, so a tag value like `</script><script>…` stays text.

The blob is compact enough for 100,000 findings: strings are interned in one
table and findings are column arrays of indexes; the browser renders one page of
rows at a time.
"""
from __future__ import annotations

import json
import re
import shlex
from collections import Counter, defaultdict
from importlib import resources
from typing import Iterator

import jinja2
from markupsafe import Markup

from mlwarden.json_stream import iter_bytes, iter_compact
from mlwarden.model import Status

from .base import Renderer, register
from .common import (SEVERITY_ORDER, STATUS_ORDER, compare, control_title, framework_name, policy_description,
                     redaction_notice, redaction_summary, resource_key, resource_label, violation_text)
from .remediation_text import Advice, advice

CHANGES_SHOWN = 500   # per list; the rest is counted, and all of it is in findings.json


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mlwarden.reports", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _asset(name: str) -> Markup:
    # Our own static CSS/JS, inlined verbatim (not templated, so no data reaches it).
    return Markup(resources.files("mlwarden.reports").joinpath("templates", name).read_text())


def _script_safe(text: str) -> str:
    # Each replacement is of one character, so a text escaped in pieces is the whole
    # text escaped.
    return text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: `<` becomes \\u003c, so neither `</script>`
    nor `<!--` can appear, whatever the data holds."""
    return Markup(_script_safe(json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)))


def iter_script_json(value) -> Iterator[str]:
    """`script_json(value)`'s text in pieces (long lists a slice at a time)."""
    for piece in iter_compact(value):
        yield _script_safe(piece)


class _Strings:
    """Interns strings into one table; findings refer to them by index."""

    def __init__(self):
        self.table: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, s) -> int:
        s = "" if s is None else str(s)
        i = self._index.get(s)
        if i is None:
            i = self._index[s] = len(self.table)
            self.table.append(s)
        return i


def _tags_by_resource(inventory: dict | None) -> dict[str, dict]:
    if not inventory:
        return {}
    out = {}
    for r in inventory.get("resources") or []:
        if isinstance(r, dict) and r.get("tags"):
            out[resource_key(r)] = r["tags"]
    return out


def _advice_row(a: Advice, S: _Strings) -> list:
    """[runbook, title, what it does, how it is applied, policy's runbook that is missing,
    [steps], what to change]: the remediation in words (report.js, the detail panel)."""
    return [S(a.runbook), S(a.runbook_title), S(a.runbook_does), S(a.how() if a.runbook else ""),
            S(a.missing_runbook), [S(x) for x in a.steps], S(a.what_to_change)]


def build_data(doc, ctx) -> dict:
    """The client-side model: string table, policy, resource and remediation tables,
    finding columns."""
    S = _Strings()
    tags = _tags_by_resource(ctx.inventory)
    policies: dict[str, int] = {}
    policy_rows: list[list] = []
    resources_: dict[str, int] = {}
    resource_rows: list[list] = []
    advices: dict[Advice, int] = {}
    advice_rows: list[list] = []
    cols = {k: [] for k in ("p", "s", "r", "m", "e", "w", "a", "v")}
    first_line: dict[int, int] = {}   # resource row → its own line (findings may point lower)
    for f in doc.findings:
        pi = policies.get(f.policy_id)
        if pi is None:
            pi = policies[f.policy_id] = len(policy_rows)
            controls = sorted(_control_label(doc, fw, c) for fw, cs in f.controls.items() for c in cs)
            policy_rows.append([
                S(f.policy_id), S(f.title), SEVERITY_ORDER.index(f.severity.value), S(f.category),
                S(policy_description(doc, f)), [S(c) for c in controls],
                S(""),   # was the remediation as JSON; now the advice table ("a")
                S(shlex.quote(f.policy_id))])   # the suggested command's words, shell-quoted
        rk = resource_key(f.resource)
        ri = resources_.get(rk)
        if ri is None:
            ri = resources_[rk] = len(resource_rows)
            res = f.resource
            src = res.get("source") or {}
            where = src.get("kind", "")
            if src.get("file"):
                where = f"{where}: {src['file']}"
            t = tags.get(rk)
            resource_rows.append([S(res.get("type")), S(res.get("id")), S(res.get("arn")),
                                  S(res.get("account")), S(res.get("region")), S(where),
                                  S(json.dumps(t, sort_keys=True)) if t else -1,
                                  S(shlex.quote(resource_label(res)))])
        cols["p"].append(pi)
        cols["s"].append(STATUS_ORDER.index(f.status.value))
        cols["r"].append(ri)
        cols["m"].append(S(f.message))
        # compact here (the C encoder); the page pretty-prints the one it shows
        cols["e"].append(S(json.dumps(f.evidence, sort_keys=True, default=str)) if f.evidence else -1)
        cols["w"].append(S(json.dumps(f.waiver, sort_keys=True)) if f.waiver else -1)
        # What is wrong, attribute by attribute, and where the finding points in a template.
        src = f.resource.get("source") or {}
        line = src.get("line")
        if src.get("file") and isinstance(line, int):
            first_line[ri] = min(line, first_line.get(ri, line))
        at = f"{src['file']}:{line}" if src.get("file") and line else ""
        cols["v"].append(S(json.dumps([[violation_text(v) for v in f.violations], at]))
                         if any(v.get("path") for v in f.violations) else -1)
        a = advice(doc, f)
        ai = advices.get(a)
        if ai is None:
            ai = advices[a] = len(advice_rows)
            advice_rows.append(_advice_row(a, S))
        cols["a"].append(ai)
    # A resource's own line is the smallest its findings carry (a passing finding
    # keeps it; a failing one points at the attribute, lower in the template).
    for ri, line in first_line.items():
        resource_rows[ri][5] = S(f"{S.table[resource_rows[ri][5]]}:{line}")
    return {"v": 1, "statuses": list(STATUS_ORDER), "severities": list(SEVERITY_ORDER),
            "strings": S.table, "policies": policy_rows, "resources": resource_rows,
            "advice": advice_rows, "f": cols}


# --- overview figures, computed here so the page opens with them drawn ----------------

def _counts(findings) -> dict:
    c = Counter(f.status.value for f in findings)
    judged = sum(c[s] for s in ("PASS", "FAIL", "ERROR", "NOT_ASSESSED"))
    return {"by_status": {s: c[s] for s in STATUS_ORDER}, "total": sum(c.values()),
            "pass_rate": (100.0 * c["PASS"] / judged) if judged else None}


def overview(doc) -> dict:
    by_cat: dict[str, list] = defaultdict(list)
    for f in doc.findings:
        by_cat[f.category].append(f)
    sev = Counter(f.severity.value for f in doc.findings if f.status in (Status.FAIL, Status.ERROR))
    # framework -> control -> {policies, PASS, FAIL, ...}
    ctl: dict[str, dict[str, dict]] = defaultdict(dict)
    for f in doc.findings:
        for fw, controls in f.controls.items():
            rows = ctl[fw]
            for c in controls:
                row = rows.get(c)
                if row is None:
                    row = rows[c] = {"policies": set(), "counts": Counter()}
                row["policies"].add(f.policy_id)
                row["counts"][f.status.value] += 1
    frameworks = []
    for fw in sorted(ctl):
        rows = []
        for c in sorted(ctl[fw], key=_natural):
            row = ctl[fw][c]
            counts = {s: row["counts"][s] for s in STATUS_ORDER}
            rows.append({"control": c, "title": control_title(doc, fw, c),
                         "policies": sorted(row["policies"]), "counts": counts,
                         "total": sum(counts.values())})
        frameworks.append({"name": fw, "full_name": framework_name(doc, fw), "controls": rows})
    return {
        "all": _counts(doc.findings),
        "categories": [{"name": k, **_counts(v)} for k, v in sorted(by_cat.items())],
        "severity": [{"name": s, "count": sev[s]} for s in SEVERITY_ORDER],
        "severity_max": max(sev.values(), default=0),
        "frameworks": frameworks,
    }


def _natural(s: str):
    """SC-7 before SC-12: numbers inside control ids compare as numbers."""
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


def _change_rows(findings) -> list[dict]:
    return [{"policy_id": f.policy_id, "title": f.title, "severity": f.severity.value,
             "status": f.status.value, "resource": resource_label(f.resource),
             "message": f.message} for f in findings[:CHANGES_SHOWN]]


# Where the data blob goes in the page while it is generated: the template yields each
# `{{ }}` as a piece of its own, and an autoescaped value cannot hold a raw "<", so a
# piece equal to this is the slot and nothing else.
_DATA_SLOT = "<mlw-data-slot/>"


class _Slot:
    def __html__(self) -> str:
        return _DATA_SLOT


def template_context(doc, ctx, *, print_all: bool = False, data) -> dict:
    """The template's variables; `data` is what goes in the data blob's place."""
    changes = compare(doc, ctx.previous)
    return dict(
        scan=doc.scan, coverage=[g.to_dict() for g in doc.coverage], waivers=doc.waivers,
        ov=overview(doc), statuses=STATUS_ORDER, severities=SEVERITY_ORDER,
        findings_sha256=ctx.options.get("findings_sha256"),
        previous_scan=(ctx.previous.scan if ctx.previous else None),
        changes=None if changes is None else {
            "new": _change_rows(changes.new), "new_total": len(changes.new),
            "still_open": _change_rows(changes.still_open), "still_open_total": len(changes.still_open),
            "resolved": _change_rows(changes.resolved), "resolved_total": len(changes.resolved),
            "waived": _change_rows(changes.waived), "waived_total": len(changes.waived),
            "shown": CHANGES_SHOWN},
        data=data,
        print_all=print_all,
        redaction_notice=redaction_notice(doc.scan), redaction_summary=redaction_summary(doc.scan),
        css=_asset("report.css"), js=_asset("report.js"),
    )


def iter_html(doc, ctx, *, print_all: bool = False) -> Iterator[str]:
    """The page in pieces (jinja2's `generate`), the data blob encoded a slice at a time
    in its slot: for an account's findings neither the blob's text nor the page's is held
    whole (they were 70 MB beside the scan's own memory on the simulated full estate)."""
    template = _env().get_template("report.html.j2")
    slots = 0
    for piece in template.generate(**template_context(doc, ctx, print_all=print_all, data=_Slot())):
        if piece == _DATA_SLOT:
            slots += 1
            yield from iter_script_json(build_data(doc, ctx))
        else:
            yield piece
    if slots != 1:   # the template must place the blob exactly once
        raise RuntimeError(f"report.html.j2 placed the data blob {slots} times")


def render_html(doc, ctx, *, print_all: bool = False) -> str:
    return "".join(iter_html(doc, ctx, print_all=print_all))


def stream(doc, ctx) -> Iterator[bytes]:
    return iter_bytes(iter_html(doc, ctx))


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="html", filename="report.html",
                  description="self-contained HTML report (offline, no external requests)",
                  render=render, stream=stream))


def _control_label(doc, framework: str, control: str) -> str:
    """"AWS-FSBP SageMaker.9 — <title>": a control as a reader recognises it."""
    t = control_title(doc, framework, control)
    return f"{framework} {control} — {t}" if t else f"{framework} {control}"
