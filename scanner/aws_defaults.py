"""The values AWS applies when a resource leaves a property out, and how they are filled.

A describe answer may omit a field that AWS nonetheless applies (a notebook's
RootAccess), and a template or plan may leave it out altogether. Policies must see the
same value either way, or one configuration would get two verdicts. So each type's
descriptor declares its defaults once (`ResourceType.defaults`, in the type's collector
module), and the live collectors, the IaC normaliser and the remediation runbooks all
fill such fields from that declaration through `apply_defaults` (or `default_value`
for a single field); `scanner/type_registry.py: defaults_for` finds a type's entries.

A path is dotted property names; `Name[]` means every item of the list `Name`. A field
is filled when it is absent or null; a parent object that is absent is created only
where AWS applies the parent too (`create_parent`), otherwise there is nothing to fill.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable


@dataclass(frozen=True, kw_only=True)
class AwsDefault:
    """`value` is what AWS applies at `path` of a document of the declaring type left without it."""
    path: str
    value: Any
    reference: str                 # the AWS API reference field that documents the default
    create_parent: bool = False    # the parent object is applied by AWS too, so create it when absent
    live: bool = True              # False: only a template or plan can leave it out (see the entry)


def default_value(defaults: Iterable[AwsDefault], path: str) -> Any:
    """The value AWS applies at `path` among a type's `defaults`; KeyError when it has none."""
    if isinstance(defaults, str):
        raise TypeError(f"default_value takes a descriptor's defaults (ResourceType.defaults), not {defaults!r}")
    for d in defaults:
        if d.path == path:
            return d.value
    raise KeyError(f"no AWS default for {path}")


def _fill(node: Any, steps: list[str], entry: AwsDefault, opaque: Callable[[Any], bool]) -> None:
    if not isinstance(node, dict) or opaque(node):
        return
    step, rest = steps[0], steps[1:]
    if not rest:
        if node.get(step) is None:
            node[step] = entry.value
        return
    if step.endswith("[]"):
        items = node.get(step[:-2])
        for item in items if isinstance(items, list) else ():
            _fill(item, rest, entry, opaque)
        return
    if node.get(step) is None and entry.create_parent:
        node[step] = {}
    _fill(node.get(step), rest, entry, opaque)


def apply_defaults(defaults: Iterable[AwsDefault], properties: dict, *, live: bool = False,
                   opaque: Callable[[Any], bool] = lambda _: False) -> dict:
    """Fill, in place, every field of `defaults` (one type's) that `properties` leaves out;
    returns it.

    `live`: only the entries a describe answer may omit. `opaque`: values not to look
    into (a value unknown before deployment is a marker object, not the property's)."""
    if isinstance(defaults, str):   # the signature before descriptors took a type name
        raise TypeError(f"apply_defaults takes a descriptor's defaults (ResourceType.defaults), not {defaults!r}")
    for entry in defaults:
        if entry.live or not live:
            _fill(properties, entry.path.split("."), entry, opaque)
    return properties
