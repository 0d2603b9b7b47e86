"""A lint for Rego that the embedded engine (regopy 1.5.2) evaluates differently from OPA.

OPA is the reference; regopy is what the scanner runs by default. DESIGN.md
("Engine fidelity") lists where they part ways; each check below finds one of those
constructs in the source text and says what goes wrong and what to write instead.
It is a warning list, not a proof: a flagged construct can be fine for the values a
policy sees (`max` over strings), and the conformance test (both engines, every
fixture) is what proves a shipped policy identical.

The checks read the text with comments removed and string contents masked (so a
message mentioning `max(` is not flagged), keeping every character's line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..errors import InputError


@dataclass(frozen=True, kw_only=True)
class LintWarning:
    path: Path
    line: int
    rule: str      # the top-level rule (or function) the construct is in; "" outside rules
    code: str      # which check, e.g. "numeric-order"
    message: str

    def __str__(self) -> str:
        where = f" in rule '{self.rule}'" if self.rule else ""
        return f"{self.path}:{self.line}: [{self.code}]{where}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class _Source:
    """One file: its text, the masked text, and its string literals by start offset."""
    path: Path
    text: str
    masked: str
    strings: dict[int, str]
    rule_heads: list[tuple[int, str]]   # (offset, name) of each top-level rule head

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def rule_at(self, offset: int) -> str:
        name = ""
        for start, n in self.rule_heads:
            if start > offset:
                break
            name = n
        return name

    @property
    def rule_names(self) -> set[str]:
        return {n for _, n in self.rule_heads}


# --- the checks ----------------------------------------------------------------------
# Each check yields (offset, code, message). Simple ones are a pattern and a message;
# the others are functions below.

@dataclass(frozen=True, kw_only=True)
class _Pattern:
    code: str
    pattern: re.Pattern
    message: str


_NOT_DOTTED = r"(?<![\w.])"   # a builtin name, not the tail of `pkg.max` or `my_max`

PATTERNS: tuple[_Pattern, ...] = (
    _Pattern(code="numeric-order", pattern=re.compile(_NOT_DOTTED + r"(max|min|sort)\s*\("),
             message="{0}() compares numbers as text in the embedded engine (max([9, 10]) is 9, "
                     "sort([10, 9]) is [10, 9]); "
                     "fine for strings, for numbers compare with arithmetic (a > b)"),
    _Pattern(code="time-builtin",
             pattern=re.compile(_NOT_DOTTED + r"(time\.parse_rfc3339_ns|time\.diff|time\.format)\s*\("),
             message="{0}() differs in the embedded engine (parse_rfc3339_ns fails on a trailing Z "
                     "or fractional seconds; diff and format give other results); have the "
                     "collector put the value you need in `facts`"),
    _Pattern(code="object-union", pattern=re.compile(_NOT_DOTTED + r"(object\.union)\s*\("),
             message="object.union() is not recursive in the embedded engine; merge nested "
                     "objects explicitly or use object.union_n on flat objects"),
    _Pattern(code="semver", pattern=re.compile(_NOT_DOTTED + r"(semver\.\w+)\s*\("),
             message="{0}() differs in the embedded engine"),
    _Pattern(code="stub-builtin",
             pattern=re.compile(_NOT_DOTTED + r"(net\.\w+|json\.match_schema|json\.verify_schema|"
                                r"http\.send|rego\.metadata\.\w+)\s*\("),
             message="{0}() is a stub in the embedded engine (no result); derive the value in the "
                     "collector (`facts`) or read METADATA with mlwarden's parser"),
    _Pattern(code="print", pattern=re.compile(_NOT_DOTTED + r"(print)\s*\("),
             message="print() writes straight to the scanner's standard output in the embedded "
                     "engine and corrupts machine-readable output; remove it"),
    _Pattern(code="not-in-undefined",
             pattern=re.compile(r"\bnot\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[[^\]\n]*\])+)\s+in\b"),
             message="`not {0} in ...` is true in the embedded engine when {0} is absent, while "
                     "OPA leaves the rule undefined; check that the field exists first"),
)


def _check_patterns(src: _Source) -> Iterator[tuple[int, str, str]]:
    for p in PATTERNS:
        for m in p.pattern.finditer(src.masked):
            yield m.start(), p.code, p.message.format(m.group(1))


def _check_not_call(src: _Source) -> Iterator[tuple[int, str, str]]:
    """`not f(x.y)`: a function call on a reference that may be absent."""
    for m in re.finditer(r"\bnot\s+([A-Za-z_][\w.]*)\s*\(", src.masked):
        args = _balanced(src.masked, m.end() - 1)
        if args is not None and re.search(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\[)", args):
            yield (m.start(), "not-call-undefined",
                   f"`not {m.group(1)}(...)` on a reference is true in the embedded engine when "
                   "the field is absent, while OPA leaves the rule undefined; check that the "
                   "field exists first (or read it with object.get and a default)")


def _check_sprintf(src: _Source) -> Iterator[tuple[int, str, str]]:
    for m in re.finditer(_NOT_DOTTED + r"sprintf\s*\(", src.masked):
        args = _balanced(src.masked, m.end() - 1)
        if args is None:
            continue
        parts = _split_top(args)
        fmt = src.strings.get(m.end() + (len(parts[0]) - len(parts[0].lstrip())))
        if fmt is not None and re.search(r"%(q|[-+ 0#]*\d+|\.\d+)", fmt):
            yield (m.start(), "sprintf-format",
                   "sprintf verbs with %q, width or padding are ignored by the embedded engine")
        if len(parts) < 2:
            continue
        values = parts[1].strip()
        if values.startswith("[") and values.endswith("]"):
            n = len([p for p in _split_top(values[1:-1]) if p.strip()])
            if n < 2:
                continue
            what = f"with {n} arguments"
        else:
            what = "with an argument list built elsewhere"
        yield (m.start(), "sprintf-args",
               f"sprintf {what}: the embedded engine quotes computed strings when there are two "
               "or more (sprintf(\"%v %v\", [\"c\", upper(\"a\")]) gives c \"A\"); build the "
               "message with concat")


def _check_comprehension_some(src: _Source) -> Iterator[tuple[int, str, str]]:
    """`some k, v in X` inside an array or set comprehension does not parse in regopy."""
    stack: list[list] = []   # [bracket, is_comprehension]
    text = src.masked
    i = 0
    while i < len(text):
        c = text[i]
        if c in "[{(":
            stack.append([c, False])
        elif c in "]})":
            if stack:
                stack.pop()
        elif c == "|" and stack and stack[-1][0] in "[{":
            stack[-1][1] = True
        elif c == "s" and text.startswith("some", i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r"some\s+[A-Za-z_]\w*\s*,\s*[A-Za-z_]\w*\s+in\b", text[i:])
            if m and any(comp for _, comp in stack):
                yield (i, "some-kv-in-comprehension",
                       "`some k, v in X` does not parse inside a comprehension in the embedded "
                       "engine; iterate with `some k` and read X[k]")
        i += 1


def _check_with_input(src: _Source) -> Iterator[tuple[int, str, str]]:
    """`with input as ...`: regopy 1.5.2 aborts the process on it when the rules it
    reaches call a builtin, and on a rule reference as the value in any case.

    The library's test convention (`cases` table, `check(name) if ... with input as
    cases[name].input`) is exempt: `mlwarden policies test` runs such cases on the
    embedded engine by setting the input instead."""
    convention = re.search(r"^cases := \{", src.masked, re.M) is not None
    imported = set(re.findall(r"^import\s+data\.[\w.]*?(\w+)\s*$", src.masked, re.M))
    imported |= set(re.findall(r"^import\s+data\.[\w.]+\s+as\s+(\w+)\s*$", src.masked, re.M))
    heads = src.rule_names | imported | {"data"}
    for m in re.finditer(r"\bwith\s+input(?:\.[\w.]+)?\s+as\s+([A-Za-z_]\w*)?", src.masked):
        if convention and src.rule_at(m.start()) == "check":
            continue
        if m.group(1) in heads:
            yield (m.start(), "with-rule-ref",
                   f"`with input as {m.group(1)}...` (a rule reference as the value) crashes the "
                   "embedded engine (regopy 1.5.2 aborts the process); bind it to a local "
                   "variable first: `c := cases[name]; ... with input as c.input`")
        else:
            yield (m.start(), "with-input",
                   "`with input as` crashes the embedded engine (regopy 1.5.2) when the rules it "
                   "reaches call a builtin; put test fixtures in a `cases` table with "
                   "`test_<case> if check(\"<case>\")` rules (docs/policies.md), which "
                   "`mlwarden policies test` runs by setting the input")


CHECKS: tuple[Callable[[_Source], Iterable[tuple[int, str, str]]], ...] = (
    _check_patterns, _check_not_call, _check_sprintf, _check_comprehension_some, _check_with_input,
)


# --- running ----------------------------------------------------------------------------

def lint_paths(paths: Iterable[Path]) -> list[LintWarning]:
    """Lint every .rego file under the given files and directories."""
    warnings: list[LintWarning] = []
    for path in _rego_files(paths):
        warnings.extend(lint_source(path, path.read_text()))
    return warnings


def lint_source(path: Path, text: str) -> list[LintWarning]:
    src = _prepare(path, text)
    seen: set[tuple[int, str]] = set()
    out = []
    for check in CHECKS:
        for offset, code, message in check(src):
            line = src.line(offset)
            if (line, code) in seen:   # one warning per construct and line
                continue
            seen.add((line, code))
            out.append(LintWarning(path=path, line=line, rule=src.rule_at(offset), code=code,
                                   message=message))
    return sorted(out, key=lambda w: (w.line, w.code))


def _rego_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(p.rglob("*.rego")))
        elif p.is_file():
            files.append(p)
        else:
            raise InputError(f"{p}: no such file or directory")
    return files


def _prepare(path: Path, text: str) -> _Source:
    """Mask comments (to spaces) and string contents (to x), keeping offsets and lines."""
    out = list(text)
    strings: dict[int, str] = {}
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            while i < n and text[i] != "\n":
                out[i] = " "
                i += 1
        elif c == '"':
            start, i = i, i + 1
            value = []
            while i < n and text[i] != '"' and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n:
                    value.append(text[i:i + 2])
                    out[i] = out[i + 1] = "x"
                    i += 2
                    continue
                value.append(text[i])
                out[i] = "x"
                i += 1
            strings[start] = "".join(value)
            i += 1
        elif c == "`":
            start, i = i, i + 1
            value = []
            while i < n and text[i] != "`":
                value.append(text[i])
                if text[i] != "\n":
                    out[i] = "x"
                i += 1
            strings[start] = "".join(value)
            i += 1
        else:
            i += 1
    masked = "".join(out)
    heads = [(m.start(), m.group(1)) for m in re.finditer(
        r"^(?:default\s+)?([A-Za-z_]\w*)(?=[\s\[(.:=]|$)", masked, re.M)
        if m.group(1) not in {"package", "import", "default"}]
    return _Source(path=path, text=text, masked=masked, strings=strings, rule_heads=heads)


def _balanced(text: str, open_at: int) -> str | None:
    """The text inside the bracket that opens at `open_at`, or None if it never closes."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    depth_stack = [pairs[text[open_at]]]
    i = open_at + 1
    while i < len(text):
        c = text[i]
        if c in pairs:
            depth_stack.append(pairs[c])
        elif depth_stack and c == depth_stack[-1]:
            depth_stack.pop()
            if not depth_stack:
                return text[open_at + 1:i]
        i += 1
    return None


def _split_top(args: str) -> list[str]:
    """Split on commas that are not nested in brackets."""
    parts, depth, cur = [], 0, []
    for c in args:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts
