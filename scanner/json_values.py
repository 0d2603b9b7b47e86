"""JSON values in, JSON values out.

Policies judge JSON documents, so everything handed to an engine must be a JSON value
that every engine reads the same way:
- a file a user gives (inventory.json, findings.json, IaC templates) is read strictly:
  NaN, Infinity and strings with lone surrogates are not JSON values and the file is
  refused with a one-line error naming it (`check`; jsonload.py reads files with it);
- a value collected live is never refused (one odd value must not stop a scan): NaN
  and Infinity become a marker string, a lone surrogate becomes U+FFFD (`clean`);
- in both, a float with an integral value is kept as the integer it is (2419200.0 as
  2419200): Rego numbers have no int/float distinction, and engines disagree on
  how to format or compare "2419200.0" and "1e+16".
"""
from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from .errors import InputError

NOT_A_NUMBER = "<not a JSON number: {}>"          # what NaN/Infinity become when collected
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class NotJson(ValueError):
    """A value that is not a JSON value, with where it is."""


def refuse_constant(name: str):
    raise NotJson(f"{name} is not a JSON number")


def constant_line(text: str) -> int:
    """The line of the first NaN/Infinity in JSON text (1 when not found)."""
    m = re.search(r"(?<![\w\"])(-?Infinity|NaN)(?![\w\"])", text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


def may_hold_surrogates(text: str) -> bool:
    """Only JSON text with a \\uD800-\\uDFFF escape can decode to a lone surrogate."""
    return bool(_SURROGATE_ESCAPE.search(text))


def number(text: str) -> int | float:
    f = float(text)
    if not math.isfinite(f):   # 1e999: a JSON number too large for a float, kept exactly
        return int(Decimal(text))
    return int(f) if f.is_integer() else f


def check(value: Any, where: str, path: str = "") -> None:
    """InputError for the first NaN, Infinity or lone surrogate in value."""
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError(f"{where}: {path or 'value'}: {value} is not a JSON number")
    if isinstance(value, str):
        if not _encodable(value):
            raise InputError(f"{where}: {path or 'value'}: a string with a lone surrogate "
                             "(\\ud800-\\udfff) is not valid Unicode")
    elif isinstance(value, dict):
        for k, v in value.items():
            check(k, where, f"{path}.{k!a}" if path else f"{k!a}")
            check(v, where, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            check(v, where, f"{path}[{i}]")


def clean(value: Any) -> Any:
    """A collected value as a JSON value: markers for NaN and Infinity, U+FFFD for a
    lone surrogate, integral floats as integers. Never raises."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return NOT_A_NUMBER.format(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return _replace_surrogates(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def integral(value: Any) -> Any:
    """Integral floats as integers, everywhere in value."""
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {k: integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [integral(v) for v in value]
    return value


def _encodable(s: str) -> bool:
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _replace_surrogates(s: str) -> str:
    if _encodable(s):
        return s
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in s)
