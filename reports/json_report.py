"""findings.json: the machine-readable result every other tool reads."""
from __future__ import annotations

import json

from .base import Renderer, register


def render(doc, ctx) -> bytes:
    return json.dumps(doc.to_dict(), indent=1, default=str).encode()


register(Renderer(name="json", filename="findings.json", description="findings.json (schema_version 1)",
                  render=render))
