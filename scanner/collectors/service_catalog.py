"""AWS Service Catalog: portfolios, products with their versions, provisioned products.

Platform teams offer ML infrastructure as products (a CloudFormation template per
version, "provisioning artifact") in portfolios; teams launch them as provisioned
products, each a CloudFormation stack. Three things are read here:

- a product's versions (DescribeProvisioningArtifact, Verbose: `Info.TemplateUrl`) and
  the template of each active version (s3:GetObject on that URL). The template is
  judged like any CloudFormation template by scanner/catalog_templates.py, which also
  drops its text from the inventory once parsed;
- the portfolios a product is in (ListPortfoliosForProduct), for "approved portfolio";
- the resources each provisioned product created: the stack named by its PhysicalId
  (cloudformation:ListStackResources). scanner/provenance.py links them back.

Each extra read is a facet: a failed one makes only the policies that need it
NOT_ASSESSED, naming the call.
"""
from __future__ import annotations

import hashlib
import re
from typing import Iterator
from ..aws.session import paginate
from ..facets import Facet
from ..model import CoverageGap, FacetStatus, Resource
from ..aws import calls
from ..aws.readonly import WriteRefused
from .base import (CollectorSpec, DescribeCall, ListCall, Scope, Shape, compact, error_code, facet_failure, gap_for,
                   read_facet, register, tag_list_to_dict)
from .sagemaker_common import iso

PORTFOLIO_TYPE = "AWS::ServiceCatalog::Portfolio"
PRODUCT_TYPE = "AWS::ServiceCatalog::CloudFormationProduct"
PROVISIONED_TYPE = "AWS::ServiceCatalog::CloudFormationProvisionedProduct"

VERSIONS_CALL = "servicecatalog:DescribeProvisioningArtifact"
TEMPLATE_CALL = "s3:GetObject"
PORTFOLIOS_CALL = "servicecatalog:ListPortfoliosForProduct"
STACK_CALL = "cloudformation:ListStackResources"

PRODUCT_FACETS = (
    Facet(name="versions", operations=(VERSIONS_CALL,), paths=("resource.facts.versions",),
          description="each version (provisioning artifact): active, guidance, template URL"),
    Facet(name="templates", operations=(VERSIONS_CALL, TEMPLATE_CALL),
          paths=("resource.facts.templates",),
          description="the template of each active version, read from S3 and scanned as CloudFormation"),
    Facet(name="portfolios", operations=(PORTFOLIOS_CALL,), paths=("resource.facts.portfolios",),
          description="the portfolios the product is in"),
)
PROVISIONED_FACETS = (
    Facet(name="stack_resources", operations=(STACK_CALL,),
          paths=("resource.facts.stack_resources", "resource.facts.stack_resources_derived_by"),
          description="the resources the provisioned product's CloudFormation stack created"),
)

# Templates larger than CloudFormation accepts from S3 (1 MB) are not templates it would launch.
MAX_TEMPLATE_BYTES = 1_000_000


def normalise_portfolio(d: dict, scope: Scope) -> Shape:
    detail = d.get("PortfolioDetail") or {}
    props = {"DisplayName": detail.get("DisplayName"), "ProviderName": detail.get("ProviderName"),
             "Description": detail.get("Description") or None, "CreatedTime": detail.get("CreatedTime")}
    return Shape(id=detail["Id"], arn=detail["ARN"], properties=iso(props), tags=tag_list_to_dict(d.get("Tags")))


def _versions(scope: Scope, product_id: str, summaries: list[dict]) -> list[dict]:
    client = scope.client("servicecatalog")
    out = []
    for s in summaries:
        a = client.describe_provisioning_artifact(ProductId=product_id, ProvisioningArtifactId=s["Id"], Verbose=True)
        # An empty or foreign answer (no detail, no Info) is unreadable, never a version without a template.
        if not isinstance(a.get("ProvisioningArtifactDetail"), dict) or not isinstance(a.get("Info"), dict):
            raise calls.ResponseUnreadable(action=VERSIONS_CALL, reason="no ProvisioningArtifactDetail and Info")
        detail = a["ProvisioningArtifactDetail"]
        out.append({"Id": detail.get("Id") or s["Id"], "Name": detail.get("Name") or s.get("Name"),
                    "Type": detail.get("Type"), "Active": detail.get("Active"), "Guidance": detail.get("Guidance"),
                    "CreatedTime": detail.get("CreatedTime"), "Status": a.get("Status"),
                    "TemplateUrl": (a.get("Info") or {}).get("TemplateUrl")})
    return out


_S3_URL = re.compile(r"^https://(?:(?P<vbucket>[^/]+?)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?/(?P<vkey>[^?]+)"
                     r"|s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?/(?P<bucket>[^/?]+)/(?P<key>[^?]+))")


def s3_location(url: str) -> tuple[str, str] | None:
    """(bucket, key) of a virtual-hosted or path-style S3 URL, else None."""
    from urllib.parse import unquote
    m = _S3_URL.match(url or "")
    if not m:
        return None
    return (m["vbucket"], unquote(m["vkey"])) if m["vbucket"] else (m["bucket"], unquote(m["key"]))


def read_template(scope: Scope, url: str) -> str:
    """The template text at an S3 URL, through the scan's read-only S3 client (s3:GetObject).
    A URL that is not S3 (GitHub, CodeStar connections) is not read: it raises, and the
    product's templates facet says why."""
    where = s3_location(url)
    if where is None:
        raise ValueError(f"template URL {url or '(none)'} is not an S3 object URL; mlwarden reads templates "
                         "only through s3:GetObject")
    # ChecksumMode: where the object was stored with a checksum, botocore checks the body.
    obj = scope.client("s3").get_object(Bucket=where[0], Key=where[1], ChecksumMode="ENABLED")
    body = obj["Body"].read(MAX_TEMPLATE_BYTES + 1)
    if len(body) > MAX_TEMPLATE_BYTES:
        raise ValueError(f"template s3://{where[0]}/{where[1]} is larger than {MAX_TEMPLATE_BYTES} bytes")
    obj["Body"].read()   # the end of the stream: where botocore checks a stored checksum
    _check_body(obj, body)
    return body.decode("utf-8")


def _check_body(obj: dict, body: bytes) -> None:
    """An answer is an S3 object only with its ETag, and a body that matches it where the
    ETag is the MD5 of the content (single-part upload, not SSE-KMS). An HTML page or a
    cut-off body is an unreadable answer naming s3:GetObject, never a template that
    "does not parse" (which MLW-GOV-002 would fail)."""
    etag = str(obj.get("ETag") or "").strip('"')
    if not etag:
        raise calls.ResponseUnreadable(action=TEMPLATE_CALL, reason="no ETag: the answer is not an S3 object")
    plain_md5 = re.fullmatch(r"[0-9a-f]{32}", etag) is not None
    if plain_md5 and obj.get("ServerSideEncryption") not in ("aws:kms", "aws:kms:dsse") and \
            hashlib.md5(body, usedforsecurity=False).hexdigest() != etag:
        raise calls.ResponseUnreadable(action=TEMPLATE_CALL, reason="the body does not match the object's ETag")


def _templates(scope: Scope, versions: list[dict], facets: dict) -> list[dict]:
    """Per active CloudFormation version: its template (text kept until
    scanner/catalog_templates.py has parsed it). A version whose template cannot be read
    marks the `templates` facet failed, naming the version and the call; the others are
    still read."""
    out = []
    for v in versions:
        if v.get("Active") is False or (v.get("Type") or "CLOUD_FORMATION_TEMPLATE") != "CLOUD_FORMATION_TEMPLATE":
            continue
        entry = {"VersionId": v["Id"], "Version": v["Name"], "TemplateUrl": v.get("TemplateUrl")}
        try:
            body = read_template(scope, v.get("TemplateUrl") or "")
        except Exception as exc:  # noqa: BLE001 - any failure is this version's unread template
            if isinstance(exc, WriteRefused):
                raise
            status = facet_failure(TEMPLATE_CALL, exc)
            facets.setdefault("templates", FacetStatus.failed(
                status.operation, status.error_code,
                f"template of version {v['Name']} ({v.get('TemplateUrl') or 'no URL'}) could not be read: "
                f"{status.message}"))
            entry["read"] = False
            out.append(entry)
            continue
        entry.update(read=True, sha256=hashlib.sha256(body.encode()).hexdigest(), body=body)
        out.append(entry)
    return out


def normalise_product(item: dict, scope: Scope) -> Shape:
    summary = item.get("ProductViewSummary") or {}
    product_id = summary["ProductId"]
    client = scope.client("servicecatalog")
    # DescribeProductAsAdmin: the versions and the tags. Its failure is the product's gap.
    d = client.describe_product_as_admin(Id=product_id)
    # Every product has a version (CreateProduct makes the first): an answer without them is
    # unreadable, never a product with nothing to scan.
    if not isinstance(d.get("ProductViewDetail"), dict) or not isinstance(d.get("ProvisioningArtifactSummaries"), list):
        raise calls.ResponseUnreadable(action="servicecatalog:DescribeProductAsAdmin",
                                       reason="no ProductViewDetail and ProvisioningArtifactSummaries")
    view = d.get("ProductViewDetail") or item
    s = view.get("ProductViewSummary") or summary
    facets: dict = {}
    versions = read_facet(facets, "versions", VERSIONS_CALL,
                          lambda: _versions(scope, product_id, list(d.get("ProvisioningArtifactSummaries") or [])))
    templates = None
    if versions is None:
        facets["templates"] = facets["versions"]
    else:
        templates = _templates(scope, versions, facets)
    portfolios = read_facet(facets, "portfolios", PORTFOLIOS_CALL, lambda: [
        {"Id": p.get("Id"), "DisplayName": p.get("DisplayName"), "ARN": p.get("ARN")}
        for p in paginate(client, "ListPortfoliosForProduct", "PortfolioDetails", ProductId=product_id)])
    props = {
        "Name": s.get("Name"), "Owner": s.get("Owner"), "Description": s.get("ShortDescription"),
        "Distributor": s.get("Distributor") or None, "SupportDescription": s.get("SupportDescription"),
        "SupportEmail": s.get("SupportEmail"), "SupportUrl": s.get("SupportUrl"),
        "ProductType": s.get("Type"), "Status": view.get("Status"), "CreatedTime": view.get("CreatedTime"),
        "ProvisioningArtifactParameters": [
            {"Name": v.get("Name"), "Type": v.get("Type"), "Info": {"LoadTemplateFromURL": v.get("TemplateUrl")}}
            for v in versions or []] or None,
    }
    facts: dict = {}
    if versions is not None:
        facts["versions"] = versions
    if templates is not None:
        facts["templates"] = templates
    if portfolios is not None:
        facts["portfolios"] = portfolios
    return Shape(id=product_id, arn=view.get("ProductARN") or scope.arn("catalog", f"product/{product_id}"),
                 properties=iso(props), facts=iso(facts), tags=tag_list_to_dict(d.get("Tags")), facets=facets)


# Nested stacks followed this deep (CloudFormation itself nests templates; products rarely go past two).
MAX_NESTING = 5


def _stack_resources(scope: Scope, stack: str, path: str = "", depth: int = 0) -> list[dict]:
    """The stack's resources, and those of the stacks it nests (an endpoint a nested stack
    creates is the product's too): `LogicalResourceId` is then "Nested/Endpoint"."""
    client = scope.client("cloudformation")
    out = []
    for r in paginate(client, "ListStackResources", "StackResourceSummaries", StackName=stack):
        logical = f"{path}{r.get('LogicalResourceId')}"
        out.append({"LogicalResourceId": logical, "PhysicalResourceId": r.get("PhysicalResourceId"),
                    "ResourceType": r.get("ResourceType"), "ResourceStatus": r.get("ResourceStatus")})
        if r.get("ResourceType") == "AWS::CloudFormation::Stack" and r.get("PhysicalResourceId"):
            if depth + 1 >= MAX_NESTING:
                raise ValueError(f"stack {stack} nests stacks deeper than {MAX_NESTING} levels; not followed")
            out += _stack_resources(scope, r["PhysicalResourceId"], f"{logical}/", depth + 1)
    return out


def normalise_provisioned(d: dict, scope: Scope) -> Shape:
    props = {
        "ProvisionedProductName": d.get("Name"), "ProductId": d.get("ProductId"),
        "ProductName": d.get("ProductName"), "ProvisioningArtifactId": d.get("ProvisioningArtifactId"),
        "ProvisioningArtifactName": d.get("ProvisioningArtifactName"), "Type": d.get("Type"),
        "Status": d.get("Status"), "StatusMessage": d.get("StatusMessage") or None,
        "PhysicalId": d.get("PhysicalId"), "CreatedTime": d.get("CreatedTime"),
        "UserArn": d.get("UserArn"), "LastSuccessfulProvisioningRecordId": d.get("LastSuccessfulProvisioningRecordId"),
    }
    facets: dict = {}
    facts: dict = {}
    if d.get("Type") == "CFN_STACK" and d.get("PhysicalId"):
        created = read_facet(facets, "stack_resources", STACK_CALL, lambda: _stack_resources(scope, d["PhysicalId"]))
        if created is not None:
            facts = {"stack_resources": created,
                     "stack_resources_derived_by": f"{STACK_CALL} on the stack named by PhysicalId"}
    else:
        facets["stack_resources"] = FacetStatus.failed(
            "", "NotACloudFormationStack",
            f"provisioned product {d.get('Name')} is of type {d.get('Type')} without a CloudFormation stack "
            "mlwarden can list")
    return Shape(id=d["Id"], arn=d.get("Arn") or scope.arn("servicecatalog", f"stack/{d.get('Name')}/{d['Id']}"),
                 properties=iso(props), facts=facts, tags=tag_list_to_dict(d.get("Tags")), facets=facets)


def _collect_products(scope: Scope) -> Iterator[Resource | CoverageGap]:
    """SearchProductsAsAdmin, then each product. Custom only to name a product whose
    describe failed by its ProductId (the listing nests it in ProductViewSummary)."""
    for item in paginate(scope.client("servicecatalog"), "SearchProductsAsAdmin", "ProductViewDetails"):
        product_id = str((item.get("ProductViewSummary") or {}).get("ProductId") or "?")
        try:
            shape = normalise_product(item, scope)
        except Exception as exc:  # noqa: BLE001 - any failure is this product's gap (gap_for re-raises WriteRefused)
            if error_code(exc) != "ResourceNotFoundException":   # else: deleted since the listing
                yield gap_for(PRODUCT_SPEC, scope, getattr(exc, "operation_name", None) or "DescribeProductAsAdmin",
                              exc, resource_id=product_id)
            continue
        yield Resource(type=PRODUCT_TYPE, id=shape.id, arn=shape.arn, account=scope.account, region=scope.region,
                       tags=shape.tags or {}, properties=compact(shape.properties), facts=shape.facts,
                       relations=shape.relations, facets=dict(shape.facets))


PRODUCT_SPEC = CollectorSpec(
    type=PRODUCT_TYPE, service="servicecatalog", iam_prefix="servicecatalog", custom=_collect_products,
    facets=PRODUCT_FACETS,
    extra_permissions=("servicecatalog:SearchProductsAsAdmin", "servicecatalog:DescribeProductAsAdmin",
                       VERSIONS_CALL, TEMPLATE_CALL, PORTFOLIOS_CALL),
    description="Service Catalog products: versions, the template of each active version, portfolios",
)

register(
    CollectorSpec(
        type=PORTFOLIO_TYPE, service="servicecatalog", iam_prefix="servicecatalog",
        list_call=ListCall(operation="ListPortfolios", result_key="PortfolioDetails"),
        describe_call=DescribeCall(operation="DescribePortfolio", param="Id", item_key="Id"),
        normalise=normalise_portfolio,
        description="Service Catalog portfolios: name, provider, tags",
    ),
    PRODUCT_SPEC,
    CollectorSpec(
        type=PROVISIONED_TYPE, service="servicecatalog", iam_prefix="servicecatalog",
        # Account/self: every provisioned product of the account, not only the caller's.
        list_call=ListCall(operation="SearchProvisionedProducts", result_key="ProvisionedProducts",
                           params={"AccessLevelFilter": {"Key": "Account", "Value": "self"}}),
        normalise=normalise_provisioned, facets=PROVISIONED_FACETS, extra_permissions=(STACK_CALL,),
        description="Service Catalog provisioned products: product, version, the resources their stack created",
    ),
)
