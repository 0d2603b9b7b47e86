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
