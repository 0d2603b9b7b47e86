"""Large JSON documents written piece by piece, with the bytes `json.dump(doc, indent=1,
default=str)` writes.

findings.json and inventory.json are a small header around one long list (findings,
resources). Building the whole document as dicts first (`to_dict()`) holds a second copy
of every finding or resource beside the objects it came from (for an account-sized
scan tens of MB, at the moment the scan's memory peaks); here each list item is turned
into its dict and encoded only when it is written, one at a time.

With an indent, json's encoder is the pure-Python one: a value encoded on its own and
shifted right by its nesting depth (JSON text has no raw newline inside a string, so
every line break is indentation) is the text the encoder writes for it in place.
"""
from __future__ import annotations

import json
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, TextIO

_ENCODER = json.JSONEncoder(indent=1, default=str)
_CHUNK = 1 << 16   # characters handed to the file at a time


def _nested(value: Any, depth: int) -> str:
    return _ENCODER.encode(value).replace("\n", "\n" + " " * depth)


def iter_document(head: Mapping[str, Any], lists: Mapping[str, Callable[[], Iterable[Any]]]) -> Iterator[str]:
    """The text of `head` with each key in `lists` (present in `head`, whose value there
    is ignored) given the list of the items its callable yields, encoded one at a time."""
    if not head:
        yield "{}"
        return
    for n, (key, value) in enumerate(head.items()):
        yield ("{\n " if n == 0 else ",\n ") + _ENCODER.encode(key) + ": "
        if key not in lists:
            yield _nested(value, 1)
            continue
        empty = True
        for item in lists[key]():
            yield ("[\n  " if empty else ",\n  ") + _nested(item, 2)
            empty = False
        yield "[]" if empty else "\n ]"
    yield "\n}"


_FLAT = json.JSONEncoder(default=str)


def iter_flat_document(head: Mapping[str, Any], lists: Mapping[str, Callable[[], Iterable[Any]]]) -> Iterator[str]:
    """As `iter_document`, the text `json.dumps(doc, default=str)` gives (no indent: the
    audit function's inventory.json)."""
    yield "{"
    for n, (key, value) in enumerate(head.items()):
        yield (", " if n else "") + _FLAT.encode(key) + ": "
        if key not in lists:
            yield _FLAT.encode(value)
            continue
        yield "["
        for i, item in enumerate(lists[key]()):
            yield (", " if i else "") + _FLAT.encode(item)
        yield "]"
    yield "}"


def _chunks(pieces: Iterable[str]) -> Iterator[str]:
    buf: list[str] = []
    size = 0
    for piece in pieces:
        buf.append(piece)
        size += len(piece)
        if size >= _CHUNK:
            yield "".join(buf)
            buf.clear()
            size = 0
    if buf:
        yield "".join(buf)


def write_text(fh: TextIO, pieces: Iterable[str]) -> None:
    for chunk in _chunks(pieces):
        fh.write(chunk)


def iter_bytes(pieces: Iterable[str]) -> Iterator[bytes]:
    for chunk in _chunks(pieces):
        yield chunk.encode()


def write_bytes(fh: BinaryIO, pieces: Iterable[str]) -> None:
    for chunk in iter_bytes(pieces):
        fh.write(chunk)


class Items:
    """A list inside a document given to `iter_value`: its items are made (by `make`) and
    encoded one at a time, when the list is written."""
    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Iterable[Any]]):
        self.make = make


def _holds_items(value: Any) -> bool:
    if isinstance(value, Items):
        return True
    if isinstance(value, dict):
        return any(_holds_items(v) for v in value.values())
    if isinstance(value, list):
        return any(_holds_items(v) for v in value)
    return False


def iter_value(value: Any, depth: int = 0) -> Iterator[str]:
    """The text `json.dumps(value, indent=1, default=str)` gives, where each `Items` found
    (however deep, through dicts with string keys and lists) stands for the list of what
    it yields: for a report whose long list is not at the top (SARIF's results)."""
    if isinstance(value, Items):
        empty = True
        pad = "\n" + " " * (depth + 1)
        for item in value.make():
            yield ("[" if empty else ",") + pad + _nested(item, depth + 1)
            empty = False
        yield "[]" if empty else "\n" + " " * depth + "]"
    elif isinstance(value, (dict, list)) and _holds_items(value):   # so not empty
        pad = "\n" + " " * (depth + 1)
        opening, closing = ("{", "}") if isinstance(value, dict) else ("[", "]")
        pairs = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for n, (key, item) in enumerate(pairs):
            yield (opening if n == 0 else ",") + pad + ("" if key is None else _ENCODER.encode(key) + ": ")
            yield from iter_value(item, depth + 1)
        yield "\n" + " " * depth + closing
    else:
        yield _nested(value, depth)


_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str)
_SLICE = 2048   # list items encoded at a time by iter_compact


def iter_compact(value: Any) -> Iterator[str]:
    """The text `json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)`
    gives, in pieces: a long list (at any depth under dicts) is encoded a slice of items
    at a time (C encoder), so the whole text never exists at once."""
    if isinstance(value, dict) and value and all(isinstance(k, str) for k in value):
        for n, (key, item) in enumerate(value.items()):
            yield ("{" if n == 0 else ",") + _COMPACT.encode(key) + ":"
            yield from iter_compact(item)
        yield "}"
    elif isinstance(value, list) and len(value) > _SLICE:
        for i in range(0, len(value), _SLICE):
            yield ("[" if i == 0 else ",") + _COMPACT.encode(value[i:i + _SLICE])[1:-1]
        yield "]"
    else:
        yield _COMPACT.encode(value)


def chunks(pieces: Iterable[str]) -> Iterator[str]:
    """Small pieces joined into pieces of about 64 K characters, for writing."""
    return _chunks(pieces)
