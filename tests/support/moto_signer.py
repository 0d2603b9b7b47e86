"""moto 5.2.5 does not implement Signer ListSigningProfiles; this adds it, following
the AWS Signer API reference (GET /signing-profiles → {"profiles": [...], "nextToken"}).

Each profile in the answer carries profileName, profileVersion, profileVersionArn,
arn, platformId, platformDisplayName, signatureValidityPeriod, signingMaterial,
status and tags. Canceled profiles are left out unless includeCanceled=true, and
`statuses` / `platformId` filter as documented. Pagination: maxResults/nextToken
(the token is the index of the next profile).

`install()` is idempotent and changes only moto's classes, so it is safe to call
from any test that needs it.
"""
from __future__ import annotations

import json

from moto.signer import urls as signer_urls
from moto.signer.models import SignerBackend
from moto.signer.responses import SignerResponse


def _list_signing_profiles(self: SignerBackend, include_canceled: bool, statuses: list[str],
                           platform_id: str | None) -> list[dict]:
    out = []
    for profile in self.signing_profiles.values():
        if profile.status == "Canceled" and not include_canceled:
            continue
        if statuses and profile.status not in statuses:
            continue
        if platform_id and profile.platform_id != platform_id:
            continue
        out.append(profile.to_dict(full=True))
    return out


def _response_list_signing_profiles(self: SignerResponse) -> str:
    qs = self.querystring
    profiles = self.signer_backend.list_signing_profiles(
        include_canceled=(qs.get("includeCanceled") or ["false"])[0].lower() == "true",
        statuses=qs.get("statuses") or [],
        platform_id=(qs.get("platformId") or [None])[0])
    start = int((qs.get("nextToken") or ["0"])[0])
    size = int((qs.get("maxResults") or ["25"])[0])
    page = profiles[start:start + size]
    body: dict = {"profiles": page}
    if start + size < len(profiles):
        body["nextToken"] = str(start + size)
    return json.dumps(body)


def install() -> None:
    SignerBackend.list_signing_profiles = _list_signing_profiles
    SignerResponse.list_signing_profiles = _response_list_signing_profiles
    # GET /signing-profiles (moto only routes /signing-profiles/<name>)
    signer_urls.url_paths.setdefault("{0}/signing-profiles$", SignerResponse.dispatch)
