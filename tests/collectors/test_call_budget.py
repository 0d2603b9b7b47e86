"""AWS API calls per resource: what a scan costs against an account's rate limits.

Counted with botocore's own `before-call` event on every session the scan creates
(benchmarks/aws_sim/call_count.py), on the demo estate as `mlwarden demo` collects it (two
accounts, through the scan role) and on the workload account grown by 1,000+ ordinary
resources. Bulk reads (Search, GetAccountAuthorizationDetails, the Tagging API, one
DescribeScalableTargets per region) are what keep these figures down; a change that
goes back to per-item describes and tags fails here.
"""
from __future__ import annotations

import os

import pytest

from benchmarks.aws_sim.call_count import CallCount, ScaleSpec, seed_scale
from mlwarden.api import collect_inventory
from mlwarden.permissions import scan_options

from ..support.demo_estate import seeded_demo_server

# A moto server of its own (not the `moto_server` fixture the tiers look for): the aws tier.
pytestmark = pytest.mark.aws

# The goals (main measured 2.60 on the demo and 2.44 at 1,086 resources). The
# demo met 1.3 at 93 resources (1.29); it then gained seven types (Lambda functions,
# CloudWatch alarms, EventBridge rules, inference components, three Service Catalog
# types), each of which costs at least one listing per account and region whatever it
# holds, and measured 1.36 at 112 resources. Monitoring schedules then came from their
# endpoint's Search record, AWS's default quotas once per scan and region, Active signing
# profiles from their listing: 145 calls for 112 resources, 1.29
# (`benchmarks/collect_calls.py`). At scale (below) bulk reads keep it far under 1.2.
DEMO_BUDGET = 1.3
SCALE_BUDGET = 1.2


@pytest.fixture(scope="module")
def demo():
    from mlwarden.demo.estate import DEMO_REGION
    from mlwarden.demo.server import fake_credentials

    with seeded_demo_server() as (server, estate), fake_credentials():
        yield server.url, DEMO_REGION, estate


def _collect(url: str, region: str, **kwargs):
    from mlwarden.demo.server import fake_credentials
    counter = CallCount()
    with fake_credentials(), counter.counting():
        inv = collect_inventory(scan_options(endpoint_url=url), [region], **kwargs)
    return counter, inv


def test_demo_estate_costs_at_most_1_3_calls_per_resource(demo):
    from mlwarden.demo.run import SCAN_ROLE
    url, region, estate = demo
    counter, inv = _collect(url, region, accounts=[estate.account, estate.registry_account], role_name=SCAN_ROLE)
    assert inv.gaps == [] and len(inv.resources) > 80
    print("\n" + counter.report(len(inv.resources)))
    assert counter.total / len(inv.resources) <= DEMO_BUDGET, counter.report(len(inv.resources))
    # Packages, models and training jobs come whole from Search: no describe or tags per item.
    # Monitoring schedules come with their endpoint's Search record, AWS's default quotas once.
    for per_item in ("sagemaker:DescribeModelPackage", "sagemaker:DescribeModel", "sagemaker:DescribeTrainingJob",
                     "iam:GetRole", "s3:GetBucketLocation", "sagemaker:DescribeMonitoringSchedule"):
        assert counter.calls[per_item] == 0, per_item
    assert counter.calls["service-quotas:ListAWSDefaultServiceQuotas"] == 1   # two accounts, one region


def test_a_1000_resource_account_costs_at_most_1_2_calls_per_resource(demo):
    url, region, _ = demo
    seed_scale(url, region, ScaleSpec())
    counter, inv = _collect(url, region)
    assert inv.gaps == [] and len(inv.resources) >= 1000
    print("\n" + counter.report(len(inv.resources)))
    assert counter.total / len(inv.resources) <= SCALE_BUDGET, counter.report(len(inv.resources))
    # Pages of 100: 400 packages are 4 or 5 Search pages, not 400 describes.
    assert counter.calls["sagemaker:Search"] <= 20
