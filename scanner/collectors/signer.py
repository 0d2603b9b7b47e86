"""AWS Signer signing profiles: the profiles that sign model artefacts and code."""
from __future__ import annotations

from .base import CollectorSpec, DescribeCall, ListCall, Scope, Shape, register


def normalise(d: dict, scope: Scope) -> Shape:
    validity = d.get("signatureValidityPeriod") or {}
    revocation = d.get("revocationRecord") or {}
    props = {
        "ProfileName": d["profileName"],
        "ProfileVersion": d.get("profileVersion"),
        "ProfileVersionArn": d.get("profileVersionArn"),
        "PlatformId": d.get("platformId"),
        "Status": d.get("status"),
        "StatusReason": d.get("statusReason"),
        "SignatureValidityPeriod": {"Type": validity.get("type"), "Value": validity.get("value")}
                                   if validity else None,
        "SigningMaterial": {"CertificateArn": (d.get("signingMaterial") or {}).get("certificateArn")}
                           if d.get("signingMaterial") else None,
        "RevocationRecord": {"RevokedAt": revocation["revokedAt"].isoformat() if revocation.get("revokedAt")
                             else None, "RevokedBy": revocation.get("revokedBy"),
                             "RevocationEffectiveFrom": revocation["revocationEffectiveFrom"].isoformat()
                             if revocation.get("revocationEffectiveFrom") else None} if revocation else None,
    }
    return Shape(id=d["profileName"], arn=d["arn"], properties=props, tags=dict(d.get("tags") or {}))


def listed_whole(scope: Scope, item: dict) -> dict | None:
    """An Active profile as ListSigningProfiles lists it: the listing's SigningProfile has
    every field GetSigningProfile answers but the revocation record and the status
    reason, which only a revoked or cancelled profile has. Any other is described."""
    return item if item.get("status") == "Active" and "revocationRecord" not in item else None


register(CollectorSpec(
    type="AWS::Signer::SigningProfile", service="signer", iam_prefix="signer",
    list_call=ListCall(operation="ListSigningProfiles", result_key="profiles"),
    describe_call=DescribeCall(operation="GetSigningProfile", param="profileName", item_key="profileName"),
    normalise=normalise, bulk_record=listed_whole,
    description="Signer signing profiles: platform, status, signature validity",
))
