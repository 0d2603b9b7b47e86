"""Failed sub-reads, end to end: collected against in-process moto with the failure
injected by a botocore hook, then judged by the shipped policies on the embedded engine.

A failed read makes exactly the policies that need it NOT_ASSESSED, naming the call;
the resource stays and every other policy still judges it; an aggregate over a type
that could not be listed is never a smaller number.
"""
from __future__ import annotations

import base64
import hashlib
import json

import boto3
import pytest
from botocore.exceptions import ClientError

from mlwarden.collectors.sagemaker_registry import GROUP_TYPE, PACKAGE_TYPE
from mlwarden.collectors.signature_check import DEFAULT_MAX_OBJECT_BYTES
from mlwarden.inventory import Inventory
from mlwarden.pipeline import collect
from mlwarden.model import Status

from ..conftest import ACCOUNT, REGION
from ..support import moto_servicequotas
from ..support.moto_sagemaker import search_without_tags
from .test_sagemaker_endpoints import make_estate as make_endpoints

QUOTAS_TYPE = "MLW::ServiceQuotas::SageMaker"
BIG = DEFAULT_MAX_OBJECT_BYTES + 1024 * 1024          # 17 MiB: over the read limit
DENIED = {"Error": {"Code": "AccessDeniedException", "Message": "not allowed"}}


@pytest.fixture
def sm(aws):
    moto_servicequotas.install()
    yield boto3.client("sagemaker", region_name=REGION)
    moto_servicequotas.reset()


def verdicts(doc, resource_id: str) -> dict[str, tuple[Status, str]]:
    return {f.policy_id: (f.status, f.message) for f in doc.findings if f.resource.get("id") == resource_id}


def deny_on(aws_context, service: str, operation: str, when=lambda body: True) -> None:
    """Fail one operation with AccessDenied, as IAM would, before it is sent."""
    def hook(params, **kwargs):
        body = params.get("body") or b"{}"
        if when(json.loads(body if isinstance(body, str) else body.decode() or "{}")):
            raise ClientError(DENIED, operation)
    aws_context.client(service, REGION).meta.events.register(f"before-call.{service}.{operation}", hook)


def signed_package(sm, s3, key: str, body: bytes | None = None, *, multipart: bool = False) -> str:
    """A package whose signature claims the SHA-256 of s3://artefacts/<key>."""
    data = body if body is not None else b"model" * 1000
    if multipart:
        part = 6 * 1024 * 1024
        upload = s3.create_multipart_upload(Bucket="artefacts", Key=key)
        parts = []
        for n, start in enumerate(range(0, len(data), part), 1):
            etag = s3.upload_part(Bucket="artefacts", Key=key, PartNumber=n, UploadId=upload["UploadId"],
                                  Body=data[start:start + part])["ETag"]
            parts.append({"PartNumber": n, "ETag": etag})
        s3.complete_multipart_upload(Bucket="artefacts", Key=key, UploadId=upload["UploadId"],
                                     MultipartUpload={"Parts": parts})
    else:
        s3.put_object(Bucket="artefacts", Key=key, Body=data)
    if not sm.list_model_package_groups()["ModelPackageGroupSummaryList"]:
        sm.create_model_package_group(ModelPackageGroupName="fraud")
    return sm.create_model_package(
        ModelPackageGroupName="fraud", ModelApprovalStatus="Approved",
        InferenceSpecification={"Containers": [{"Image": "111122223333.dkr.ecr.eu-west-1.amazonaws.com/x:1",
                                                "ModelDataUrl": f"s3://artefacts/{key}"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        CustomerMetadataProperties={"mlwarden:signature": base64.b64encode(b"sig").decode(),
                                    "mlwarden:signing-profile": "ml_release_signer",
                                    "mlwarden:artifact-sha256": hashlib.sha256(data).hexdigest()},
        Tags=[{"Key": "owner", "Value": "risk-ml"}])["ModelPackageArn"]


@pytest.fixture
def s3(sm):
    client = boto3.client("s3", region_name=REGION)
    client.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    return client


def test_unreadable_tags_leave_signing_and_approval_judged_and_tagging_not_assessed(
        sm, s3, aws_context, judge):
    blind = signed_package(sm, s3, "fraud/1/model.tar.gz")
    seen = signed_package(sm, s3, "fraud/2/model.tar.gz")
    # Search answers the blind package without its tags, the Tagging API does not list
    # it, and ListTags of it is refused.
    search_without_tags(aws_context.client("sagemaker", REGION), {blind})
    aws_context.client("resourcegroupstaggingapi", REGION).meta.events.register(
        "after-call.resource-groups-tagging-api.GetResources",
        lambda parsed, **kw: parsed.update(ResourceTagMappingList=[
            m for m in parsed.get("ResourceTagMappingList", []) if m["ResourceARN"] != blind]))
    deny_on(aws_context, "sagemaker", "ListTags", lambda body: body.get("ResourceArn") == blind)

    inv = collect(aws_context, [REGION], types=[PACKAGE_TYPE, GROUP_TYPE])
    assert inv.gaps == []
    doc = judge(inv)
    got, other = verdicts(doc, blind), verdicts(doc, seen)

    # Signing and approval need no tags: judged exactly as on the package whose tags were read.
    for pid in ("MLW-INT-001", "MLW-INT-002", "MLW-INT-003", "MLW-REG-001", "MLW-REG-002"):
        assert got[pid][0] in (Status.PASS, Status.FAIL), (pid, got[pid])
        assert got[pid][0] == other[pid][0], pid
    # Tagging policies need them: NOT_ASSESSED, naming the call and the error.
    for pid in ("MLW-TAG-001", "MLW-TAG-002"):
        status, message = got[pid]
        assert status is Status.NOT_ASSESSED
        assert "sagemaker:ListTags failed with AccessDeniedException" in message
        assert other[pid][0] is not Status.NOT_ASSESSED


@pytest.mark.parametrize("multipart", [False, True], ids=["single-part", "multipart"])
def test_a_17_mib_artefact_without_stored_checksum_gets_an_int_003_verdict(sm, s3, aws_context, judge,
                                                                            multipart):
    arn = signed_package(sm, s3, "big/model.tar.gz", b"\x01" * BIG, multipart=multipart)
    inv = collect(aws_context, [REGION], types=[PACKAGE_TYPE])
    [pkg] = [r for r in inv.resources if r.type == PACKAGE_TYPE]
    facet = pkg.facet("artifact")
    assert (facet.read, facet.operation, facet.error_code) == (False, "s3:GetObject", "ReadLimit")

    status, message = verdicts(judge(inv), arn)["MLW-INT-003"]
    assert status is Status.NOT_ASSESSED
    assert "artefact larger than the read limit and no stored SHA-256" in message
    assert str(BIG) in message


def test_small_artefact_without_checksum_is_hashed_and_passes_int_003(sm, s3, aws_context, judge):
    arn = signed_package(sm, s3, "small/model.tar.gz")
    inv = collect(aws_context, [REGION], types=[PACKAGE_TYPE])
    assert verdicts(judge(inv), arn)["MLW-INT-003"][0] is Status.PASS


def test_denied_model_package_listing_makes_registry_size_not_assessed_never_pass(
        sm, s3, aws_context, judge):
    moto_servicequotas.apply_quota(ACCOUNT, REGION, "L-2C1B9A0E", 1.0)   # 1 package allowed
    signed_package(sm, s3, "fraud/1/model.tar.gz")
    types = [PACKAGE_TYPE, GROUP_TYPE, QUOTAS_TYPE]
    usage_id = f"{ACCOUNT}/{REGION}"

    baseline = verdicts(judge(collect(aws_context, [REGION], types=types)), usage_id)
    assert baseline["MLW-LIM-001"][0] is Status.FAIL      # 1 of 1: over the 80% headroom

    deny_on(aws_context, "sagemaker", "Search", lambda body: body.get("Resource") == "ModelPackage")
    inv = collect(aws_context, [REGION], types=types)
    [usage] = [r for r in inv.resources if r.type == "MLW::SageMaker::ServiceUsage"]
    assert not usage.facet("registry_usage").read
    status, message = verdicts(judge(inv), usage_id)["MLW-LIM-001"]
    assert status is Status.NOT_ASSESSED
    assert "sagemaker:Search failed with AccessDeniedException" in message


def test_denied_autoscaling_keeps_the_endpoint_and_only_its_autoscaling_rule_is_not_assessed(
        sm, aws_context, judge):
    moto_servicequotas.apply_quota(ACCOUNT, REGION, "L-C1B9A48D", 2.0)   # ml.m5.large: 2 in use
    make_endpoints(sm)
    types = ["AWS::SageMaker::Endpoint", "AWS::SageMaker::EndpointConfig", QUOTAS_TYPE]
    usage_id = f"{ACCOUNT}/{REGION}"
    baseline = judge(collect(aws_context, [REGION], types=types))

    deny_on(aws_context, "application-autoscaling", "DescribeScalableTargets")
    inv = collect(aws_context, [REGION], types=types)
    assert inv.gaps == []
    assert "fraud" in {r.id for r in inv.resources if r.type == "AWS::SageMaker::Endpoint"}
    doc = judge(inv)
    endpoint, before = verdicts(doc, "fraud"), verdicts(baseline, "fraud")
    status, message = endpoint["MLW-MON-004"]
    assert status is Status.NOT_ASSESSED
    assert "application-autoscaling:DescribeScalableTargets failed with AccessDeniedException" in message
    # The other production-endpoint rules judged it as before.
    for pid, (st, _) in before.items():
        if pid != "MLW-MON-004":
            assert endpoint[pid][0] == st, pid
    # The instance count does not depend on autoscaling: the endpoint still counts, the
    # quota rule keeps its FAIL (it was a silent PASS when the endpoint was dropped).
    assert verdicts(baseline, usage_id)["MLW-LIM-002"][0] is Status.FAIL
    assert verdicts(doc, usage_id)["MLW-LIM-002"][0] is Status.FAIL


def test_inventory_round_trips_facet_status(sm, aws_context, tmp_path):
    make_endpoints(sm)
    deny_on(aws_context, "application-autoscaling", "DescribeScalableTargets")
    inv = collect(aws_context, [REGION], types=["AWS::SageMaker::Endpoint"])
    inv.save(tmp_path / "inventory.json")
    [ep] = [r for r in Inventory.load(tmp_path / "inventory.json").resources if r.id == "fraud"]
    assert ep.facets == next(r for r in inv.resources if r.id == "fraud").facets
    assert ep.facet("autoscaling").operation == "application-autoscaling:DescribeScalableTargets"
    assert ep.facet("tags").read


def test_cold_start_timeouts_judged_on_the_size_s3_reports_and_unknown_sizes_not_assessed(
        sm, s3, aws_context, judge):
    """MLW-MON-011: a 60 GB artefact (its size faked in the one S3 emulation) needs both
    start-up timeouts; a size that cannot be read (denied, or model data under a prefix)
    is NOT_ASSESSED naming the call, never PASS."""
    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    for key in ("llm/model.tar.gz", "denied/model.tar.gz"):
        s3.put_object(Bucket="artefacts", Key=key, Body=b"weights")
    moto_extensions.fake_object_size(ACCOUNT, "artefacts", "llm/model.tar.gz", 60_000_000_000)
    role = f"arn:aws:iam::{ACCOUNT}:role/exec"
    image = "111122223333.dkr.ecr.eu-west-1.amazonaws.com/llm:1"
    containers = {
        "llm": {"Image": image, "ModelDataUrl": "s3://artefacts/llm/model.tar.gz"},
        "denied": {"Image": image, "ModelDataUrl": "s3://artefacts/denied/model.tar.gz"},
        "prefix": {"Image": image, "ModelDataSource": {"S3DataSource": {
            "S3Uri": "s3://artefacts/llm-uncompressed/", "S3DataType": "S3Prefix", "CompressionType": "None"}}},
    }
    for name, container in containers.items():
        sm.create_model(ModelName=name, ExecutionRoleArn=role, PrimaryContainer=container)
    timeouts = {"ModelDataDownloadTimeoutInSeconds": 3600, "ContainerStartupHealthCheckTimeoutInSeconds": 1800}
    for endpoint, model, extra in (("llm-tuned", "llm", timeouts), ("llm-default", "llm", {}),
                                   ("llm-denied", "denied", timeouts), ("llm-prefix", "prefix", timeouts)):
        sm.create_endpoint_config(EndpointConfigName=endpoint, ProductionVariants=[{
            "VariantName": "primary", "ModelName": model, "InstanceType": "ml.g4dn.12xlarge",
            "InitialInstanceCount": 1, **extra}])
        sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint)
    def refuse(params, **kwargs):   # IAM denies HeadObject on one artefact only
        if params.get("Key") == "denied/model.tar.gz":
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "HeadObject")
    aws_context.client("s3", REGION).meta.events.register("before-parameter-build.s3.HeadObject", refuse)

    inv = collect(aws_context, [REGION], types=["AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig",
                                                "AWS::SageMaker::Endpoint"])
    doc = judge(inv)
    tuned, default = verdicts(doc, "llm-tuned")["MLW-MON-011"], verdicts(doc, "llm-default")["MLW-MON-011"]
    assert tuned[0] is Status.PASS
    assert default[0] is Status.FAIL
    assert "variant primary serves 60 GB of model data (model llm) without ModelDataDownloadTimeoutInSeconds" \
        in default[1]
    denied = verdicts(doc, "llm-denied")["MLW-MON-011"]
    assert denied[0] is Status.NOT_ASSESSED and "s3:HeadObject failed with AccessDenied" in denied[1]
    prefix = verdicts(doc, "llm-prefix")["MLW-MON-011"]
    assert prefix[0] is Status.NOT_ASSESSED and "uncompressed model data under an S3 prefix" in prefix[1]
