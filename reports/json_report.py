"""findings.json: the machine-readable result every other tool reads."""
from __future__ import annotations

from typing import Iterator

from mlwarden.json_stream import iter_bytes

from .base import Renderer, register


def stream(doc, ctx) -> Iterator[bytes]:
    """The document a finding at a time (`FindingsDocument.iter_json`): for an
    account-sized scan neither all findings as dicts nor the whole text are held at once."""
    return iter_bytes(doc.iter_json())


def render(doc, ctx) -> bytes:
    return b"".join(stream(doc, ctx))


register(Renderer(name="json", filename="findings.json", description="findings.json (schema_version 1)",
                  render=render, stream=stream))
