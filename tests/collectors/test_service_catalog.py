"""Service Catalog: portfolios, products with their versions and templates, provisioned
products with the resources their stacks created; the provenance of endpoints; the
templates judged like any CloudFormation template. On in-process moto, with the catalog
calls moto lacks added by mlwarden.demo.moto_service_catalog (following the AWS API
reference); ProvisionProduct launches a real moto CloudFormation stack."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.aws.readonly import WriteRefused
from mlwarden.aws.session import AwsContext
from mlwarden.permissions import scan_options
from mlwarden.collectors.service_catalog import PORTFOLIO_TYPE, PRODUCT_TYPE, PROVISIONED_TYPE, s3_location
from mlwarden.demo.estate_catalog import template
from mlwarden.pipeline import collect
from mlwarden.model import Status
from mlwarden.permissions import guard_actions

from ..conftest import ACCOUNT, REGION

BUCKET = "platform-templates"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/ml-exec"
KEY = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
IMAGE = f"{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/xgb:1"
TYPES = [PORTFOLIO_TYPE, PRODUCT_TYPE, PROVISIONED_TYPE, "AWS::SageMaker::Endpoint"]
PROD = [{"Key": "environment", "Value": "prod"}]


@pytest.fixture
def catalog(aws):
    """A portfolio holding one product (v1 without a KMS key, v2 with), v2 launched as
    `recsys` (endpoint recsys-prod), and a production endpoint made by hand."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    urls = {}
    for version, kms in (("v1", None), ("v2", KEY)):
        s3.put_object(Bucket=BUCKET, Key=f"endpoint/{version}.yaml", Body=template(
            version, role=ROLE, image=IMAGE, kms_key=kms, capture_uri=f"s3://{BUCKET}/capture/").encode())
        urls[version] = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/endpoint/{version}.yaml"
    sc = boto3.client("servicecatalog", region_name=REGION)
    portfolio = sc.create_portfolio(DisplayName="ml-approved", ProviderName="platform")["PortfolioDetail"]["Id"]
    product = _product(sc, "ml-endpoint", urls["v1"])
    v2 = sc.create_provisioning_artifact(ProductId=product, Parameters={
        "Name": "v2", "Type": "CLOUD_FORMATION_TEMPLATE", "Info": {"LoadTemplateFromURL": urls["v2"]}},
        IdempotencyToken="v2")["ProvisioningArtifactDetail"]["Id"]
    sc.associate_product_with_portfolio(ProductId=product, PortfolioId=portfolio)
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model(ModelName="m", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    package = "arn:aws:sagemaker:eu-west-1:123456789012:model-package/fraud/1"
    sc.provision_product(ProductId=product, ProvisioningArtifactId=v2, ProvisionedProductName="recsys",
                         ProvisionToken="t1", Tags=PROD,
                         ProvisioningParameters=[{"Key": "EndpointName", "Value": "recsys-prod"},
                                                 {"Key": "ModelPackage", "Value": package}])
    sm.create_endpoint_config(EndpointConfigName="by-hand", ProductionVariants=[
        {"VariantName": "primary", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="by-hand-prod", EndpointConfigName="by-hand", Tags=PROD)
    return {"sc": sc, "s3": s3, "portfolio": portfolio, "product": product, "urls": urls}


def _product(sc, name: str, url: str) -> str:
    return sc.create_product(Name=name, Owner="platform", ProductType="CLOUD_FORMATION_TEMPLATE",
                             ProvisioningArtifactParameters={"Name": "v1", "Type": "CLOUD_FORMATION_TEMPLATE",
                                                             "Info": {"LoadTemplateFromURL": url}}
                             )["ProductViewDetail"]["ProductViewSummary"]["ProductId"]


def _scan(types=TYPES):
    inv = collect(AwsContext(options=scan_options(max_workers=2)), [REGION], types=types)
    findings = evaluate_inventory(inv, EvalOptions()).findings
    return inv, findings


def _by(inv, type_):
    return {r.id: r for r in inv.resources if r.type == type_ and r.source.kind == "live"}


def test_catalog_is_collected_and_endpoints_know_where_they_came_from(catalog):
    inv, findings = _scan()
    assert inv.gaps == []
    [portfolio] = _by(inv, PORTFOLIO_TYPE).values()
    assert portfolio.properties["DisplayName"] == "ml-approved"
    product = _by(inv, PRODUCT_TYPE)[catalog["product"]]
    assert [v["Name"] for v in product.facts["versions"]] == ["v1", "v2"]
    assert product.facts["portfolios"][0]["Id"] == catalog["portfolio"]
    templates = {t["Version"]: t for t in product.facts["templates"]}
    # Scanned and dropped: only the digest of the text stays in the inventory.
    assert templates["v2"]["scanned"] is True and templates["v2"]["resources"] == 3
    assert "body" not in templates["v2"] and len(templates["v2"]["sha256"]) == 64
    [pp] = _by(inv, PROVISIONED_TYPE).values()
    assert {r["ResourceType"] for r in pp.facts["stack_resources"]} >= {"AWS::SageMaker::Endpoint"}

    endpoints = _by(inv, "AWS::SageMaker::Endpoint")
    made = endpoints["recsys-prod"].facts["provenance"]
    assert (made["kind"], made["product"], made["version"], made["provisioned_product"]) == \
        ("service_catalog", "ml-endpoint", "v2", "recsys")
    assert made["portfolios"][0]["DisplayName"] == "ml-approved"
    assert endpoints["by-hand-prod"].facts["provenance"] == {"kind": "none"}

    verdicts = {(f.policy_id, f.resource["id"]): f for f in findings}
    assert verdicts[("MLW-GOV-001", "recsys-prod")].status == Status.PASS
    hand = verdicts[("MLW-GOV-001", "by-hand-prod")]
    assert hand.status == Status.FAIL and "created by hand" in hand.message
    assert verdicts[("MLW-GOV-002", catalog["product"])].status == Status.PASS


def test_product_templates_are_judged_by_the_same_policies_naming_product_and_version(catalog):
    inv, findings = _scan([PRODUCT_TYPE])
    kms = {f.resource["source"]["file"]: f for f in findings
           if f.policy_id == "MLW-ENC-003" and f.resource["source"]["kind"] == "cloudformation"}
    v1 = f"service-catalog/{ACCOUNT}/{REGION}/ml-endpoint/v1/v1.yaml"
    v2 = f"service-catalog/{ACCOUNT}/{REGION}/ml-endpoint/v2/v2.yaml"
    assert kms[v1].status == Status.FAIL and kms[v1].resource["id"] == "EndpointConfig"
    assert kms[v2].status == Status.PASS
    # The package is a launch parameter: which one the endpoint serves is unknown, not "none".
    reg = next(f for f in findings if f.policy_id == "MLW-REG-003" and f.resource["source"].get("file") == v2)
    assert reg.status == Status.NOT_ASSESSED and "unknown before deployment" in reg.message
    # Whose private ECR the image is in says nothing until the product launches: no account
    # is known (a shared portfolio's product may launch in any), and no --account fits here.
    ecr = [f for f in findings if f.policy_id.startswith("MLW-INT-00") and f.resource["source"].get("file") == v2
           and "deploy_account" in str(f.evidence.get("unknown_before_deployment"))]
    assert ecr and all(f.status == Status.NOT_ASSESSED for f in ecr)
    assert all("launches in the account that provisions it" in f.message and "--account" not in f.message
               for f in ecr), [f.message for f in ecr]
    # Template resources are no resources of the account: not counted against its quotas.
    usage = next(r for r in inv.resources if r.type == "MLW::SageMaker::ServiceUsage")
    assert usage.facts["usage"]["endpoints"] == 0


def test_an_unreadable_template_is_not_assessed_naming_the_call_and_version(catalog):
    sc = catalog["sc"]
    missing = _product(sc, "ml-notebook", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/gone.yaml")
    github = _product(sc, "ml-batch", "https://raw.githubusercontent.com/acme/templates/main/batch.yaml")
    inv, findings = _scan([PRODUCT_TYPE])
    verdicts = {(f.policy_id, f.resource["id"]): f for f in findings}
    gone = verdicts[("MLW-GOV-002", missing)]
    assert gone.status == Status.NOT_ASSESSED
    assert "s3:GetObject" in gone.message and "version v1" in gone.message and "NoSuchKey" in gone.message
    not_s3 = verdicts[("MLW-GOV-002", github)]
    assert not_s3.status == Status.NOT_ASSESSED and "is not an S3 object URL" in not_s3.message
    # The readable product next to them is still judged, and its templates still scanned.
    assert verdicts[("MLW-GOV-002", catalog["product"])].status == Status.PASS


def test_a_template_that_cannot_be_parsed_fails_naming_the_version(catalog):
    catalog["s3"].put_object(Bucket=BUCKET, Key="broken.yaml", Body=b"Resources: [unclosed\n")
    broken = _product(catalog["sc"], "ml-broken", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/broken.yaml")
    _, findings = _scan([PRODUCT_TYPE])
    [f] = [f for f in findings if f.policy_id == "MLW-GOV-002" and f.resource["id"] == broken]
    assert f.status == Status.FAIL and "version v1" in f.message and "could not be scanned" in f.message


def test_provenance_is_not_assessed_when_provisioned_products_cannot_be_read(catalog, monkeypatch):
    from moto.servicecatalog.responses import ServiceCatalogResponse
    monkeypatch.delattr(ServiceCatalogResponse, "search_provisioned_products")
    inv, findings = _scan()
    assert [g.operation for g in inv.gaps] == ["servicecatalog:SearchProvisionedProducts"]
    for endpoint in ("recsys-prod", "by-hand-prod"):
        [f] = [f for f in findings if f.policy_id == "MLW-GOV-001" and f.resource["id"] == endpoint]
        assert f.status == Status.NOT_ASSESSED and "servicecatalog:SearchProvisionedProducts" in f.message


def test_a_stack_that_cannot_be_listed_leaves_hand_made_unknown_but_not_the_match(catalog, monkeypatch):
    from moto.cloudformation.responses import CloudFormationResponse
    monkeypatch.delattr(CloudFormationResponse, "list_stack_resources")
    inv, findings = _scan()
    [pp] = _by(inv, PROVISIONED_TYPE).values()
    assert pp.facet("stack_resources").operation == "cloudformation:ListStackResources"
    [f] = [f for f in findings if f.policy_id == "MLW-GOV-001" and f.resource["id"] == "by-hand-prod"]
    assert f.status == Status.NOT_ASSESSED and "cloudformation:ListStackResources" in f.message


def test_a_second_page_of_provisioned_products_is_read(catalog):
    # moto answers 20 per page (PageToken → NextPageToken; botocore has no paginator for it).
    sc, s3 = catalog["sc"], catalog["s3"]
    s3.put_object(Bucket=BUCKET, Key="topic.yaml", Body=b"Resources:\n  T: {Type: AWS::SNS::Topic}\n")
    small = _product(sc, "topic", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/topic.yaml")
    version = sc.describe_product_as_admin(Id=small)["ProvisioningArtifactSummaries"][0]["Id"]
    for i in range(21):
        sc.provision_product(ProductId=small, ProvisioningArtifactId=version, ProvisionedProductName=f"t{i}",
                             ProvisionToken=f"t{i}")
    inv = collect(AwsContext(options=scan_options()), [REGION], types=[PROVISIONED_TYPE])
    assert len(_by(inv, PROVISIONED_TYPE)) == 22 and inv.gaps == []


def test_catalog_reads_are_allowed_and_catalog_writes_refused(catalog):
    allowed = set(guard_actions())
    assert {"servicecatalog:SearchProvisionedProducts", "servicecatalog:DescribeProvisioningArtifact",
            "servicecatalog:ListPortfoliosForProduct", "cloudformation:ListStackResources",
            "s3:GetObject"} <= allowed
    assert not {a for a in allowed if a.startswith("servicecatalog:") and not a.split(":")[1].startswith(
        ("List", "Describe", "Search"))}
    client = AwsContext(options=scan_options()).client("servicecatalog", REGION)
    with pytest.raises(WriteRefused):
        client.provision_product(ProductId=catalog["product"], ProvisioningArtifactId="pa-x",
                                 ProvisionedProductName="sneaky", ProvisionToken="x")
    with pytest.raises(WriteRefused):
        client.delete_portfolio(Id=catalog["portfolio"])
    assert len(catalog["sc"].search_provisioned_products()["ProvisionedProducts"]) == 1


@pytest.mark.parametrize("url, where", [
    ("https://b.s3.eu-west-1.amazonaws.com/a/b.yaml", ("b", "a/b.yaml")),
    ("https://s3.amazonaws.com/cf-templates-x-us-east-1/p%20q.json", ("cf-templates-x-us-east-1", "p q.json")),
    ("https://b.s3.amazonaws.com/k.yaml?X-Amz-Signature=abc", ("b", "k.yaml")),
    ("https://github.com/acme/t.yaml", None),
])
def test_template_urls(url, where):
    assert s3_location(url) == where


def test_an_event_scan_of_one_endpoint_does_not_call_it_hand_made(catalog):
    # The targeted (CloudTrail event) scan reads the endpoint and what it relates to, not
    # the provisioned products: where it came from is unknown there, never "by hand".
    from mlwarden.pipeline import collect_targeted
    inv = collect_targeted(AwsContext(options=scan_options()), "AWS::SageMaker::Endpoint", "by-hand-prod", REGION)
    [f] = [f for f in evaluate_inventory(inv, EvalOptions()).findings
           if f.policy_id == "MLW-GOV-001" and f.resource["id"] == "by-hand-prod"]
    assert f.status == Status.NOT_ASSESSED and "not collected" in f.message


def test_an_answer_that_is_not_the_object_is_unreadable_not_a_broken_template():
    import hashlib

    from mlwarden.aws.calls import ResponseUnreadable
    from mlwarden.collectors.service_catalog import _check_body
    body = b"Resources: {}\n"
    md5 = hashlib.md5(body).hexdigest()
    _check_body({"ETag": f'"{md5}"'}, body)
    _check_body({"ETag": '"0123456789abcdef0123456789abcdef"', "ServerSideEncryption": "aws:kms"}, body)
    for answer, text in (({}, b"<html>"), ({"ETag": f'"{md5}"'}, body[:5])):
        with pytest.raises(ResponseUnreadable, match="s3:GetObject"):
            _check_body(answer, text)


def test_without_the_iac_scanner_templates_are_not_assessed_not_passed(catalog, monkeypatch):
    # The Lambda package leaves the IaC scanner out: templates are read but cannot be judged.
    import sys
    monkeypatch.setitem(sys.modules, "mlwarden.iac.loader", None)
    inv, findings = _scan([PRODUCT_TYPE])
    product = _by(inv, PRODUCT_TYPE)[catalog["product"]]
    assert product.facet("templates").error_code == "NotInstalled"
    assert not [r for r in inv.resources if r.source.kind == "cloudformation"]
    [f] = [f for f in findings if f.policy_id == "MLW-GOV-002"]
    assert f.status == Status.NOT_ASSESSED and "IaC scanner is not installed" in f.message


def test_a_product_that_cannot_be_described_is_a_gap_naming_it(catalog, monkeypatch):
    from moto.servicecatalog.responses import ServiceCatalogResponse
    monkeypatch.delattr(ServiceCatalogResponse, "describe_product_as_admin")
    inv, findings = _scan([PRODUCT_TYPE])
    [gap] = inv.gaps
    assert (gap.operation, gap.resource_id) == ("servicecatalog:DescribeProductAsAdmin", catalog["product"])
    [f] = [f for f in findings if f.policy_id == "MLW-GOV-002"]
    assert f.status == Status.NOT_ASSESSED and f.resource["id"] == catalog["product"]


def test_an_endpoint_made_by_a_nested_stack_is_the_products(catalog):
    s3, sc = catalog["s3"], catalog["sc"]
    s3.put_object(Bucket=BUCKET, Key="inner.yaml", Body=template(
        "inner", role=ROLE, image=IMAGE, kms_key=KEY, capture_uri=f"s3://{BUCKET}/capture/").encode())
    inner = f"https://{BUCKET}.s3.{REGION}.amazonaws.com/inner.yaml"
    s3.put_object(Bucket=BUCKET, Key="outer.yaml", Body=(
        "Resources:\n  Serving:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n"
        f"      TemplateURL: {inner}\n"
        "      Parameters: {EndpointName: nested-prod, ModelPackage: "
        "arn:aws:sagemaker:eu-west-1:123456789012:model-package/fraud/1}\n").encode())
    outer = _product(sc, "ml-nested", f"https://{BUCKET}.s3.{REGION}.amazonaws.com/outer.yaml")
    sc.associate_product_with_portfolio(ProductId=outer, PortfolioId=catalog["portfolio"])
    version = sc.describe_product_as_admin(Id=outer)["ProvisioningArtifactSummaries"][0]["Id"]
    sc.provision_product(ProductId=outer, ProvisioningArtifactId=version, ProvisionedProductName="nested",
                         ProvisionToken="n1")
    inv, _ = _scan()
    made = _by(inv, "AWS::SageMaker::Endpoint")["nested-prod"].facts["provenance"]
    assert (made["kind"], made["product"], made["logical_id"]) == ("service_catalog", "ml-nested", "Serving/Endpoint")
