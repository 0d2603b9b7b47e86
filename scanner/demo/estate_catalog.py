"""The demo's Service Catalog: the ML platform team's approved product, launched once.

The platform team keeps a portfolio "ML platform (approved)" with one product, a
real-time inference endpoint (a model from an approved package of the registry, its
endpoint configuration, the endpoint), in two versions: v1, deprecated, whose endpoint
configuration has no KMS key, and v2, the default, which encrypts with the serving key,
captures inference data and sets start-up timeouts for large models. The fraud team launched v2 as the
provisioned product `recsys-endpoint`, which created the production endpoint
`recsys-scoring-prod`. The estate's other production endpoints were created by hand.

So the scan shows: the template of each version judged like any CloudFormation
template (v1's endpoint configuration fails MLW-ENC-003, naming product, version and
template), and MLW-GOV-001 passing on `recsys-scoring-prod` (from the approved product,
version v2) and failing on the hand-made endpoints.
"""
from __future__ import annotations

from .estate_base import XGB_IMAGE

PORTFOLIO = "ML platform (approved)"
PRODUCT = "ml-realtime-endpoint"
PROVISIONED = "recsys-endpoint"
ENDPOINT = "recsys-scoring-prod"

_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: ML platform product - a real-time inference endpoint ({version})
Parameters:
  EndpointName: {{Type: String}}
  ModelPackage: {{Type: String, Description: an approved model package of the registry}}
  Environment: {{Type: String, Default: prod}}
Resources:
  Model:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: !Sub "${{EndpointName}}-model"
      ExecutionRoleArn: {role}
      EnableNetworkIsolation: true
      PrimaryContainer: {{Image: {image}, ModelPackageName: !Ref ModelPackage}}
      Tags: &tags
        - {{Key: owner, Value: ml-platform}}
        - {{Key: project, Value: recommendations}}
        - {{Key: cost-center, Value: cc-4711}}
        - {{Key: environment, Value: !Ref Environment}}
  EndpointConfig:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      EndpointConfigName: !Sub "${{EndpointName}}-config"
{guardrails}      ProductionVariants:
        - {{VariantName: primary, ModelName: !GetAtt Model.ModelName, InstanceType: ml.m5.large,
           InitialInstanceCount: 2, InitialVariantWeight: 1.0{timeouts}}}
      Tags: *tags
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointName: !Ref EndpointName
      EndpointConfigName: !GetAtt EndpointConfig.EndpointConfigName
      Tags: *tags
Outputs:
  EndpointName: {{Value: !GetAtt Endpoint.EndpointName}}
"""


def template(version: str, *, role: str, image: str, kms_key: str | None, capture_uri: str) -> str:
    """v1 without guardrails; v2 (kms_key given) encrypts, captures inference data and sets
    start-up timeouts that fit the registry's large models."""
    guardrails = timeouts = ""
    if kms_key:
        guardrails = (f"      KmsKeyId: {kms_key}\n"
                      f"      DataCaptureConfig:\n        EnableCapture: true\n        InitialSamplingPercentage: 20\n"
                      f"        DestinationS3Uri: {capture_uri}\n        KmsKeyId: {kms_key}\n"
                      f"        CaptureOptions: [{{CaptureMode: Input}}, {{CaptureMode: Output}}]\n")
        timeouts = ",\n           ModelDataDownloadTimeoutInSeconds: 3600, ContainerStartupHealthCheckTimeoutInSeconds: 1800"
    return _TEMPLATE.format(version=version, role=role, image=image, guardrails=guardrails, timeouts=timeouts)


def seed_catalog(c, e) -> None:
    """Portfolio, product (v1 deprecated, v2 default), and v2 launched as `recsys-endpoint`."""
    sc, s3 = c("servicecatalog"), c("s3")
    lake = e.buckets["datalake"]
    urls = {}
    for version, kms in (("v1", None), ("v2", e.kms_keys["ml-serving"])):
        key = f"service-catalog/{PRODUCT}/{version}.yaml"
        s3.put_object(Bucket=lake, Key=key, Body=template(
            version, role=e.roles["execution"], image=XGB_IMAGE, kms_key=kms,
            capture_uri=f"s3://{lake}/data-capture/recsys/").encode(), ChecksumAlgorithm="SHA256")
        urls[version] = f"https://{lake}.s3.{e.region}.amazonaws.com/{key}"
    portfolio = sc.create_portfolio(DisplayName=PORTFOLIO, ProviderName="ml-platform",
                                    Description="Infrastructure the ML platform team supports",
                                    Tags=[{"Key": "owner", "Value": "ml-platform"}])["PortfolioDetail"]["Id"]
    product = sc.create_product(
        Name=PRODUCT, Owner="ml-platform", ProductType="CLOUD_FORMATION_TEMPLATE",
        Description="A SageMaker real-time endpoint with the platform's guardrails",
        ProvisioningArtifactParameters={"Name": "v1", "Type": "CLOUD_FORMATION_TEMPLATE",
                                        "Info": {"LoadTemplateFromURL": urls["v1"]}})
    product_id = product["ProductViewDetail"]["ProductViewSummary"]["ProductId"]
    v2 = sc.create_provisioning_artifact(
        ProductId=product_id, Parameters={"Name": "v2", "Type": "CLOUD_FORMATION_TEMPLATE",
                                          "Description": "Endpoint storage encrypted with the serving key",
                                          "Info": {"LoadTemplateFromURL": urls["v2"]}},
        IdempotencyToken="demo-v2")["ProvisioningArtifactDetail"]["Id"]
    _deprecate_v1(e, product_id)
    sc.associate_product_with_portfolio(ProductId=product_id, PortfolioId=portfolio)
    sc.provision_product(
        ProductId=product_id, ProvisioningArtifactId=v2, ProvisionedProductName=PROVISIONED,
        ProvisionToken="demo-recsys",
        ProvisioningParameters=[{"Key": "EndpointName", "Value": ENDPOINT},
                                {"Key": "ModelPackage", "Value": e.model_packages["approved_signed"]}],
        Tags=[{"Key": "owner", "Value": "fraud-ml"}, {"Key": "environment", "Value": "prod"}])
    e.models.append(f"{ENDPOINT}-model")
    e.endpoint_configs.append(f"{ENDPOINT}-config")
    e.endpoints.append(ENDPOINT)
    e.catalog = {"portfolio": portfolio, "product": product_id, "provisioned_product": PROVISIONED,
                 "endpoint": ENDPOINT}


def _deprecate_v1(e, product_id: str) -> None:
    """UpdateProvisioningArtifact(Guidance=DEPRECATED) on the stand-in's backend: the
    demo needs the state, not the call (the scan reads it back through the API)."""
    from moto.servicecatalog.models import servicecatalog_backends
    backend = servicecatalog_backends[e.account][e.region]
    backend.mlw["artifacts"][product_id][0]["Guidance"] = "DEPRECATED"
