"""Every resource type's facets, by name: what its collector reads and what is derived.

The collected facets come from each type's descriptor (`CollectorSpec.all_facets`,
scanner/collectors/base.py); the derived ones from scanner/derived.py, which also
declares the facets of documents no collector reads (`MLW::SageMaker::ServiceUsage`).
Policy METADATA is checked against this catalogue (scanner/policy/metadata.py).
"""
from __future__ import annotations

from .derived import DERIVED_FACETS
from .facets import Facet, default_facets
from .type_registry import resource_types


def catalogue() -> dict[str, dict[str, Facet]]:
    """Every resource type's facets, by name: collected types and derived documents."""
    out = {t: {f.name: f for f in d.all_facets} for t, d in resource_types().items() if hasattr(d, "all_facets")}
    for type_, facets in DERIVED_FACETS.items():
        out.setdefault(type_, {f.name: f for f in default_facets(tagged=False)})
        out[type_].update({f.name: f for f in facets})
    return out
