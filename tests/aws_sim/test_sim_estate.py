"""The benchmark's seeded estate is what it says: the counts it reports are what the
listing APIs return, and training jobs span a history, not one afternoon."""
from __future__ import annotations

import boto3
import pytest

from benchmarks.aws_sim.estate import REGION, EstateSize, seed_estate


@pytest.fixture
def fresh(moto_server):
    from mlwarden.demo import moto_extensions
    moto_extensions.install()
    moto_server.reset()
    yield moto_server
    moto_server.reset()


def _count(client, op: str, key: str, **kw) -> list:
    return [x for page in client.get_paginator(op).paginate(**kw) for x in page[key]]


def _packages(sm) -> list:
    """Versioned packages are listed per group (ListModelPackages without a group
    lists only unversioned ones)."""
    groups = _count(sm, "list_model_package_groups", "ModelPackageGroupSummaryList")
    return [p for g in groups for p in _count(sm, "list_model_packages", "ModelPackageSummaryList",
                                               ModelPackageGroupName=g["ModelPackageGroupName"])]


def test_counts_match_what_aws_lists_and_jobs_span_a_history(fresh):
    size = EstateSize().scaled(0.02)
    counts = seed_estate(fresh.url, size, seed=3)
    sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=fresh.url)
    assert len(_packages(sm)) == counts["model_packages"] == 40
    assert len(_count(sm, "list_model_package_groups", "ModelPackageGroupSummaryList")) == size.package_groups
    jobs = _count(sm, "list_training_jobs", "TrainingJobSummaries")
    assert len(jobs) == counts["training_jobs"] == 10
    created = sorted(j["CreationTime"] for j in jobs)
    assert (created[-1] - created[0]).days > 60
    assert len(_count(sm, "list_endpoints", "Endpoints")) == counts["endpoints"] == 6
    assert len(_count(sm, "list_endpoint_configs", "EndpointConfigs")) == 6
    s3 = boto3.client("s3", region_name=REGION, endpoint_url=fresh.url)
    assert len(s3.list_buckets()["Buckets"]) == counts["buckets"]


def test_the_same_seed_builds_the_same_estate(fresh):
    size = EstateSize().scaled(0.01)

    def snapshot() -> list:
        seed_estate(fresh.url, size, seed=5)
        sm = boto3.client("sagemaker", region_name=REGION, endpoint_url=fresh.url)
        out = []
        for summary in _packages(sm):
            d = sm.describe_model_package(ModelPackageName=summary["ModelPackageArn"])
            out.append((d["ModelPackageGroupName"], d["ModelApprovalStatus"],
                        d["InferenceSpecification"]["Containers"][0]["ModelDataUrl"]))
        fresh.reset()
        return sorted(out)

    first = snapshot()
    assert len(first) == size.packages == 20
    assert first == snapshot()
