"""Signer signing profiles. moto lacks ListSigningProfiles; the session's AWS emulation
(scanner/demo/moto_extensions.py) adds it so the collector runs its real calls."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.collectors.base import collect_spec, registry

from ..conftest import REGION

SPEC = registry()["AWS::Signer::SigningProfile"]


@pytest.fixture
def signer_api():
    return boto3.client("signer", region_name=REGION)


def test_signing_profiles_listed_and_read(aws, scope, signer_api):
    signer_api.put_signing_profile(profileName="model_signing", platformId="AWSLambda-SHA384-ECDSA",
                                   signatureValidityPeriod={"value": 12, "type": "MONTHS"},
                                   tags={"owner": "ml-platform"})
    signer_api.put_signing_profile(profileName="old_profile", platformId="AWSLambda-SHA384-ECDSA")
    signer_api.cancel_signing_profile(profileName="old_profile")
    for i in range(30):  # more than one page of 25
        signer_api.put_signing_profile(profileName=f"p{i:02d}", platformId="AWSLambda-SHA384-ECDSA")

    result = collect_spec(SPEC, scope)

    assert result.gaps == []
    profiles = {r.id: r for r in result.resources}
    assert len(profiles) == 31 and "old_profile" not in profiles  # canceled ones are not listed
    p = profiles["model_signing"]
    assert p.arn.endswith(":/signing-profiles/model_signing")
    assert p.properties["ProfileName"] == "model_signing"
    assert p.properties["PlatformId"] == "AWSLambda-SHA384-ECDSA"
    assert p.properties["Status"] == "Active"
    assert p.properties["SignatureValidityPeriod"] == {"Type": "MONTHS", "Value": 12}
    assert p.tags == {"owner": "ml-platform"}


def test_unsupported_list_call_is_a_coverage_gap(aws, scope, monkeypatch):
    # moto as shipped has no route for ListSigningProfiles and answers "not implemented",
    # as an endpoint lacking the API would: a gap, not "no profiles". (Remove the route
    # an extension may have added earlier in this process.)
    from moto.signer import urls
    monkeypatch.delitem(urls.url_paths, "{0}/signing-profiles$", raising=False)
    result = collect_spec(SPEC, scope)
    assert result.resources == []
    [gap] = result.gaps
    assert gap.resource_type == "AWS::Signer::SigningProfile"
    assert gap.operation == "signer:ListSigningProfiles"
    assert gap.region == REGION


def test_only_a_profile_that_is_not_active_is_described(aws, scope, aws_context, signer_api):
    # The listing carries all GetSigningProfile would add for an Active profile; a revoked
    # one has a revocation record and a status reason only GetSigningProfile answers.
    from moto.signer.models import signer_backends
    for name in ("active_one", "active_two", "revoked_one"):
        signer_api.put_signing_profile(profileName=name, platformId="AWSLambda-SHA384-ECDSA")
    signer_backends[scope.account][REGION].signing_profiles["revoked_one"].status = "Revoked"
    described = []
    aws_context.client("signer", REGION).meta.events.register(
        "before-call.signer.GetSigningProfile", lambda params, **kw: described.append(params["url_path"]))
    result = collect_spec(SPEC, scope)
    assert result.gaps == []
    assert {r.id: r.properties["Status"] for r in result.resources} == {
        "active_one": "Active", "active_two": "Active", "revoked_one": "Revoked"}
    assert described == ["/signing-profiles/revoked_one"]
