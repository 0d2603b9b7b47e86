"""Service Catalog for the demo's moto server, following the AWS API reference.

moto 5.2.5 answers CreatePortfolio, ListPortfolios, DescribePortfolio and CreateProduct,
but keeps no provisioning artifacts (versions), cannot associate a product with a
portfolio and has no provisioned products. The scanner reads a catalog through
SearchProductsAsAdmin, DescribeProductAsAdmin, DescribeProvisioningArtifact (Verbose:
Info.TemplateUrl), ListPortfoliosForProduct and SearchProvisionedProducts, and the demo
builds one through CreateProduct, CreateProvisioningArtifact,
AssociateProductWithPortfolio and ProvisionProduct; this module adds those operations to
moto's servicecatalog backend with the request and response members of the reference.

ProvisionProduct does what Service Catalog does: it reads the version's template from
S3 (Info.LoadTemplateFromURL) and launches it as a CloudFormation stack
(`SC-<account>-<provisioned product id>`) in moto's CloudFormation backend, so the
stack's resources (a SageMaker endpoint, say) exist and `ListStackResources` names them.
The provisioned product's PhysicalId is the stack's ARN, as in AWS. Records, plans,
updates and terminations are left out: the demo never makes them.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any


def install() -> None:
    from moto.servicecatalog.models import ServiceCatalogBackend
    from moto.servicecatalog.responses import ServiceCatalogResponse

    ServiceCatalogBackend.mlw = property(_state)
    for name, fn in {
        "create_product": _create_product,
        "create_provisioning_artifact": _create_provisioning_artifact,
        "describe_product_as_admin": _describe_product_as_admin,
        "search_products_as_admin": _search_products_as_admin,
        "describe_provisioning_artifact": _describe_provisioning_artifact,
        "associate_product_with_portfolio": _associate_product_with_portfolio,
        "list_portfolios_for_product": _list_portfolios_for_product,
        "provision_product": _provision_product,
        "search_provisioned_products": _search_provisioned_products,
    }.items():
        setattr(ServiceCatalogResponse, name, fn)
    _cloudformation_sagemaker()


def _cloudformation_sagemaker() -> None:
    """What moto's CloudFormation drops when a stack creates SageMaker resources: the
    names the template gives (EndpointName, EndpointConfigName, ModelName; moto makes up
    `<stack>-<logical id>-<random>`) and a model's EnableNetworkIsolation. AWS keeps both."""
    from moto.sagemaker.models import FakeEndpoint, FakeEndpointConfig, Model

    for cls, prop in ((FakeEndpoint, "EndpointName"), (FakeEndpointConfig, "EndpointConfigName"),
                      (Model, "ModelName")):
        cls.cloudformation_name_type = staticmethod(lambda prop=prop: prop)
    original = Model.create_from_cloudformation_json.__func__

    def create_model(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        model = original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        model.enable_network_isolation = bool(cloudformation_json["Properties"].get("EnableNetworkIsolation"))
        return model

    Model.create_from_cloudformation_json = classmethod(create_model)


def _state(backend) -> dict:
    """Per account and region: versions per product, portfolio ids per product,
    provisioned products by id."""
    if not hasattr(backend, "_mlw_catalog"):
        backend._mlw_catalog = {"artifacts": {}, "portfolios": {}, "provisioned": {}}
    return backend._mlw_catalog


def _now() -> float:
    return dt.datetime.now(dt.timezone.utc).timestamp()


def _error(code: str, message: str) -> Exception:
    from moto.core.exceptions import JsonRESTError
    return JsonRESTError(code, message)


def _body(self) -> dict:
    return json.loads(self.body or "{}")


def _product(self, product_id: str):
    product = self.servicecatalog_backend.products.get(product_id)
    if product is None:
        raise _error("ResourceNotFoundException", f"Product {product_id} not found.")
    return product


def _artifact(parameters: dict) -> dict:
    """A ProvisioningArtifactDetail (+ the Info the version was created with)."""
    return {"Id": f"pa-{uuid.uuid4().hex[:13]}", "Name": parameters.get("Name") or "v1",
            "Description": parameters.get("Description") or "",
            "Type": parameters.get("Type") or "CLOUD_FORMATION_TEMPLATE", "CreatedTime": _now(),
            "Active": True, "Guidance": "DEFAULT", "Info": dict(parameters.get("Info") or {})}


def _detail(a: dict) -> dict:
    return {k: v for k, v in a.items() if k != "Info"}


def _view_detail(product) -> dict:
    return {"ProductViewSummary": product.to_dict(), "Status": "AVAILABLE", "ProductARN": product.arn,
            "CreatedTime": product.created_time.timestamp()}


def _create_product(self) -> str:
    """moto's CreateProduct, keeping ProvisioningArtifactParameters as the first version."""
    p = _body(self)
    product = self.servicecatalog_backend.create_product(
        name=p.get("Name"), owner=p.get("Owner"), description=p.get("Description"),
        distributor=p.get("Distributor"), support_description=p.get("SupportDescription"),
        support_email=p.get("SupportEmail"), support_url=p.get("SupportUrl"),
        product_type=p.get("ProductType"), tags=p.get("Tags"),
        provisioning_artifact_parameters=p.get("ProvisioningArtifactParameters"),
        idempotency_token=p.get("IdempotencyToken"), source_connection=p.get("SourceConnection"),
        accept_language=p.get("AcceptLanguage"))
    versions = self.servicecatalog_backend.mlw["artifacts"].setdefault(product.id, [])
    if not versions:
        versions.append(_artifact(p.get("ProvisioningArtifactParameters") or {}))
    return json.dumps({"ProductViewDetail": _view_detail(product), "ProvisioningArtifactDetail": _detail(versions[0]),
                       "Tags": product.tags})


def _create_provisioning_artifact(self) -> str:
    p = _body(self)
    _product(self, p["ProductId"])
    a = _artifact(p.get("Parameters") or {})
    self.servicecatalog_backend.mlw["artifacts"].setdefault(p["ProductId"], []).append(a)
    return json.dumps({"ProvisioningArtifactDetail": _detail(a), "Info": a["Info"], "Status": "AVAILABLE"})


def _describe_product_as_admin(self) -> str:
    p = _body(self)
    product = _product(self, p.get("Id")) if p.get("Id") else self.servicecatalog_backend.lookup_by_name(p.get("Name"))
    if product is None:
        raise _error("ResourceNotFoundException", f"Product {p.get('Name')} not found.")
    versions = self.servicecatalog_backend.mlw["artifacts"].get(product.id, [])
    return json.dumps({
        "ProductViewDetail": _view_detail(product),
        "ProvisioningArtifactSummaries": [
            {"Id": a["Id"], "Name": a["Name"], "Description": a["Description"], "CreatedTime": a["CreatedTime"],
             "ProvisioningArtifactMetadata": {}} for a in versions],
        "Tags": product.tags, "TagOptions": [], "Budgets": []})


def _page(items: list, p: dict, key: str) -> str:
    start = int(p.get("PageToken") or 0)
    size = int(p.get("PageSize") or 20)
    out: dict[str, Any] = {key: items[start:start + size]}
    if start + size < len(items):
        out["NextPageToken"] = str(start + size)
    return json.dumps(out)


def _search_products_as_admin(self) -> str:
    p = _body(self)
    backend = self.servicecatalog_backend
    products = list(backend.products.values())
    if p.get("PortfolioId"):
        products = [x for x in products if p["PortfolioId"] in backend.mlw["portfolios"].get(x.id, [])]
    return _page([_view_detail(x) for x in products], p, "ProductViewDetails")


def _describe_provisioning_artifact(self) -> str:
    p = _body(self)
    versions = self.servicecatalog_backend.mlw["artifacts"].get(_product(self, p["ProductId"]).id, [])
    a = next((a for a in versions if a["Id"] == p.get("ProvisioningArtifactId")
              or a["Name"] == p.get("ProvisioningArtifactName")), None)
    if a is None:
        raise _error("ResourceNotFoundException", f"Provisioning artifact {p.get('ProvisioningArtifactId')} not found.")
    out: dict[str, Any] = {"ProvisioningArtifactDetail": _detail(a), "Status": "AVAILABLE"}
    if p.get("Verbose"):
        # AWS answers with where the template can be read, under Info.TemplateUrl.
        out["Info"] = {"TemplateUrl": a["Info"].get("LoadTemplateFromURL", "")}
    return json.dumps(out)


def _associate_product_with_portfolio(self) -> str:
    p = _body(self)
    _product(self, p["ProductId"])
    if p["PortfolioId"] not in self.servicecatalog_backend.portfolios:
        raise _error("ResourceNotFoundException", f"Portfolio {p['PortfolioId']} not found.")
    linked = self.servicecatalog_backend.mlw["portfolios"].setdefault(p["ProductId"], [])
    if p["PortfolioId"] not in linked:
        linked.append(p["PortfolioId"])
    return "{}"


def _list_portfolios_for_product(self) -> str:
    p = _body(self)
    backend = self.servicecatalog_backend
    _product(self, p["ProductId"])
    details = []
    for pid in backend.mlw["portfolios"].get(p["ProductId"], []):
        d = backend.portfolios[pid].to_dict()
        details.append({**d, "CreatedTime": d["CreatedTime"].timestamp()})
    return _page(details, p, "PortfolioDetails")


_S3_URL = re.compile(r"^https://(?:(?P<vbucket>[^./]+)\.s3[.-][^/]*amazonaws\.com/(?P<vkey>.+)"
                     r"|s3[.-][^/]*amazonaws\.com/(?P<bucket>[^/]+)/(?P<key>.+))$")


def _template_body(account: str, url: str) -> str:
    from moto.s3.models import s3_backends
    m = _S3_URL.match(url)
    if not m:
        raise _error("InvalidParametersException", f"LoadTemplateFromURL {url} is not an S3 URL")
    bucket, key = (m["vbucket"], m["vkey"]) if m["vbucket"] else (m["bucket"], m["key"])
    return s3_backends[account]["aws"].get_object(bucket, key).value.decode()


def _provision_product(self) -> str:
    from moto.cloudformation.models import cloudformation_backends
    p = _body(self)
    backend = self.servicecatalog_backend
    product = _product(self, p["ProductId"])
    versions = backend.mlw["artifacts"].get(product.id, [])
    a = next((a for a in versions if a["Id"] == p.get("ProvisioningArtifactId")), None)
    if a is None:
        raise _error("ResourceNotFoundException", f"Provisioning artifact {p.get('ProvisioningArtifactId')} not found.")
    pp_id = f"pp-{uuid.uuid4().hex[:13]}"
    account, region = self.current_account, self.region
    stack = cloudformation_backends[account][region].create_stack(
        name=f"SC-{account}-{pp_id}", template=_template_body(account, a["Info"]["LoadTemplateFromURL"]),
        parameters={x["Key"]: x["Value"] for x in p.get("ProvisioningParameters") or []},
        tags={t["Key"]: t["Value"] for t in p.get("Tags") or []})
    record_id = f"rec-{uuid.uuid4().hex[:13]}"
    backend.mlw["provisioned"][pp_id] = {
        "Name": p["ProvisionedProductName"], "Id": pp_id, "Type": "CFN_STACK",
        "Arn": f"arn:aws:servicecatalog:{region}:{account}:stack/{p['ProvisionedProductName']}/{pp_id}",
        "Status": "AVAILABLE", "CreatedTime": _now(), "IdempotencyToken": p.get("ProvisionToken", ""),
        "LastRecordId": record_id, "LastProvisioningRecordId": record_id,
        "LastSuccessfulProvisioningRecordId": record_id, "Tags": list(p.get("Tags") or []),
        "PhysicalId": stack.stack_id, "ProductId": product.id, "ProductName": product.name,
        "ProvisioningArtifactId": a["Id"], "ProvisioningArtifactName": a["Name"],
        "UserArn": f"arn:aws:iam::{account}:user/demo", "UserArnSession": f"arn:aws:iam::{account}:user/demo"}
    return json.dumps({"RecordDetail": {
        "RecordId": record_id, "ProvisionedProductName": p["ProvisionedProductName"], "Status": "SUCCEEDED",
        "CreatedTime": _now(), "UpdatedTime": _now(), "ProvisionedProductType": "CFN_STACK",
        "RecordType": "PROVISION_PRODUCT", "ProvisionedProductId": pp_id, "ProductId": product.id,
        "ProvisioningArtifactId": a["Id"], "RecordErrors": [], "RecordTags": []}})


def _search_provisioned_products(self) -> str:
    """AccessLevelFilter Account/self: every provisioned product of the account (the
    demo has no users of its own, so User-level filtering is not modelled)."""
    p = _body(self)
    items = sorted(self.servicecatalog_backend.mlw["provisioned"].values(), key=lambda x: x["CreatedTime"])
    out = json.loads(_page(items, p, "ProvisionedProducts"))
    out["TotalResultsCount"] = len(items)
    return json.dumps(out)

