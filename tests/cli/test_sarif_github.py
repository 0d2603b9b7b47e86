"""A live scan's findings.sarif as GitHub code scanning takes it: valid against the
official SARIF 2.1.0 schema, and within GitHub's documented ingestion rules (every
result anchored at a relative artifact URI with a start line, its rule present, a valid
level, security-severity a number in 0.0-10.0, tag/result/rule limits, and the
primaryLocationLineHash fingerprint that tracks an alert across runs). The rules are in
tests/support/github_sarif.py, quoted from "SARIF support for code scanning":
https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from mlwarden.cli import main

from ..conftest import ACCOUNT, REGION
from ..support.github_sarif import ingestion_problems
from .conftest import reset


@pytest.fixture(scope="module")
def demo_estate(moto_server):
    """The demo estate (about 75 resources: IAM, S3, KMS, VPC, SageMaker, the model
    registry) seeded over HTTP into the shared moto server."""
    from mlwarden.demo import moto_extensions
    from mlwarden.demo.estate import seed
    from mlwarden.demo.server import fake_credentials
    moto_extensions.install()
    reset(moto_server)
    with fake_credentials():
        seed(moto_server.url)
    yield moto_server
    reset(moto_server)


def _scan(server, out: Path) -> dict:
    result = CliRunner().invoke(main, ["scan", "--endpoint-url", server.url, "--regions", REGION, "--out", str(out),
                                       "--format", "json,sarif", "--fail-on", "none", "-q"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "findings.sarif").read_text())


@pytest.fixture(scope="module")
def two_scans(demo_estate, tmp_path_factory) -> tuple[dict, dict, dict]:
    from mlwarden.demo.server import fake_credentials
    out = tmp_path_factory.mktemp("sarif")
    with fake_credentials():   # module scope: before the per-test environment fixture
        first = _scan(demo_estate, out / "first")
        second = _scan(demo_estate, out / "second")
    return first, second, json.loads((out / "first" / "findings.json").read_text())


def test_live_scan_sarif_validates_against_the_official_schema(two_scans):
    log = two_scans[0]
    schema = json.loads(resources.files("mlwarden.reports").joinpath("schemas", "sarif-schema-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)


def test_live_scan_sarif_passes_githubs_ingestion_rules(two_scans):
    log, _, findings = two_scans
    assert ingestion_problems(log) == []
    failing = [f for f in findings["findings"] if f["status"] in ("FAIL", "ERROR", "WAIVED")]
    assert len(log["runs"][0]["results"]) == len(failing) > 100   # every failure is an alert, none dropped


def test_each_live_result_names_its_resource_in_a_relative_uri_and_keeps_the_arn(two_scans):
    results = two_scans[0]["runs"][0]["results"]
    by_arn, templates = {}, {}
    for r in results:
        loc = r["locations"][0]
        arn = loc["logicalLocations"][0]["fullyQualifiedName"]
        if arn.startswith("cfn://service-catalog/"):   # a Service Catalog product's template resource
            templates[arn] = loc["physicalLocation"]
            continue
        assert arn.startswith("arn:aws:")
        by_arn[arn] = loc["physicalLocation"]
    # a product template's resource is anchored at its line in the template, named by product and version
    assert templates and all(p["artifactLocation"]["uri"].startswith("service-catalog/")
                             and p["region"]["startLine"] >= 1 for p in templates.values())
    role = next(a for a in by_arn if ":iam::" in a and ":role/" in a)
    assert by_arn[role]["artifactLocation"]["uri"] == f"aws/{ACCOUNT}/global/iam/role/{role.split(':role/')[1]}"
    package = next(a for a in by_arn if ":model-package/" in a)
    assert by_arn[package]["artifactLocation"]["uri"] == (
        f"aws/{ACCOUNT}/{REGION}/sagemaker/model-package/{package.split(':model-package/')[1]}")
    bucket = next(a for a in by_arn if a.startswith("arn:aws:s3:::"))
    assert by_arn[bucket]["artifactLocation"]["uri"] == f"aws/{ACCOUNT}/{REGION}/s3/{bucket.split(':::')[1]}"
    assert all(p["region"] == {"startLine": 1} for p in by_arn.values())
    # one artifact per resource, one resource per artifact
    assert len({p["artifactLocation"]["uri"] for p in by_arn.values()}) == len(by_arn)


def test_a_second_scan_gives_every_alert_the_same_fingerprint(two_scans):
    first, second, _ = two_scans

    def fingerprints(log):
        return {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]):
                r["partialFingerprints"]["primaryLocationLineHash"] for r in log["runs"][0]["results"]}
    assert fingerprints(first) == fingerprints(second)
