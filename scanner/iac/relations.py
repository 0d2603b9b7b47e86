"""Relations of template / plan / pipeline resources, derived from their properties.

Live collectors name related resources by ARN or id. In a template the same property
usually holds a reference to another resource of the same file (`!GetAtt Role.Arn`,
`aws_iam_role.exec.arn`). The loaders turn such a reference into the referenced
resource's synthetic ARN (`cfn://<file>#<LogicalId>`, `tf://<file>#<address>`), which is
also that resource's `arn`, so `RelationIndex` (scanner/relations.py) resolves it exactly as it
resolves a live ARN. A literal ARN or id of something outside the file stays as written
(and lands in `input.related_missing` unless the inventory holds it).

Which property paths hold which relation is declared by each type's descriptor
(`ResourceType.relations`, scanner/resource_type.py; relation names from
docs/resource-model.md). `[]` walks a list.
"""
from __future__ import annotations

import re
from typing import Any

from ..type_registry import resource_types
from .synthetic import SCHEMES
from .unknown import is_unknown

# A synthetic reference inside a longer string, e.g. "s3://cfn://t.yaml#Data/prefix".
_SYNTHETIC = re.compile(rf"(?:{'|'.join(SCHEMES)})://[^#\s]+#[\w.\-\[\]\"]+")


def values_at(props: Any, path: str) -> list[Any]:
    """Every value at a dotted path with `[]` list steps; absent paths give nothing."""
    nodes = [props]
    for part in path.split("."):
        many = part.endswith("[]")
        key = part[:-2] if many else part
        nxt = []
        for n in nodes:
            if isinstance(n, dict) and key in n:
                v = n[key]
                if many:
                    nxt.extend(v if isinstance(v, list) else [])
                else:
                    nxt.append(v)
        nodes = nxt
    return nodes


def _ref(value: Any, relation: str) -> str | None:
    if not isinstance(value, str) or not value or is_unknown(value):
        return None
    m = _SYNTHETIC.search(value)
    if m and not value.startswith(tuple(f"{s}://" for s in SCHEMES)):
        return m.group(0)   # embedded in a URI: the referenced resource
    if relation == "buckets":
        if value.startswith("s3://"):
            return value[5:].split("/", 1)[0] or None
        return None if "://" in value and not m else value
    return value


def relation_paths(resource_type: str) -> dict[str, tuple[str, ...]]:
    """Relation name → the property paths that hold it, as the type's descriptor declares."""
    d = resource_types().get(resource_type)
    return {r.name: r.paths for r in (d.relations if d is not None else ()) if r.paths}


def derive_relations(resource_type: str, props: dict) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, paths in relation_paths(resource_type).items():
        refs = [r for p in paths for v in values_at(props, p) if (r := _ref(v, name))]
        if refs:
            out[name] = list(dict.fromkeys(refs))
    return out
