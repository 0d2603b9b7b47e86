"""findings.json: the machine-readable result every other tool reads."""
from __future__ import annotations

import io
import json

from .base import Renderer, register

# Pieces of the encoder's output joined and encoded at a time. json.dumps with an indent
# encodes in Python and joins every piece at the end: for an account-sized scan millions
# of small strings, held at once beside the document (tens of MB more peak memory than
# the bytes written). In batches only the bytes and one batch are held; the bytes are the same.
_BATCH = 8192


def render(doc, ctx) -> bytes:
    out, pieces = io.BytesIO(), []
    for piece in json.JSONEncoder(indent=1, default=str).iterencode(doc.to_dict()):
        pieces.append(piece)
        if len(pieces) >= _BATCH:
            out.write("".join(pieces).encode())
            pieces.clear()
    out.write("".join(pieces).encode())
    return out.getvalue()


register(Renderer(name="json", filename="findings.json", description="findings.json (schema_version 1)",
                  render=render))
