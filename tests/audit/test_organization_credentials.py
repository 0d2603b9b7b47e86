"""Organisation scans keep working past the first AssumeRole session: the member
account's credentials renew themselves through the scan's read-only STS client."""
from __future__ import annotations

import datetime as dt

import botocore.credentials
import pytest

from mlwarden.aws.session import AwsContext
from mlwarden.permissions import scan_options
from mlwarden.organization import assume

from ..conftest import REGION

MEMBER = "222222222222"


@pytest.fixture
def base(aws):
    ctx = AwsContext(options=scan_options(assume_role_name="mlwarden-scan"))
    calls: list[dict] = []
    ctx.client("sts", REGION).meta.events.register(
        "before-parameter-build.sts.AssumeRole", lambda params, **_: calls.append(dict(params)))
    return ctx, calls


def _identity(ctx: AwsContext) -> tuple[str, str]:
    account = ctx.client("sts", REGION).get_caller_identity()["Account"]
    return account, ctx.session.get_credentials().get_frozen_credentials().access_key


def test_a_session_near_its_end_is_renewed_before_the_next_call(base):
    ctx, calls = base
    member = assume(ctx, MEMBER, "mlwarden-scan", REGION, duration=900)
    assert len(calls) == 1 and calls[0]["DurationSeconds"] == 900
    # 15 minutes of validity is inside botocore's refresh window: the next call renews
    account, _ = _identity(member)
    assert account == MEMBER
    assert len(calls) >= 2
    assert all(c["RoleArn"] == f"arn:aws:iam::{MEMBER}:role/mlwarden-scan" for c in calls)


def test_credentials_renew_once_the_first_hour_has_passed(base, monkeypatch):
    ctx, calls = base
    member = assume(ctx, MEMBER, "mlwarden-scan", REGION)
    account, first_key = _identity(member)
    assert account == MEMBER and len(calls) == 1  # a fresh hour-long session is not renewed
    # 55 minutes later on the credentials' clock (no sleeping): 5 minutes from expiry
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=55)
    creds = member.session.get_credentials()
    assert isinstance(creds, botocore.credentials.RefreshableCredentials)
    monkeypatch.setattr(creds, "_time_fetcher", lambda: later)
    account, second_key = _identity(member)
    assert account == MEMBER
    # (renewed at least once; the frozen clock keeps even the new session "near expiry")
    assert len(calls) >= 2 and second_key != first_key
