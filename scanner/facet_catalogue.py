"""Every resource type's facets, by name: what its collector reads and what is derived.

The collected facets come from each type's descriptor (`CollectorSpec.all_facets`,
scanner/collectors/base.py); the derived ones from `DERIVED_FACETS` below, which also
declares the facets of documents no collector reads (`MLW::SageMaker::ServiceUsage`).
Policy METADATA is checked against this catalogue (scanner/policy/metadata.py).
"""
from __future__ import annotations

import functools

from .derived import USAGE_FACETS, USAGE_TYPE
from .drift_links import DRIFT_CONSTRAINTS_FACET, DRIFT_RESPONSE_FACET
from .facets import Facet, default_facets
from .ml_estate import ML_ESTATE_FACET
from .monitoring_links import JOB_DEFINITION_FACET, SCHEDULE_TYPE
from .provenance import PROVENANCE_FACET, PROVENANCE_TYPES
from .type_registry import resource_types

# Derived facets of types that are not collected, or not only (the derivations that fill
# them: scanner/derivations.py).
DERIVED_FACETS: dict[str, tuple[Facet, ...]] = {
    USAGE_TYPE: USAGE_FACETS,
    **{t: (ML_ESTATE_FACET,) for t in ("AWS::S3::Bucket", "AWS::KMS::Key", "AWS::IAM::Role")},
    SCHEDULE_TYPE: (JOB_DEFINITION_FACET,),
    **{t: (PROVENANCE_FACET,) for t in PROVENANCE_TYPES},
    # After the line above, which also names endpoints: an endpoint has all three.
    "AWS::SageMaker::Endpoint": (DRIFT_RESPONSE_FACET, DRIFT_CONSTRAINTS_FACET, PROVENANCE_FACET),
}


@functools.lru_cache(maxsize=None)
def derived_facet_names(type_: str) -> frozenset[str]:
    """The facets of `type_` a derivation fills (lineage, ml_estate, provenance, …): a
    resource of that type without one was not derived, which is not the same as read."""
    return frozenset(name for name, f in catalogue().get(type_, {}).items() if f.derived)


def catalogue() -> dict[str, dict[str, Facet]]:
    """Every resource type's facets, by name: collected types and derived documents."""
    out = {t: {f.name: f for f in d.all_facets} for t, d in resource_types().items() if hasattr(d, "all_facets")}
    for type_, facets in DERIVED_FACETS.items():
        out.setdefault(type_, {f.name: f for f in default_facets(tagged=False)})
        out[type_].update({f.name: f for f in facets})
    return out
