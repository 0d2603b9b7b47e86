"""Provenance: which Service Catalog product (and version) created an ML resource.

A provisioned product is a CloudFormation stack; its collector lists the stack's
resources (`facts.stack_resources`: type, logical id, physical id). Here each live
endpoint and notebook instance is matched against them (by ARN, or by name, with the
same type) in its own account and region, and gets the derived facet `provenance`:

    facts.provenance = {"kind": "service_catalog", "provisioned_product": …,
                        "product": …, "product_id": …, "version": "v2", "version_id": …,
                        "version_guidance": "DEFAULT", "portfolios": [{Id, DisplayName, ARN}], …}
    facts.provenance = {"kind": "none"}   # no provisioned product of its region created it

"none" is written only when it is known: the region's provisioned products were all
listed and each one's stack read. Otherwise the facet is incomplete, naming the read
that failed, and the policies that need it are NOT_ASSESSED. So is a match whose
product (for its portfolios) is not in the inventory or whose portfolios were not read.
Resources from templates get no provenance: how a template will be launched is not in it.

Idempotent: it recomputes from the provisioned products each time it runs.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .collectors.service_catalog import PRODUCT_TYPE, PROVISIONED_TYPE
from .facets import Facet
from .model import READ, FacetStatus, Resource

if TYPE_CHECKING:
    from .inventory import Inventory

PROVENANCE_TYPES = ("AWS::SageMaker::Endpoint", "AWS::SageMaker::NotebookInstance")

PROVENANCE_FACET = Facet(
    name="provenance", derived=True,
    paths=("resource.facts.provenance", "resource.facts.provenance_derived_by"),
    description="the Service Catalog provisioned product, product, version and portfolios that created the "
                "resource (scanner/provenance.py), or none; incomplete when those reads failed")

DERIVED_BY = ("mlwarden.provenance: the resource's ARN or name among the CloudFormation stack resources of "
              "the region's Service Catalog provisioned products (cloudformation:ListStackResources)")


def _key(type_: str, account: str, region: str, physical_id: str) -> tuple:
    # A physical id is an ARN for SageMaker endpoints and notebooks; a name is matched too.
    return (type_, account, region, physical_id.rsplit("/", 1)[-1] if physical_id.startswith("arn:") else physical_id)


def annotate_provenance(inv: "Inventory", collected_types: set[str] | None = None) -> None:
    from .derived import _gap_inputs, gap_index, incomplete
    gaps = gap_index(inv.gaps)
    created: dict[tuple, tuple[Resource, dict]] = {}
    # Per (account, region): why "none" cannot be said (a listing or a stack not read).
    unread: dict[tuple[str, str], list[str]] = {}
    products = {r.id: r for r in inv.resources if r.type == PRODUCT_TYPE}
    for pp in inv.resources:
        if pp.type != PROVISIONED_TYPE:
            continue
        status = pp.facet("stack_resources")
        if not status.read:
            unread.setdefault((pp.account, pp.region), []).append(
                f"{PROVISIONED_TYPE} {pp.id}: {status.operation or 'its stack'} failed with {status.error_code}")
            continue
        for sr in pp.facts.get("stack_resources") or []:
            if isinstance(sr, dict) and sr.get("ResourceType") in PROVENANCE_TYPES and sr.get("PhysicalResourceId"):
                created[_key(sr["ResourceType"], pp.account, pp.region, str(sr["PhysicalResourceId"]))] = (pp, sr)
    for r in inv.resources:
        if r.type not in PROVENANCE_TYPES or r.source.kind != "live":
            continue
        r.facts.pop("provenance", None)
        hit = created.get(_key(r.type, r.account, r.region, r.id))
        if hit is not None:
            r.facts["provenance"], r.facets["provenance"] = _from_product(hit[0], hit[1], products)
        else:
            missing = _gap_inputs(gaps, r.account, r.region, [PROVISIONED_TYPE], collected_types) \
                + unread.get((r.account, r.region), [])
            if missing:
                r.facets["provenance"] = incomplete(f"which Service Catalog product created {r.id}", missing)
                continue
            r.facts["provenance"] = {"kind": "none"}
            r.facets["provenance"] = READ
        r.facts["provenance_derived_by"] = DERIVED_BY


def _from_product(pp: Resource, sr: dict, products: dict[str, Resource]) -> tuple[dict, FacetStatus]:
    p = pp.properties
    out = {"kind": "service_catalog", "provisioned_product": p.get("ProvisionedProductName"),
           "provisioned_product_id": pp.id, "provisioned_product_arn": pp.arn, "stack": p.get("PhysicalId"),
           "logical_id": sr.get("LogicalResourceId"), "product": p.get("ProductName"),
           "product_id": p.get("ProductId"), "version": p.get("ProvisioningArtifactName"),
           "version_id": p.get("ProvisioningArtifactId")}
    product = products.get(str(p.get("ProductId")))
    if product is None:
        why = (f"product {p.get('ProductId')} of provisioned product {pp.id} is not in the scanned inventory "
               "(its portfolio's account may not have been scanned)")
        return out, FacetStatus.failed("", "ProductNotScanned", why)
    version = next((v for v in product.facts.get("versions") or []
                    if isinstance(v, dict) and v.get("Id") == p.get("ProvisioningArtifactId")), {})
    out.update(version_active=version.get("Active"), version_guidance=version.get("Guidance"),
               product_arn=product.arn)
    portfolios = product.facet("portfolios")
    if not portfolios.read:
        return out, portfolios
    out["portfolios"] = [{**d, "account": product.account} for d in product.facts.get("portfolios") or []
                         if isinstance(d, dict)]
    return out, READ
