"""Verifying model-package signatures made by `mlwarden sign` (remediations/model_package_sign.py).

The signature is KMS Sign(ECDSA_SHA_256, MessageType=RAW) over the artifact's hex
SHA-256 as ASCII. The recorded key is resolved in KMS (kms:DescribeKey, the aliases
pointing at it with kms:ListAliases) and the signature verified offline against the
resolved key's public half (kms:GetPublicKey, a read) with the `cryptography`
library, so a scan needs no kms:Verify call and the read-only guard stays absolute. A signature that cannot be
checked (a Signer profile, no key, an unreadable key) leaves `verified` out and
says why in `verify_error`; policies treat that as "could not be verified", never
as verified.
"""
from __future__ import annotations

import base64
import binascii
import threading

from ..aws.session import paginate
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
        out.update(_resolve_key(scope, key_id))
    except READ_ERRORS as exc:
        out["verify_error"] = f"{_operation(exc, 'kms:DescribeKey')} failed: {error_code(exc)}"
        return out
    try:
        # The key the recorded id resolves to now (an alias ARN follows the alias).
        der = _public_key(scope, out["key_arn"])
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


def _operation(exc: BaseException, default: str) -> str:
    op = getattr(exc, "operation_name", None)
    return f"kms:{op}" if op else default


def _resolve_key(scope: Scope, key_id: str) -> dict:
    """What the recorded signing key is, read from KMS once per scan: its key ARN, its
    state and the alias ARNs pointing at it now. Trust is judged on these, never on
    the ids a package's own metadata records (those can name anything)."""
    with _LOCK:
        cache = scope.aws.scan_state.setdefault("signing_keys", {})
        if key_id in cache:
            return dict(cache[key_id])
    region = key_id.split(":")[3] or scope.region
    kms = scope.aws.client("kms", region)
    parts = key_id.split(":")
    if len(parts) == 6 and parts[5].startswith("key/") and (parts[3], parts[4]) == (scope.region, scope.account):
        # A key of the account and region being collected: the KMS collector's reads of
        # this run (one DescribeKey per key, one ListAliases per region) serve both.
        from .kms import describe_key, region_aliases
        meta = describe_key(scope, parts[5][4:])
        listed = [a for a in region_aliases(scope) if a.get("TargetKeyId") == meta["KeyId"]]
    else:
        meta = kms.describe_key(KeyId=key_id)["KeyMetadata"]
        listed = list(paginate(kms, "ListAliases", "Aliases", KeyId=meta["KeyId"]))
    _, partition, _, key_region, account = meta["Arn"].split(":")[:5]
    aliases = sorted(f"arn:{partition}:kms:{key_region}:{account}:{a['AliasName']}" for a in listed)
    resolved = {"key_arn": meta["Arn"], "key_state": meta.get("KeyState"), "key_aliases": aliases,
                "key_resolved_by": "kms:DescribeKey and kms:ListAliases of the recorded key, at scan time"}
    with _LOCK:
        cache[key_id] = resolved
    return dict(resolved)


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


# --- artefact reads: one read per URL per scan, within byte budgets ---------------------

DEFAULT_MAX_OBJECT_BYTES = 16 * 1024 * 1024
DEFAULT_MAX_SCAN_BYTES = 256 * 1024 * 1024


class ArtefactReads:
    """What one scan reads of model artefacts: each URL's result once (many packages
    point at one artefact), and object bytes within a per-object and a per-scan budget.

    A read the budget refuses is a reason ("not read: …"), never a digest: the
    policy that needs it cannot pass on it. Shared by every thread and account of the
    scan through `AwsContext.scan_state`.
    """

    def __init__(self, *, max_object_bytes: int = DEFAULT_MAX_OBJECT_BYTES,
                 max_scan_bytes: int = DEFAULT_MAX_SCAN_BYTES):
        self.max_object_bytes, self.max_scan_bytes = max_object_bytes, max_scan_bytes
        self.bytes_read = 0
        self._results: dict[str, dict] = {}
        self._url_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: dict | None) -> "ArtefactReads":
        limits = (settings or {}).get("artefact_reads") or {}
        return cls(max_object_bytes=int(limits.get("max_object_bytes", DEFAULT_MAX_OBJECT_BYTES)),
                   max_scan_bytes=int(limits.get("max_scan_bytes", DEFAULT_MAX_SCAN_BYTES)))

    def once(self, url: str, read) -> dict:
        """`read()`'s result for `url`, computed by the first caller only."""
        with self._lock:
            url_lock = self._url_locks.setdefault(url, threading.Lock())
        with url_lock:   # a second package waits for the first read instead of repeating it
            if url not in self._results:
                self._results[url] = read()
            return dict(self._results[url])

    def reserve(self, size: int) -> str | None:
        """Take `size` bytes from the budgets, or say why they cannot be read."""
        if size > self.max_object_bytes:
            return (f"not read: the object ({size} bytes) is larger than the per-object artefact read "
                    f"budget ({self.max_object_bytes} bytes, settings artefact_reads.max_object_bytes)")
        with self._lock:
            if self.bytes_read + size > self.max_scan_bytes:
                return (f"not read: the scan's artefact read budget is spent ({self.bytes_read} of "
                        f"{self.max_scan_bytes} bytes read, this object needs {size}; settings "
                        f"artefact_reads.max_scan_bytes)")
            self.bytes_read += size
        return None


def artefact_reads(scope: Scope) -> ArtefactReads:
    """The scan's artefact reads (default budgets when the scan set none)."""
    state = scope.aws.scan_state
    with _LOCK:
        if "artefact_reads" not in state:
            state["artefact_reads"] = ArtefactReads()
        return state["artefact_reads"]
