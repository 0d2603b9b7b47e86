"""Reading the files a user hands the scanner, with limits a hostile file cannot pass.

Every input file (inventory, findings, waivers, settings, policies, IaC templates,
Terraform plans) is read through `read_text`: its size is checked before a byte is
read, it must be UTF-8, and a directory or unreadable path is a one-line
`InputError` naming the file. JSON goes through `load_json` / `loads`, which also
refuse nesting deeper than `MAX_DEPTH` (Python's parser recurses; a file of 100 000
`[` would otherwise end in a RecursionError, not an error message).
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import json_values
from .errors import InputError

MiB = 1024 * 1024
# Documents mlwarden writes itself (inventory.json, findings.json) and Terraform plans:
# large estates make large files, but not this large.
MAX_DATA_BYTES = 512 * MiB
# Hand-written configuration: settings, waivers, policies, templates (CloudFormation
# itself caps a template at 1 MB).
MAX_CONFIG_BYTES = 16 * MiB
# Real documents nest a few dozen levels at most (an IAM policy inside a plan inside
# a resource); this leaves room and stays far below Python's recursion limit.
MAX_DEPTH = 200


def read_text(path: Path | str, what: str, *, max_bytes: int = MAX_CONFIG_BYTES) -> str:
    """The text of a user's file, or an InputError naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a {what}")
    if size > max_bytes:
        raise InputError(f"{path}: {what} is {size / MiB:.1f} MiB, over the limit of "
                         f"{max_bytes / MiB:.0f} MiB")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: {what} is not UTF-8 text (byte {exc.start})") from None


def loads(text: str, where: str, what: str = "JSON") -> Any:
    """Parse JSON text; errors name `where` (a file, or file:line) and the line."""
    try:
        # Strict values (json_values.py): NaN, Infinity and lone surrogates are refused.
        doc = json.loads(text, parse_constant=json_values.refuse_constant, parse_float=json_values.number)
    except json_values.NotJson as exc:
        raise InputError(f"{where}:{json_values.constant_line(text)}: not valid JSON ({what}): {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}:{exc.lineno}: not valid JSON ({what}): {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{where}: {what} nests deeper than {MAX_DEPTH} levels") from None
    if _depth_over(doc, MAX_DEPTH):
        raise InputError(f"{where}: {what} nests deeper than {MAX_DEPTH} levels")
    if json_values.may_hold_surrogates(text):
        json_values.check(doc, where)
    return doc


def load_json(path: Path | str, what: str, *, max_bytes: int = MAX_DATA_BYTES) -> Any:
    """A user's JSON file: size, encoding, syntax and depth checked."""
    return loads(read_text(path, what, max_bytes=max_bytes), str(path), what)


def _depth_over(doc: Any, limit: int) -> bool:
    """True when containers nest deeper than `limit` (iterative: no recursion)."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False
