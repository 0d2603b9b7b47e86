"""Report renderers: one module per output format, registered by name.

Adding a format is a one-file change: a module in this package that calls
`register(Renderer(...))`; `registry()` imports every module here.
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:
    from mlwarden.findings import FindingsDocument


@dataclass(frozen=True, kw_only=True)
class RenderContext:
    """What a renderer may need beyond the findings."""
    out_dir: Path
    previous: "FindingsDocument | None" = None   # for "changes since" views
    inventory: dict | None = None               # inventory.json content, when available
    options: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Renderer:
    name: str                       # the --format value
    filename: str                   # file written in the output directory
    description: str
    render: Callable[["FindingsDocument", RenderContext], bytes]
    # The same bytes in pieces, for a report large enough that holding all of it matters:
    # `write_reports` writes (and digests) them as they come.
    stream: Callable[["FindingsDocument", RenderContext], Iterator[bytes]] | None = None


_REGISTRY: dict[str, Renderer] = {}


def register(renderer: Renderer) -> None:
    if renderer.name in _REGISTRY:
        raise ValueError(f"report format {renderer.name} registered twice")
    _REGISTRY[renderer.name] = renderer


def registry() -> dict[str, Renderer]:
    from mlwarden import reports as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in ("base", "write"):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")
    return dict(_REGISTRY)
