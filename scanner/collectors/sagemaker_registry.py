"""The SageMaker Model Registry: model package groups and model packages.

Groups and packages are read with SageMaker Search (sagemaker_search.py): every
package, versioned (in a group) or not, across every group, with its metadata and
tags, 100 to a page, instead of a describe and a ListTags per package.

Signatures follow an mlwarden convention in a package's
CustomerMetadataProperties (the registry has no signature field of its own):

    mlwarden:signature        the signature (base64), its presence is what counts here
    mlwarden:signing-profile  the AWS Signer profile that signed it, or
    mlwarden:signing-key      the key (KMS key ARN / id) that signed it
    mlwarden:artifact-sha256  the SHA-256 of the model artifact that was signed (hex)

`facts.signature` reports what the package claims. Where it claims a digest,
`facts.artifact_sha256_actual` is the digest S3 holds for the artifact (read-only:
HeadObject's ChecksumSHA256, or the object's bytes hashed when it is small and
has no full-object checksum). Judging claim against fact is the policies' job.
"""
from __future__ import annotations

import base64
import binascii
import hashlib

from botocore.exceptions import ClientError

from ..aws.readonly import WriteRefused

from ..facets import Facet
from . import artefact_size
from ..model import FacetStatus
from ..resource_type import CloudTrailEvent, Relation, TerraformType, buckets
from .base import TAGS_SAGEMAKER, CollectorSpec, DescribeCall, Scope, Shape, error_code, read_facet, register
from .sagemaker_search import search_call
from .signature_check import KMS_ARN_PREFIXES, _public_key, _resolve_key, artefact_reads, verify_signature
from .sagemaker_common import bucket_of, iso, merge, references, s3_key_of, with_references

GROUP_TYPE = "AWS::SageMaker::ModelPackageGroup"
PACKAGE_TYPE = "AWS::SageMaker::ModelPackage"

SIGNATURE_KEY = "mlwarden:signature"
SIGNING_PROFILE_KEY = "mlwarden:signing-profile"
SIGNING_KEY_KEY = "mlwarden:signing-key"
DIGEST_KEY = "mlwarden:artifact-sha256"

# Artifacts without a full-object SHA-256 checksum are hashed from their bytes within
# the scan's artefact read budgets (signature_check.ArtefactReads: per object and per
# scan, one read per URL); beyond them the digest is not computed, with the reason.

# Answers that mean "the artefact or key does not exist": facts, not failed reads.
_GONE = {"404", "NoSuchKey", "NoSuchBucket", "NotFound", "NotFoundException"}

# Facets of a model package beyond describe and tags: the signing key's public half
# (to verify the signature) and the artefact in S3 (to compare its digest).
PACKAGE_FACETS = (
    Facet(name="signature", operations=("kms:DescribeKey", "kms:ListAliases", "kms:GetPublicKey"),
          paths=("resource.facts.signature.verified", "resource.facts.signature.verify_error",
                 "resource.facts.signature.verified_derived_by", "resource.facts.signature.key_arn",
                 "resource.facts.signature.key_state", "resource.facts.signature.key_aliases",
                 "resource.facts.signature.key_resolved_by"),
          description="the signing key as KMS resolves it now (ARN, state, aliases) and the "
                      "signature verified against its public half"),
    artefact_size.FACET,
    Facet(name="artifact", operations=("s3:HeadObject", "s3:GetObject"),
          paths=("resource.facts.artifact_check", "resource.facts.artifact_sha256_actual",
                 "resource.facts.artifact_sha256_actual_derived_by"),
          description="the SHA-256 of the model artefact in S3"),
)


def normalise_group(d: dict, scope: Scope) -> Shape:
    props = {
        "ModelPackageGroupName": d["ModelPackageGroupName"],
        "ModelPackageGroupDescription": d.get("ModelPackageGroupDescription"),
        "ModelPackageGroupStatus": d.get("ModelPackageGroupStatus"),
        "CreatedBy": d.get("CreatedBy"),
        "CreationTime": d.get("CreationTime"),
    }
    return Shape(id=d["ModelPackageGroupName"], arn=d["ModelPackageGroupArn"], properties=iso(props))


def _normalise_digest(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower()
    return value.removeprefix("sha256:")


def signature_fact(metadata: dict | None) -> dict:
    md = metadata or {}
    fact = {
        "present": bool(md.get(SIGNATURE_KEY)),
        "signing_profile": md.get(SIGNING_PROFILE_KEY) or None,
        "key_id": md.get(SIGNING_KEY_KEY) or None,
        "artifact_digest_claimed": _normalise_digest(md.get(DIGEST_KEY)),
        "derived_by": (f"CustomerMetadataProperties keys {SIGNATURE_KEY}, {SIGNING_PROFILE_KEY}, "
                       f"{SIGNING_KEY_KEY}, {DIGEST_KEY}; verified by signature_check.py"),
    }
    return {k: v for k, v in fact.items() if v is not None}


def artifact_url(d: dict) -> str | None:
    """The artifact a package's signature is about: the first container's model data."""
    for c in (d.get("InferenceSpecification") or {}).get("Containers") or []:
        url = c.get("ModelDataUrl") or ((c.get("ModelDataSource") or {}).get("S3DataSource") or {}).get("S3Uri")
        if url:
            return url
    return None


def artifact_digest(scope: Scope, url: str, facets: dict[str, FacetStatus] | None = None) -> dict:
    """The SHA-256 S3 holds for one artifact, with how it was obtained, or why not.

    Read-only (HeadObject, GetObject), once per URL per scan (packages often share an
    artefact). A failure to read the artifact is recorded in the fact and, when
    `facets` is given, as the package's `artifact` facet missing (the call and the
    error, or the read budget): the package itself was read, and a policy that needs
    the digest is NOT_ASSESSED, saying why.
    """
    check = artefact_reads(scope).once(url, lambda: _read_digest(scope, url))
    failed = check.pop("facet_failure", None)   # the cached answer carries it for every package
    if failed and facets is not None:
        facets["artifact"] = FacetStatus.failed(*failed)
    return check


def _read_digest(scope: Scope, url: str) -> dict:
    """artifact_digest's read; a failed read is named in `facet_failure` (call, code, why)."""
    bucket, key = bucket_of(url), s3_key_of(url)
    if not bucket or not key or not url.startswith("s3://"):
        return {"url": url, "error": "not an s3://bucket/key URL"}
    s3 = scope.client("s3")
    step = "s3:HeadObject"   # the read under way: a remembered failure may surface on any thread
    try:
        head = artefact_size.head_once(scope, url)   # the HeadObject the size read shares
        checksum = head.get("ChecksumSHA256")
        # A multipart upload's COMPOSITE checksum ("…-N") is a checksum of part
        # checksums, not the object's digest.
        if checksum and "-" not in checksum and head.get("ChecksumType", "FULL_OBJECT") == "FULL_OBJECT":
            return {"url": url, "sha256": base64.b64decode(checksum).hex(),
                    "method": "s3:HeadObject ChecksumSHA256"}
        size = int(head.get("ContentLength") or 0)
        refused = artefact_reads(scope).reserve(size)
        if refused:
            why = f"artefact larger than the read limit and no stored SHA-256: {refused}"
            return {"url": url, "error": why, "read_limit": True,
                    "facet_failure": ("s3:GetObject", "ReadLimit", why)}
        step = "s3:GetObject"
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        h = hashlib.sha256()
        for chunk in iter(lambda: body.read(1024 * 1024), b""):
            h.update(chunk)
        return {"url": url, "sha256": h.hexdigest(), "method": "s3:GetObject, SHA-256 of the bytes"}
    except ClientError as exc:
        if error_code(exc) in _GONE:
            # An artefact that is not there is a fact about the package: the policy fails it.
            return {"url": url, "error": f"{error_code(exc)}: {str(exc).splitlines()[0]}"}
        return {"url": url, "error": f"{error_code(exc)}: {str(exc).splitlines()[0]}",
                "facet_failure": (f"s3:{exc.operation_name}", error_code(exc), str(exc).splitlines()[0])}
    except (binascii.Error, ValueError) as exc:
        return {"url": url, "error": f"unreadable ChecksumSHA256: {exc}",
                "facet_failure": ("s3:HeadObject", "UnreadableChecksum", str(exc))}
    except WriteRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a hung, reset or unreadable read: the facet's gap
        op = getattr(exc, "kwargs", {}).get("action") or step
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return {"url": url, "error": f"{type(exc).__name__}: {why}",
                "facet_failure": (op, error_code(exc), why)}


def _signing_key(scope: Scope, key_id: str) -> bytes:
    """What the recorded signing key resolves to in KMS and its public half (both cached
    per scan, so verify_signature reads nothing again); b"" for a key that does not exist
    (a fact that verify_signature reports as "could not verify"), raising for a failed read."""
    try:
        resolved = _resolve_key(scope, key_id)
        return _public_key(scope, resolved["key_arn"])
    except ClientError as exc:
        if error_code(exc) in _GONE:
            return b""
        raise


def normalise_package(d: dict, scope: Scope) -> Shape:
    versioned = d.get("ModelPackageVersion") is not None
    props = {
        "ModelPackageName": d.get("ModelPackageName"),
        "ModelPackageGroupName": d.get("ModelPackageGroupName"),
        "ModelPackageVersion": d.get("ModelPackageVersion"),
        "ModelPackageDescription": d.get("ModelPackageDescription"),
        "ModelPackageStatus": d.get("ModelPackageStatus"),
        "ModelPackageStatusDetails": d.get("ModelPackageStatusDetails"),
        # A versioned package registered without a status waits for approval
        # (PendingManualApproval); the status does not apply to unversioned ones.
        "ModelApprovalStatus": d.get("ModelApprovalStatus") or ("PendingManualApproval" if versioned else None),
        "ApprovalDescription": d.get("ApprovalDescription"),
        # The registry's lifecycle stage {Stage, StageStatus, StageDescription}; whoever
        # set it last is LastModifiedBy (CreatedBy when the package was never updated).
        "ModelLifeCycle": d.get("ModelLifeCycle"),
        "CustomerMetadataProperties": d.get("CustomerMetadataProperties") or {},
        "ModelMetrics": d.get("ModelMetrics"),
        "DriftCheckBaselines": d.get("DriftCheckBaselines"),
        "MetadataProperties": d.get("MetadataProperties"),
        "InferenceSpecification": d.get("InferenceSpecification"),
        "AdditionalInferenceSpecifications": d.get("AdditionalInferenceSpecifications"),
        "SourceAlgorithmSpecification": d.get("SourceAlgorithmSpecification"),
        "ValidationSpecification": d.get("ValidationSpecification"),
        "CertifyForMarketplace": d.get("CertifyForMarketplace"),
        "SkipModelValidation": d.get("SkipModelValidation"),
        "SecurityConfig": d.get("SecurityConfig"),
        "SourceUri": d.get("SourceUri"),
        "Domain": d.get("Domain"),
        "Task": d.get("Task"),
        "SamplePayloadUrl": d.get("SamplePayloadUrl"),
        "ModelCard": d.get("ModelCard"),
        "CreatedBy": d.get("CreatedBy"),
        "LastModifiedBy": d.get("LastModifiedBy"),
        "CreationTime": d.get("CreationTime"),
        "LastModifiedTime": d.get("LastModifiedTime"),
    }
    signature = signature_fact(d.get("CustomerMetadataProperties"))
    facets: dict[str, FacetStatus] = {}
    signature_b64 = (d.get("CustomerMetadataProperties") or {}).get(SIGNATURE_KEY)
    key_id = signature.get("key_id") or ""
    # Read the signing key first as the `signature` facet: a key that cannot be read
    # leaves the signature unverified for want of data (NOT_ASSESSED), not "does not verify".
    needs_key = bool(signature_b64 and signature.get("artifact_digest_claimed")
                     and key_id.startswith(KMS_ARN_PREFIXES))
    if not needs_key or read_facet(facets, "signature", "kms:GetPublicKey",
                                   lambda: _signing_key(scope, key_id)) is not None:
        signature = verify_signature(scope, signature, signature_b64)
    facts: dict = {"signature": signature}
    url = artifact_url(d)
    # The artifact is only read when the package claims a digest: that is when the
    # comparison means something, and it keeps large registries cheap to scan.
    if url and "artifact_digest_claimed" in signature:
        check = artifact_digest(scope, url, facets)
        facts["artifact_check"] = check
        if "sha256" in check:
            facts["artifact_sha256_actual"] = check["sha256"]
            facts["artifact_sha256_actual_derived_by"] = f"{check['method']} of {url}"

    facts["artifact_bytes"] = artefact_size.artifact_bytes(
        scope, list((d.get("InferenceSpecification") or {}).get("Containers") or []), facets)

    extra = {"model_package_group": [d.get("ModelPackageGroupName")]}
    if signature.get("signing_profile"):
        extra["signing_profiles"] = [signature["signing_profile"]]
    if signature.get("key_id", "").startswith(("arn:aws:kms:", "arn:aws-cn:kms:", "arn:aws-us-gov:kms:")):
        extra["kms_keys"] = [signature["key_id"]]
    arn = d["ModelPackageArn"]
    return Shape(id=arn, arn=arn, properties=iso(props), facts=facts,
                 relations=merge(references(d), extra), facets=facets)


register(
    CollectorSpec(
        type=GROUP_TYPE, service="sagemaker", iam_prefix="sagemaker",
        list_call=search_call("ModelPackageGroup"),
        describe_call=DescribeCall(operation="DescribeModelPackageGroup", param="ModelPackageGroupName",
                                   item_key="ModelPackageGroupName"),
        normalise=normalise_group, tags=TAGS_SAGEMAKER, usage_counter="model_package_groups",
        terraform=(TerraformType(name="aws_sagemaker_model_package_group"),),
        events=(CloudTrailEvent(name="CreateModelPackageGroup", paths=("requestParameters.modelPackageGroupName",)),),
        description="Model package groups of the Model Registry",
    ),
    CollectorSpec(
        type=PACKAGE_TYPE, service="sagemaker", iam_prefix="sagemaker",
        # Every package, versioned or not, with its metadata and tags, 100 per page.
        list_call=search_call("ModelPackage"),
        describe_call=DescribeCall(operation="DescribeModelPackage", param="ModelPackageName",
                                   item_key="ModelPackageArn"),
        normalise=normalise_package, tags=TAGS_SAGEMAKER, facets=PACKAGE_FACETS,
        # In list order, oldest first: which artefacts the scan's byte budget still covers
        # must not depend on thread timing (Search leaves no per-package SageMaker call).
        # Their HeadObjects (size and stored SHA-256, one per URL) are made before, in
        # parallel: what is left in order is hashing the bytes of an artefact without one.
        item_workers=1,
        prefetch=lambda scope, items: artefact_size.prefetch_heads(
            scope, [c for d in items for c in (d.get("InferenceSpecification") or {}).get("Containers") or []]),
        # Reading the artifact's checksum (HeadObject needs s3:GetObject) and, for an
        # SSE-KMS artefact, its key (kms:Decrypt: S3 decrypts for the reader); resolving
        # the signing key and its aliases, and its public half to verify signatures offline.
        extra_permissions=("s3:GetObject", "kms:Decrypt", "kms:DescribeKey", "kms:ListAliases",
                           "kms:GetPublicKey"),
        usage_counter="model_packages",
        events=(CloudTrailEvent(name="CreateModelPackage", paths=("responseElements.modelPackageArn",)),
                CloudTrailEvent(name="UpdateModelPackage", paths=("requestParameters.modelPackageArn",
                                                                  "responseElements.modelPackageArn"))),
        # The signing profile and key come from the signature read, not from a property.
        relations=with_references(
            Relation(name="model_package_group", target=GROUP_TYPE, paths=("ModelPackageGroupName",)),
            Relation(name="signing_profiles", target="AWS::Signer::SigningProfile"),
            # The artefact buckets (MLW-ENC-011); live, `references` finds them in the answer.
            buckets("InferenceSpecification.Containers[].ModelDataUrl")),
        description="Model packages: approval, metadata, metrics, containers, signature claims",
    ),
)
