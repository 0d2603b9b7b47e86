"""Facets: the separately read parts of a resource document, declared as data.

A resource is built from several reads: its describe call, its tags, and for some
types more (an endpoint's autoscaling, a model package's signing key and artefact).
Each such part is a facet. A collector spec declares its type's facets (default:
`describe` and, for tagged types, `tags`), the calls that read each one, and the
policy-input paths each one fills. A resource records per facet whether the read
succeeded (`Resource.facets`); a policy declares the facets it reads
(`custom.facets` in its METADATA), and a policy whose facet is missing on a resource
is NOT_ASSESSED there, naming the failed call (`scanner/evaluate.py`).

The input paths are what makes a declaration checkable: a test removes every path of
every facet a policy does not declare and requires the verdict to stay the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .model import FacetStatus


@dataclass(frozen=True, kw_only=True)
class Facet:
    """One part of a resource type's document and how it is read."""
    name: str
    # Paths in the policy input this facet fills ("resource.tags",
    # "resource.facts.autoscaling"). The longest matching path owns a value.
    paths: tuple[str, ...]
    operations: tuple[str, ...] = ()   # the calls that read it ("sagemaker:ListTags")
    derived: bool = False              # computed from other resources (lineage, usage counts)
    description: str = ""


# What every resource document has: the listing/describe (properties, the facts
# derived from them, the relations resolved into input.related).
DESCRIBE = Facet(
    name="describe",
    paths=("resource.id", "resource.arn", "resource.properties", "resource.facts", "related",
           "related_missing"),
    description="the listing and describe calls: properties, facts derived from them, relations")

TAGS = Facet(name="tags", paths=("resource.tags",), description="the resource's tags")

# Production-ness, owners and cost centres come from tags: a policy that reads
# util.is_production reads the tags facet.


def default_facets(*, tagged: bool, tag_operations: tuple[str, ...] = ()) -> tuple[Facet, ...]:
    """describe + tags: what a spec that declares nothing has."""
    if not tagged:
        return (DESCRIBE,)
    tags = TAGS if not tag_operations else Facet(name="tags", paths=TAGS.paths, operations=tag_operations,
                                                 description=TAGS.description)
    return (DESCRIBE, tags)


def owner(facets: dict[str, Facet], path: str) -> str | None:
    """The facet whose declared path is the longest prefix of `path` (dotted)."""
    best, best_len = None, -1
    for f in facets.values():
        for p in f.paths:
            if (path == p or path.startswith(p + ".")) and len(p) > best_len:
                best, best_len = f.name, len(p)
    return best


INCOMPLETE = "Incomplete"
_FAILED_READ = re.compile(r"(\S+) failed with (\S+)")


def incomplete(what: str, inputs: list[str]) -> FacetStatus:
    """A derived facet's status: named after the first failed read among its inputs."""
    first = next((m for m in map(_FAILED_READ.search, inputs) if m), None)
    op, code = (first.group(1), first.group(2)) if first else ("", INCOMPLETE)
    return FacetStatus.failed(op, code, f"{what} is derived from reads that did not complete", inputs)
