"""Model artefacts are read once per URL per scan, within a per-object and a per-scan
byte budget; a read the budget refuses leaves a reason, never a passing digest check."""
from __future__ import annotations

import hashlib

import boto3
import pytest

from mlwarden.api import EvalOptions, evaluate_inventory
from mlwarden.collectors.base import collect_spec, registry
from mlwarden.collectors.sagemaker_registry import PACKAGE_TYPE
from mlwarden.collectors.signature_check import ArtefactReads
from mlwarden.inventory import Inventory
from mlwarden.model import Status

from ..conftest import REGION

MIB = 1024 * 1024
IMAGE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/m:1"


def _artefact(s3, key: str, fill: bytes) -> str:
    body = fill * (15 * MIB)          # 15 MiB, uploaded without a stored checksum
    s3.put_object(Bucket="artefacts", Key=key, Body=body)
    return hashlib.sha256(body).hexdigest()


def _packages(sm, url: str, digest: str, n: int) -> list[str]:
    return [sm.create_model_package(
        ModelPackageGroupName="g", ModelApprovalStatus="Approved",
        InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": url}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        CustomerMetadataProperties={"mlwarden:signature": "c2ln", "mlwarden:signing-profile": "p",
                                    "mlwarden:artifact-sha256": digest})["ModelPackageArn"] for _ in range(n)]


@pytest.fixture
def estate(aws):
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="artefacts", CreateBucketConfiguration={"LocationConstraint": REGION})
    sm = boto3.client("sagemaker", region_name=REGION)
    sm.create_model_package_group(ModelPackageGroupName="g")
    return s3, sm


def _count_get_object(aws_context) -> list:
    calls = []
    aws_context.client("s3", REGION).meta.events.register(
        "before-call.s3.GetObject", lambda params, **kw: calls.append(params["url_path"]))
    return calls


def test_forty_packages_on_one_artefact_download_it_once(estate, scope, aws_context):
    s3, sm = estate
    digest = _artefact(s3, "shared/model.tar.gz", b"a")
    arns = _packages(sm, "s3://artefacts/shared/model.tar.gz", digest, 40)
    calls = _count_get_object(aws_context)
    res = collect_spec(registry()[PACKAGE_TYPE], scope)
    assert not res.gaps
    assert len(calls) == 1
    actual = {r.arn: r.facts.get("artifact_sha256_actual") for r in res.resources}
    assert set(actual) == set(arns) and set(actual.values()) == {digest}
    assert aws_context.scan_state["artefact_reads"].bytes_read == 15 * MIB


def test_the_scan_budget_turns_further_reads_into_a_reason_never_a_pass(estate, scope, aws_context):
    s3, sm = estate
    first = _packages(sm, "s3://artefacts/a/model.tar.gz", _artefact(s3, "a/model.tar.gz", b"a"), 2)
    second = _packages(sm, "s3://artefacts/b/model.tar.gz", _artefact(s3, "b/model.tar.gz", b"b"), 2)
    # 20 MiB for the scan: the first 15 MiB artefact fits, the second does not.
    aws_context.scan_state["artefact_reads"] = ArtefactReads.from_settings(
        {"artefact_reads": {"max_object_bytes": 16 * MIB, "max_scan_bytes": 20 * MIB}})
    calls = _count_get_object(aws_context)
    res = collect_spec(registry()[PACKAGE_TYPE], scope)
    assert len(calls) == 1
    facts = {r.arn: r.facts for r in res.resources}
    assert all("artifact_sha256_actual" in facts[a] for a in first)
    for arn in second:
        assert "artifact_sha256_actual" not in facts[arn]
        assert "artefact read budget is spent" in facts[arn]["artifact_check"]["error"]

    doc = evaluate_inventory(Inventory(resources=res.resources, accounts=["123456789012"], regions=[REGION]),
                             EvalOptions())
    int003 = {f.resource["arn"]: f for f in doc.findings if f.policy_id == "MLW-INT-003"}
    assert all(int003[a].status == Status.PASS for a in first)
    for arn in second:
        # Never a PASS: no verdict on this policy's own (applies needs a digest), or one
        # that names the budget (NOT_ASSESSED where the artefact facet records the read).
        f = int003.get(arn)
        assert f is None or (f.status != Status.PASS and "artefact read budget is spent" in f.message)


def test_the_per_object_budget_refuses_a_larger_object(estate, scope, aws_context):
    s3, sm = estate
    [arn] = _packages(sm, "s3://artefacts/a/model.tar.gz", _artefact(s3, "a/model.tar.gz", b"a"), 1)
    aws_context.scan_state["artefact_reads"] = ArtefactReads(max_object_bytes=8 * MIB)
    calls = _count_get_object(aws_context)
    [pkg] = collect_spec(registry()[PACKAGE_TYPE], scope).resources
    assert calls == [] and "artifact_sha256_actual" not in pkg.facts
    assert "per-object artefact read budget" in pkg.facts["artifact_check"]["error"]


def test_packages_artefacts_are_headed_several_at_a_time_once_per_url(estate, scope, aws_context):
    # 24 packages on 12 artefacts with a stored SHA-256: HeadObject alone answers each
    # digest. Read one after the other, a registry of thousands costs a round trip per
    # package; the heads go several at a time (S3 serves thousands per second), once per URL.
    import threading
    import time
    s3, sm = estate
    digests = {}
    for i in range(12):
        body = f"model {i}".encode()
        s3.put_object(Bucket="artefacts", Key=f"m{i}.tar.gz", Body=body, ChecksumAlgorithm="SHA256")
        digests[f"s3://artefacts/m{i}.tar.gz"] = hashlib.sha256(body).hexdigest()
    arns = {arn: url for url, digest in digests.items() for arn in _packages(sm, url, digest, 2)}
    flight = {"now": 0, "most": 0, "calls": []}
    lock = threading.Lock()

    def sent(params, **kw):
        with lock:
            flight["now"] += 1
            flight["most"] = max(flight["most"], flight["now"])
            flight["calls"].append(params["url_path"])
        time.sleep(0.05)   # a round trip: the next head starts while this one is out

    def answered(**kw):
        with lock:
            flight["now"] -= 1
    events = aws_context.client("s3", REGION).meta.events
    events.register("before-call.s3.HeadObject", sent)
    events.register("after-call.s3.HeadObject", answered)
    res = collect_spec(registry()[PACKAGE_TYPE], scope)
    assert not res.gaps
    assert sorted(flight["calls"]) == sorted(f"/m{i}.tar.gz" for i in range(12))   # one per URL
    assert flight["most"] >= 4
    actual = {r.arn: r.facts.get("artifact_sha256_actual") for r in res.resources}
    assert actual == {arn: digests[url] for arn, url in arns.items()}
