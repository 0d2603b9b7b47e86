"""The verifying re-scan after `--apply` judges with the engine the user chose (or the
one that made the findings: scanner/commands/remediate.py), through the scan pipeline,
not with a fixed one."""
from __future__ import annotations

import boto3
import pytest

from mlwarden.errors import InputError
from mlwarden.remediations.engine import verify_plans

from ..conftest import REGION
from ..engine.conftest import opa_binary  # noqa: F401 - the fixture: skips without an `opa` binary
from .conftest import finding


@pytest.fixture
def fixed_bucket(fixer, hooks, settings):
    boto3.client("s3", region_name=REGION).create_bucket(
        Bucket="fraud-data", CreateBucketConfiguration={"LocationConstraint": REGION})
    key = boto3.client("kms", region_name=REGION).create_key(Description="data")["KeyMetadata"]["Arn"]
    settings["remediation"]["kms_key"] = key
    [plan] = fixer.plan(finding("AWS::S3::Bucket", "fraud-data", "MLW-ENC-012", "s3-sse-kms",
                                arn="arn:aws:s3:::fraud-data"))
    [result] = fixer.apply([plan], verify=False)
    assert result.status == "applied"
    return plan


def test_an_engine_that_does_not_exist_is_refused_not_replaced(fixed_bucket, reader, settings):
    assert verify_plans([fixed_bucket], reader, settings, engine="wasm")[id(fixed_bucket)].status == "PASS"
    with pytest.raises(InputError, match="unknown engine 'regopy'"):
        verify_plans([fixed_bucket], reader, settings, engine="regopy")


def test_the_opa_engine_verifies_as_the_wasm_engine_does(fixed_bucket, reader, settings, opa_binary):
    verdict = verify_plans([fixed_bucket], reader, settings, engine="opa")[id(fixed_bucket)]
    assert verdict.status == "PASS", verdict
