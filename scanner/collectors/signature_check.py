"""Verifying model-package signatures made by `mlwarden sign` (remediations/model_package_sign.py).

The signature is KMS Sign(ECDSA_SHA_256, MessageType=RAW) over the artifact's hex
SHA-256 as ASCII. It is verified offline against the key's public half
(kms:GetPublicKey, a read) with the `cryptography` library, so a scan needs no
kms:Verify call and the read-only guard stays absolute. A signature that cannot be
checked (a Signer profile, no key, an unreadable key) leaves `verified` out and
says why in `verify_error`; policies treat that as "could not be verified", never
as verified.
"""
from __future__ import annotations

import base64
import binascii
import threading

from .base import READ_ERRORS, Scope, error_code

_PUBLIC_KEYS: dict[str, bytes] = {}   # key ARN → DER public key (immutable for a key)
_LOCK = threading.Lock()
KMS_ARN_PREFIXES = ("arn:aws:kms:", "arn:aws-cn:kms:", "arn:aws-us-gov:kms:")


def verify_signature(scope: Scope, signature: dict, signature_b64: str | None) -> dict:
    """Return `signature` with `verified` (bool) or `verify_error` (str) added."""
    out = dict(signature)
    key_id = signature.get("key_id") or ""
    digest = signature.get("artifact_digest_claimed")
    if not signature.get("present") or not signature_b64:
        return out
    if not key_id.startswith(KMS_ARN_PREFIXES):
        out["verify_error"] = ("no KMS key ARN recorded (mlwarden:signing-key); a Signer-profile "
                               "signature cannot be verified offline")
        return out
    if not digest:
        out["verify_error"] = "no artifact digest recorded (mlwarden:artifact-sha256)"
        return out
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
    except ImportError:
        out["verify_error"] = "the 'cryptography' package is not installed"
        return out
    try:
        der = _public_key(scope, key_id)
    except READ_ERRORS as exc:
        out["verify_error"] = f"kms:GetPublicKey failed: {error_code(exc)}"
        return out
    try:
        raw = base64.b64decode(signature_b64, validate=True)
        key = serialization.load_der_public_key(der)
        if not isinstance(key, ec.EllipticCurvePublicKey):
            out["verify_error"] = "signing key is not an ECC key (expected ECDSA_SHA_256)"
            return out
        key.verify(raw, digest.encode("ascii"), ec.ECDSA(hashes.SHA256()))
        out["verified"] = True
    except (InvalidSignature, binascii.Error, ValueError):
        out["verified"] = False
    out["verified_derived_by"] = ("ECDSA_SHA_256 over the claimed hex SHA-256, checked against "
                                  "kms:GetPublicKey of the recorded key")
    return out


def _public_key(scope: Scope, key_arn: str) -> bytes:
    with _LOCK:
        cached = _PUBLIC_KEYS.get(key_arn)
    if cached is not None:
        return cached
    region = key_arn.split(":")[3] or scope.region
    der = scope.aws.client("kms", region).get_public_key(KeyId=key_arn)["PublicKey"]
    with _LOCK:
        _PUBLIC_KEYS[key_arn] = der
    return der
