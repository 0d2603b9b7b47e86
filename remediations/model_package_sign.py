"""Sign a model package's artifact with a KMS asymmetric key (also `mlwarden sign`).

The SageMaker Model Registry has no signature field, so the signature lives in the
package's CustomerMetadataProperties, in the keys the registry collector reads:

    mlwarden:signature        base64 of KMS Sign(KeyId, Message=<hex SHA-256 of the
                              artifact, as ASCII>, MessageType=RAW, ECDSA_SHA_256)
    mlwarden:signing-key      the KMS key ARN that signed (GetPublicKey verifies it)
    mlwarden:artifact-sha256  hex SHA-256 of the artifact (the first container's
                              ModelDataUrl), hashed from the S3 object's bytes

An ECC_NIST_P256 key is required: a metadata value holds at most 256 characters, and
an ECDSA P-256 signature is about 96 base64 characters where an RSA one is 344+.
"""
from __future__ import annotations

import base64
import hashlib

from .base import Call, Executor, Plan, PlanRefused, Runbook, Target, register

SIGNATURE_KEY = "mlwarden:signature"
SIGNING_KEY_KEY = "mlwarden:signing-key"
DIGEST_KEY = "mlwarden:artifact-sha256"
ALGORITHMS = {"ECC_NIST_P256": "ECDSA_SHA_256", "ECC_SECG_P256K1": "ECDSA_SHA_256"}
SIGNATURE_PLACEHOLDER = "<base64 signature returned by kms:Sign>"


def signing_key(t: Target) -> str:
    key = t.setting("signing_key") or next(iter(t.settings.get("trusted_signing_keys") or []), None)
    if not key:
        raise PlanRefused("settings: 'remediation.signing_key' is not set (a KMS ECC_NIST_P256 key that "
                          "signs model packages)")
    return key


def artifact_url(package: dict) -> str:
    for c in (package.get("InferenceSpecification") or {}).get("Containers") or []:
        if c.get("ModelDataUrl"):
            return c["ModelDataUrl"]
    raise PlanRefused(f"model package {package['ModelPackageArn']} has no ModelDataUrl to sign")


def sha256_of(t: Target, url: str) -> str:
    if not url.startswith("s3://") or "/" not in url[5:]:
        raise PlanRefused(f"artifact {url} is not an s3://bucket/key URL")
    bucket, key = url[5:].split("/", 1)
    body = t.client("s3").get_object(Bucket=bucket, Key=key)["Body"]
    h = hashlib.sha256()
    for chunk in iter(lambda: body.read(1024 * 1024), b""):
        h.update(chunk)
    return h.hexdigest()


def read_state(t: Target) -> dict:
    p = t.client("sagemaker").describe_model_package(ModelPackageName=t.arn or t.id)
    url = artifact_url(p)
    key = t.client("kms").describe_key(KeyId=signing_key(t))["KeyMetadata"]
    meta = p.get("CustomerMetadataProperties") or {}
    return {"ModelPackageArn": p["ModelPackageArn"], "ModelApprovalStatus": p.get("ModelApprovalStatus"),
            "artifact": url, "artifact_sha256": sha256_of(t, url),
            "key": {"Arn": key["Arn"], "KeySpec": key.get("KeySpec"), "KeyUsage": key.get("KeyUsage"),
                    "KeyState": key.get("KeyState")},
            "claimed": {k: meta.get(k) for k in (SIGNATURE_KEY, SIGNING_KEY_KEY, DIGEST_KEY)}}


def changes(state: dict, t: Target) -> list[Call]:
    key = state["key"]
    claimed = state["claimed"]
    if (claimed[SIGNATURE_KEY] and claimed[SIGNING_KEY_KEY] == key["Arn"]
            and claimed[DIGEST_KEY] == state["artifact_sha256"]):
        return []
    algorithm = ALGORITHMS.get(key["KeySpec"])
    if algorithm is None or key["KeyUsage"] != "SIGN_VERIFY" or key["KeyState"] != "Enabled":
        raise PlanRefused(f"signing key {key['Arn']} must be an enabled SIGN_VERIFY key of spec "
                          f"{' or '.join(ALGORITHMS)} (it is {key['KeySpec']}, {key['KeyUsage']}, {key['KeyState']})")
    return [
        Call(service="kms", operation="Sign", note=f"sign the SHA-256 of {state['artifact']}",
             params={"KeyId": key["Arn"], "Message": state["artifact_sha256"],
                     "MessageType": "RAW", "SigningAlgorithm": algorithm}),
        Call(service="sagemaker", operation="UpdateModelPackage", note="record the signature",
             params={"ModelPackageArn": state["ModelPackageArn"], "CustomerMetadataProperties": {
                 SIGNATURE_KEY: SIGNATURE_PLACEHOLDER, SIGNING_KEY_KEY: key["Arn"],
                 DIGEST_KEY: state["artifact_sha256"]}}),
    ]


def execute(plan: Plan, ex: Executor, t: Target, state: dict) -> str:
    sign, update = plan.calls
    signature = base64.b64encode(ex.call(sign)["Signature"]).decode()
    props = {**update.params["CustomerMetadataProperties"], SIGNATURE_KEY: signature}
    ex.call(Call(service=update.service, operation=update.operation, note=update.note,
                 params={**update.params, "CustomerMetadataProperties": props}))
    return "applied"


_RUNBOOK = Runbook(
    id="model-package-sign", title="Sign the model package's artifact (KMS) and record the signature",
    policies=("MLW-INT-001",), resource_types=("AWS::SageMaker::ModelPackage",),
    permissions=("sagemaker:DescribeModelPackage", "sagemaker:UpdateModelPackage", "s3:GetObject",
                 "kms:DescribeKey", "kms:Sign"),
    read_state=read_state, changes=changes, execute=execute,
)
register(_RUNBOOK)


def sign_package(arn: str, *, key: str, settings: dict, reader, writer, audit):
    """`mlwarden sign`: plan on `reader` (read-only), apply on `writer`, audited."""
    from mlwarden.model import Finding, ResourceRef, Severity, Status

    parts = arn.split(":")
    finding = Finding(
        policy_id="mlwarden-sign", title="Sign a model package", severity=Severity.INFO,
        category="model-integrity", status=Status.FAIL, message="signature requested with mlwarden sign",
        resource=ResourceRef(type="AWS::SageMaker::ModelPackage", id=arn, arn=arn, account=parts[4],
                             region=parts[3]).to_dict(),
        remediation={"runbook": "model-package-sign"})
    settings = {**settings, "remediation": {**(settings.get("remediation") or {}), "signing_key": key}}
    runbook = _RUNBOOK
    plan = runbook.plan([finding], reader, settings)
    return runbook.apply(plan, writer, audit, settings)
