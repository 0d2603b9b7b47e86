"""The end-of-run summary, in the order a reader needs it: what was scanned; what
could not be judged and why; the counts; the failing policies with their first
resources, within a screen; the files written. The gate line comes last, on stderr."""
from __future__ import annotations

from collections import Counter, defaultdict

from rich import box
from rich.table import Table
from rich.text import Text

from ..gate import Gate, not_assessed_reasons
from ..model import Severity, Status
from .console import Terminal, safe

STATUSES = (Status.PASS, Status.FAIL, Status.ERROR, Status.WAIVED, Status.NOT_ASSESSED)
STATUS_STYLE = {Status.PASS: "green", Status.FAIL: "red", Status.ERROR: "magenta",
                Status.WAIVED: "cyan", Status.NOT_ASSESSED: "yellow"}
SEVERITY_STYLE = {Severity.CRITICAL: "bold red", Severity.HIGH: "red", Severity.MEDIUM: "yellow",
                  Severity.LOW: "blue", Severity.INFO: "dim"}
POLICY_ROWS, RESOURCES_PER_ROW, GAP_LINES = 10, 3, 5   # one screen, unless --verbose


def render(term: Terminal, doc, gate: Gate, written: dict[str, object], *, scope: str = "") -> None:
    if term.quiet:
        return
    out = term.out
    _scope(term, doc, scope)
    _not_assessed(term, doc)
    out.print(_category_table(doc))
    _failing(term, doc, gate)
    if written:
        out.print(Text("Written:", style="bold"))
        for label, path in written.items():
            term.line(f"  {label:9} {path}")


def gate_line(term: Terminal, gate: Gate) -> None:
    style = {0: "bold green", 1: "bold red", 3: "bold yellow"}.get(gate.code, "bold")
    term.err.print(Text(safe(gate.line()), style=style), soft_wrap=True)


def _scope(term: Terminal, doc, scope: str) -> None:
    scan = doc.scan or {}
    parts = []
    if scan.get("accounts"):
        parts.append(f"account(s) {', '.join(map(str, scan['accounts']))}")
    parts.append(scope or (f"region(s) {', '.join(scan['regions'])}" if scan.get("regions") else ""))
    parts.append(f"{scan.get('resource_count', 0)} resource(s), {scan.get('policy_count', 0)} policies, "
                 f"engine {scan.get('engine', '?')}")
    term.out.print(Text(safe("Scanned " + " · ".join(p for p in parts if p)), style="bold"), soft_wrap=True)


def _not_assessed(term: Terminal, doc) -> None:
    """First, before any count: how much could not be judged, and why."""
    total = sum(1 for f in doc.findings if f.status == Status.NOT_ASSESSED)
    gaps = doc.coverage
    if not total and not gaps:
        term.out.print(Text("Everything in scope was read and judged: 0 NOT_ASSESSED, 0 coverage gaps.",
                            style="green"))
        return
    term.out.print(Text(f"NOT ASSESSED: {total} finding(s) could not be judged; "
                        f"{len(gaps)} coverage gap(s) (reads that failed).", style="bold yellow"))
    limit = None if term.verbose else GAP_LINES
    per_gap = Counter((g.resource_type, g.region, g.resource_id, g.operation, g.error_code) for g in gaps)
    for (rtype, region, rid, op, code), n in list(per_gap.items())[:limit]:
        where = " ".join(x for x in (rtype, region, rid) if x)
        term.line(f"  NOT ASSESSED {where}: {op} failed with {code}" + (f" (x{n})" if n > 1 else ""))
    if limit is not None and len(per_gap) > limit:
        term.line(f"  … {len(per_gap) - limit} more gap(s): --verbose, or 'coverage' in findings.json")
    gap_reasons = {f"{g.operation} failed with {g.error_code}" for g in gaps}
    others = [(why, n) for why, n in not_assessed_reasons(doc) if why not in gap_reasons]
    for why, n in others[:limit]:
        term.line(f"  {n} NOT_ASSESSED: {why}")
    if limit is not None and len(others) > limit:
        term.line(f"  … {len(others) - limit} more reason(s): --verbose, or report.html")


def _category_table(doc) -> Table:
    counts: dict[str, Counter] = defaultdict(Counter)
    for f in doc.findings:
        counts[f.category][f.status] += 1
    table = Table(box=box.SIMPLE_HEAD, show_footer=True, pad_edge=False, show_edge=False)
    total = Counter(f.status for f in doc.findings)
    table.add_column("category", footer="total")
    for s in STATUSES:
        table.add_column(s.value, justify="right", footer=str(total[s]), header_style=STATUS_STYLE[s])
    for cat in sorted(counts):
        table.add_row(Text(safe(cat)), *(Text(str(counts[cat][s]), style=STATUS_STYLE[s] if counts[cat][s] else "")
                                         for s in STATUSES))
    return table


def _failing(term: Terminal, doc, gate: Gate) -> None:
    failing = [f for f in doc.findings if f.status in (Status.FAIL, Status.ERROR)]
    if not failing:
        term.out.print(Text("No failing finding.", style="green"))
        return
    groups: dict[str, list] = defaultdict(list)
    for f in failing:
        groups[f.policy_id].append(f)
    order = sorted(groups, key=lambda pid: (-groups[pid][0].severity.rank, -len(groups[pid]), pid))
    threshold = gate.threshold
    title = f"Failing policies ({len(order)}, {len(failing)} finding(s)"
    title += f"; the gate counts those at or above '{threshold.value}')" if threshold else ")"
    shown = order if term.verbose else order[:POLICY_ROWS]
    many_places = len({(f.resource or {}).get("region") for f in failing} - {"", "global", "*", None}) > 1
    table = _policy_table(term, title, shown, groups)
    for pid in shown:
        fs = groups[pid]
        sev = fs[0].severity
        names = [_name(f, many_places) for f in fs]
        keep = names if term.verbose else names[:RESOURCES_PER_ROW]   # n says how many there are
        errors = sum(1 for f in fs if f.status == Status.ERROR)
        count = f"{len(fs)}" + (f" ({errors} ERROR)" if errors else "")
        table.add_row(Text(sev.value.upper(), style=SEVERITY_STYLE[sev]), Text(safe(pid)),
                      Text(safe(fs[0].title)), count, Text(safe(", ".join(keep))))
    term.out.print(table)
    if len(order) > len(shown):
        term.line(f"  … {len(order) - len(shown)} more failing policies (--verbose lists them all; "
                  "report.html has every finding)")


def _policy_table(term: Terminal, title: str, shown: list[str], groups: dict) -> Table:
    """Columns sized to the screen: rich would otherwise squeeze the short columns
    to nothing next to a long unwrapped one."""
    table = Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False)
    pid_w = max(len("policy"), *(len(p) for p in shown))
    n_w = max(len(str(len(groups[p]))) + (10 if any(f.status == Status.ERROR for f in groups[p]) else 0)
              for p in shown)
    table.add_column("severity", no_wrap=True, width=8)
    table.add_column("policy", no_wrap=True, width=pid_w)
    if term.verbose:
        table.add_column("title", overflow="fold")
        table.add_column("n", justify="right", no_wrap=True, width=n_w)
        table.add_column("resources", overflow="fold")
        return table
    # 5 columns: 4 separators and 2 spaces of padding each, minus the outer two
    avail = term.out.width - (8 + pid_w + n_w) - (4 + 2 * 5 - 2)
    title_w = min(44, max(len(groups[p][0].title) for p in shown), max(12, avail // 2))
    table.add_column("title", no_wrap=True, overflow="ellipsis", width=title_w)
    table.add_column("n", justify="right", no_wrap=True, width=n_w)
    table.add_column("first resources", no_wrap=True, overflow="ellipsis", width=max(10, avail - title_w))
    return table


def _name(f, with_region: bool) -> str:
    r = f.resource or {}
    rid = str(r.get("id") or r.get("arn") or "?")
    if rid.startswith("arn:") and rid.count(":") >= 5:
        rid = rid.split(":", 5)[5]   # the resource part: model-package/churn/3
    region = r.get("region")
    return f"{rid} ({region})" if with_region and region not in ("", "global", "*", None) else rid
