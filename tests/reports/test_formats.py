"""SARIF, JUnit, CSV, ASFF and findings.json from a real evaluation, checked the way
their consumers read them (official SARIF schema, an XML parser, a CSV reader)."""
from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from mlwarden.evaluate import FindingsDocument
from mlwarden.model import Status
from mlwarden.reports.base import RenderContext, registry
from mlwarden.reports.write import write_reports

from ..support.github_sarif import ingestion_problems
from .conftest import ACCOUNT, FORMULA_TAG, SCRIPT_BREAK, XSS_TAG, hostile_inventory

ALL = ["json", "html", "sarif", "junit", "csv", "asff"]


def _schema(name: str) -> dict:
    return json.loads(resources.files("mlwarden.reports").joinpath("schemas", name).read_text())


@pytest.fixture(scope="module")
def out(tmp_path_factory, hostile_doc, previous_doc) -> Path:
    d = tmp_path_factory.mktemp("out")
    write_reports(hostile_doc, ALL, RenderContext(out_dir=d, previous=previous_doc,
                                                  inventory=hostile_inventory().to_dict()))
    return d


def test_every_format_has_its_own_file_and_the_manifest_holds_their_digests(out):
    files = {r.filename for r in registry().values()}
    assert len(files) == len(registry())
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["algorithm"] == "sha256"
    for name in ("findings.json", "report.html", "findings.sarif", "junit.xml", "findings.csv",
                 "findings.asff.json"):
        assert manifest["files"][name] == hashlib.sha256((out / name).read_bytes()).hexdigest()


# --- findings.json ------------------------------------------------------------------

def test_findings_json_of_a_real_scan_validates_against_its_schema(out):
    doc = json.loads((out / "findings.json").read_text())
    jsonschema.Draft202012Validator(_schema("findings.schema.json"),
                                    format_checker=jsonschema.FormatChecker()).validate(doc)
    assert {f["status"] for f in doc["findings"]} == {"PASS", "FAIL", "WAIVED", "NOT_ASSESSED"}


def test_findings_schema_rejects_what_readers_could_not_use(out):
    validator = jsonschema.Draft202012Validator(_schema("findings.schema.json"))
    doc = json.loads((out / "findings.json").read_text())
    waived = next(f for f in doc["findings"] if f["status"] == "WAIVED")
    del waived["waiver"]
    doc["findings"][0]["status"] = "OK"
    messages = [e.message for e in validator.iter_errors(doc)]
    assert any("'OK' is not one of" in m for m in messages)
    assert any("'waiver' is a required property" in m for m in messages)


# --- SARIF --------------------------------------------------------------------------

def test_sarif_validates_against_the_official_2_1_0_schema(out):
    schema = _schema("sarif-schema-2.1.0.json")
    assert schema["id"].endswith("/errata01/os/schemas/sarif-schema-2.1.0.json")
    log = json.loads((out / "findings.sarif").read_text())
    jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).validate(log)
    assert log["version"] == "2.1.0"


def test_sarif_rules_results_and_locations(out, hostile_doc):
    run = json.loads((out / "findings.sarif").read_text())["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    enc = rules["TST-ENC-001"]
    assert enc["shortDescription"]["text"] == "Notebooks encrypt storage with a customer-managed key"
    assert enc["properties"]["severity"] == "high" and enc["properties"]["category"] == "encryption"
    assert enc["properties"]["security-severity"] == "8.0"
    assert "NIST-800-53 SC-28" in enc["properties"]["controls"]
    assert "notebook-kms" in enc["help"]["text"]
    # one result per FAIL/ERROR/WAIVED, none for PASS or NOT_ASSESSED
    expected = [f for f in hostile_doc.findings if f.status in (Status.FAIL, Status.ERROR, Status.WAIVED)]
    assert len(run["results"]) == len(expected)
    for r in run["results"]:
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
    by_res = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r for r in run["results"]}
    template = by_res[("TST-ENC-001", "nb-template")]["locations"][0]["physicalLocation"]
    assert template == {"artifactLocation": {"uri": "templates/ml%20stack.yaml"}, "region": {"startLine": 42}}
    live = by_res[("TST-ENC-001", "nb-xss")]["locations"][0]
    assert live["physicalLocation"] == {
        "artifactLocation": {"uri": f"aws/{ACCOUNT}/eu-west-1/sagemaker/notebook-instance/nb-xss"},
        "region": {"startLine": 1}}
    assert live["logicalLocations"][0]["fullyQualifiedName"].endswith(":notebook-instance/nb-xss")
    assert ingestion_problems(json.loads((out / "findings.sarif").read_text())) == []
    waived = by_res[("TST-TAG-001", "nb-east")]
    assert waived["suppressions"][0]["status"] == "accepted"
    assert "alice" in waived["suppressions"][0]["justification"]
    assert "suppressions" not in by_res[("TST-TAG-001", "nb-xss")]
    assert by_res[("TST-TAG-001", "nb-xss")]["message"]["text"].endswith(XSS_TAG)


def test_sarif_fingerprints_are_stable_across_scans(out, previous_doc, tmp_path):
    write_reports(previous_doc, ["sarif"], RenderContext(out_dir=tmp_path))
    now = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r["partialFingerprints"]
           for r in json.loads((out / "findings.sarif").read_text())["runs"][0]["results"]}
    before = {(r["ruleId"], r["locations"][0]["logicalLocations"][0]["name"]): r["partialFingerprints"]
              for r in json.loads((tmp_path / "findings.sarif").read_text())["runs"][0]["results"]}
    assert now[("TST-ENC-001", "nb-template")] == before[("TST-ENC-001", "nb-template")]


# --- JUnit --------------------------------------------------------------------------

def test_junit_has_a_suite_per_category_and_a_case_per_policy_and_resource(out, hostile_doc):
    root = ET.parse(out / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {f.category for f in hostile_doc.findings}
    assert int(root.get("tests")) == len(hostile_doc.findings)
    for cat, suite in suites.items():
        mine = [f for f in hostile_doc.findings if f.category == cat]
        cases = suite.findall("testcase")
        assert len(cases) == int(suite.get("tests")) == len(mine)
        assert len([c for c in cases if c.find("failure") is not None]) == int(suite.get("failures")) == \
            sum(f.status in (Status.FAIL, Status.ERROR) for f in mine)
        assert len([c for c in cases if c.find("skipped") is not None]) == int(suite.get("skipped")) == \
            sum(f.status in (Status.WAIVED, Status.NOT_ASSESSED) for f in mine)
    tagging = {c.get("name"): c for c in suites["tagging"].findall("testcase")}
    xss = tagging[f"TST-TAG-001 arn:aws:sagemaker:eu-west-1:{ACCOUNT}:notebook-instance/nb-xss"]
    assert xss.find("failure").get("message").endswith(XSS_TAG)     # parsed back as text
    gap = next(c for c in suites["tagging"].findall("testcase") if "ap-south-1" in c.get("name"))
    assert "AccessDenied" in gap.find("skipped").get("message")


def test_junit_survives_control_characters(hostile_doc):
    from mlwarden.reports import junit
    f = next(x for x in hostile_doc.findings if x.status == Status.FAIL)
    copy = FindingsDocument(scan=hostile_doc.scan, findings=[dataclasses.replace(f, message="bell\x07 here")],
                            coverage=[])
    root = ET.fromstring(junit.render(copy, RenderContext(out_dir=Path("."))))
    assert root.find(".//failure").get("message").endswith("bell\ufffd here")


# --- CSV ----------------------------------------------------------------------------

def test_csv_one_row_per_finding_with_formulas_neutralised(out, hostile_doc):
    text = (out / "findings.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(hostile_doc.findings)
    east = next(r for r in rows if r["resource_id"] == "nb-east" and r["policy_id"] == "TST-TAG-001")
    assert east["status"] == "WAIVED" and east["waiver_owner"] == "alice"
    assert east["message"] == "owner tag is not a plain name: " + FORMULA_TAG   # not at cell start
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    # a cell that does start with a formula character gets the apostrophe
    from mlwarden.reports.csv_report import neutralise
    assert neutralise(FORMULA_TAG) == "'" + FORMULA_TAG
    assert [neutralise(v) for v in ("+1", "-2", "@SUM(A1)", "\tx", "\rx", "ok")] == \
        ["'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "ok"]
    xss = next(r for r in rows if r["resource_id"] == "nb-break" and r["policy_id"] == "TST-TAG-001")
    assert xss["message"].endswith(SCRIPT_BREAK)


# --- ASFF ---------------------------------------------------------------------------

def test_asff_fields(out, hostile_doc):
    findings = json.loads((out / "findings.asff.json").read_text())
    assert len(findings) == len(hostile_doc.findings)
    by = {(f["GeneratorId"], f["Resources"][0]["Id"]): f for f in findings}
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/nb-east"
    enc = by[("TST-ENC-001", arn)]
    assert enc["SchemaVersion"] == "2018-10-08"
    assert enc["ProductArn"] == f"arn:aws:securityhub:eu-west-1:{ACCOUNT}:product/{ACCOUNT}/default"
    assert enc["AwsAccountId"] == ACCOUNT
    assert enc["Severity"] == {"Label": "HIGH"}
    assert enc["Compliance"]["Status"] == "FAILED"          # its waiver expired
    assert enc["Resources"][0] == {**enc["Resources"][0], "Type": "AwsSageMakerNotebookInstance",
                                   "Region": "us-east-1"}
    assert "Software and Configuration Checks/Industry and Regulatory Standards/NIST-800-53" in enc["Types"]
    assert enc["CreatedAt"].endswith("Z") and enc["UpdatedAt"] == enc["CreatedAt"]
    waived = by[("TST-TAG-001", arn)]
    assert waived["Workflow"] == {"Status": "SUPPRESSED"} and waived["Compliance"]["Status"] == "FAILED"
    statuses = {f["ProductFields"]["mlwarden/status"]: f["Compliance"]["Status"] for f in findings}
    assert statuses == {"PASS": "PASSED", "FAIL": "FAILED", "WAIVED": "FAILED", "NOT_ASSESSED": "NOT_AVAILABLE"}
    assert all(f["RecordState"] == "ACTIVE" for f in findings)
    assert len({f["Id"] for f in findings}) == len(findings)


def test_asff_ids_are_stable_between_scans(out, previous_doc, tmp_path):
    write_reports(previous_doc, ["asff"], RenderContext(out_dir=tmp_path))
    now = {(f["GeneratorId"], f["Resources"][0]["Id"]): f["Id"]
           for f in json.loads((out / "findings.asff.json").read_text())}
    before = {(f["GeneratorId"], f["Resources"][0]["Id"]): f["Id"]
              for f in json.loads((tmp_path / "findings.asff.json").read_text())}
    shared = set(now) & set(before)
    assert len(shared) >= 5
    assert all(now[k] == before[k] for k in shared)


def test_sarif_absolute_template_paths_become_file_uris(hostile_doc):
    from mlwarden.reports import sarif
    f = next(x for x in hostile_doc.findings if x.resource["id"] == "nb-template" and x.status == Status.FAIL)
    moved = dataclasses.replace(f, resource={**f.resource, "source": {"kind": "terraform",
                                                                      "file": "/srv/ml plan.json", "line": 7}})
    log = sarif.build(FindingsDocument(scan=hostile_doc.scan, findings=[moved], coverage=[]))
    loc = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert loc == {"artifactLocation": {"uri": "file:///srv/ml%20plan.json"}, "region": {"startLine": 7}}
    uris = {}
    for path in ("stacks/app:v2.yaml", "C:\\infra\\plan.json"):
        other = dataclasses.replace(f, resource={**f.resource, "source": {"kind": "terraform", "file": path}})
        uris[path] = sarif.build(FindingsDocument(scan=hostile_doc.scan, findings=[other], coverage=[]))[
            "runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    # a colon in a relative path is not a scheme; a Windows drive is an absolute file URI
    assert uris == {"stacks/app:v2.yaml": "stacks/app%3Av2.yaml", "C:\\infra\\plan.json": "file:///C:/infra/plan.json"}
    jsonschema.Draft4Validator(_schema("sarif-schema-2.1.0.json"),
                               format_checker=jsonschema.FormatChecker()).validate(log)


def test_live_uris_stay_relative_and_name_the_resource_whatever_its_id():
    from mlwarden.reports.sarif import live_uri
    assert live_uri({"type": "AWS::SageMaker::ModelPackage", "account": ACCOUNT, "region": "eu-west-1",
                     "arn": f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:model-package/churn/10"}) == \
        f"aws/{ACCOUNT}/eu-west-1/sagemaker/model-package/churn/10"
    # no ARN: the type and the id, reserved characters and dot segments encoded
    assert live_uri({"type": "MLW::Thing", "account": ACCOUNT, "region": "", "id": "a:b c"}) == \
        f"aws/{ACCOUNT}/global/MLW/Thing/a%3Ab%20c"
    assert live_uri({"type": "AWS::X::Y", "account": ACCOUNT, "region": "eu-west-1", "id": ".."}) == \
        f"aws/{ACCOUNT}/eu-west-1/AWS/X/Y/%2E%2E"


def test_the_github_check_names_what_github_would_refuse(out):
    """The ingestion check can fail: each broken rule of GitHub's is named."""
    log = json.loads((out / "findings.sarif").read_text())
    run = log["runs"][0]
    first, second = run["results"][0], run["results"][1]
    del first["locations"][0]["physicalLocation"]
    second["level"] = "critical"
    second["partialFingerprints"] = {"mlwarden/v1": "x"}
    run["results"][2]["ruleId"] = "NOPE-1"
    run["results"][3]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "arn:aws:s3:::b"
    rule = run["tool"]["driver"]["rules"][0]
    rule["properties"]["security-severity"] = "high"
    rule["properties"]["tags"] = [f"t{i}" for i in range(21)]
    run["results"].extend([run["results"][4]] * 25_000)
    problems = "\n".join(ingestion_problems(log))
    for expected in ("result 0 location 0: no physicalLocation.artifactLocation.uri",
                     "result 1: level 'critical' is not one of",
                     "result 1: no partialFingerprints.primaryLocationLineHash",
                     "result 2: ruleId 'NOPE-1' names no rule",
                     "result 3 location 0: uri 'arn:aws:s3:::b' is absolute with scheme 'arn'",
                     "security-severity 'high' is not a numeric string", "21 tags (at most 20)",
                     "results (at most 25000)", "share a fingerprint"):
        assert expected in problems, problems


def test_a_run_over_githubs_result_limit_keeps_the_most_severe_and_says_so(hostile_doc):
    from mlwarden.reports import sarif
    fails = [f for f in hostile_doc.findings if f.status == Status.FAIL]
    high = next(f for f in fails if f.severity.value == "high")
    medium = next(f for f in fails if f.severity.value == "medium")

    def copies(f, n):
        return [dataclasses.replace(f, resource={**f.resource, "arn": f"{f.resource['arn']}-{i}"}) for i in range(n)]
    doc = FindingsDocument(scan=hostile_doc.scan, findings=copies(medium, 10) + copies(high, sarif.MAX_RESULTS),
                           coverage=[])
    log = sarif.build(doc)
    run = log["runs"][0]
    assert len(run["results"]) == sarif.MAX_RESULTS
    assert {r["ruleId"] for r in run["results"]} == {high.policy_id}
    assert run["properties"]["results_left_out"] == 10
    notice = run["invocations"][0]["toolExecutionNotifications"][-1]
    assert notice["level"] == "error" and notice["message"]["text"].startswith("10 of 25010 results left out")
    assert ingestion_problems(log) == []


def test_asff_and_sarif_state_the_fix_in_words_and_offer_no_command_without_a_runbook(out):
    asff = json.loads((out / "findings.asff.json").read_text())
    failed = {(f["GeneratorId"], f["Resources"][0]["Id"]): f for f in asff if f["Compliance"]["Status"] == "FAILED"}
    tag = next(f for (g, _), f in failed.items() if g.endswith("TST-TAG-001"))
    text = tag["Remediation"]["Recommendation"]["Text"]
    assert text.startswith("No runbook for this policy: fix it by hand.") and "mlwarden remediate" not in text
    enc = next(f for (g, _), f in failed.items() if g.endswith("TST-ENC-001"))
    assert "it names 'notebook-kms', which this mlwarden does not have" in enc["Remediation"]["Recommendation"]["Text"]
    rules = {r["id"]: r for r in json.loads((out / "findings.sarif").read_text())["runs"][0]["tool"]["driver"]["rules"]}
    assert "Change properties.KmsKeyId on this AWS::SageMaker::NotebookInstance" in rules["TST-ENC-001"]["help"]["text"]
    assert "mlwarden remediate" not in rules["TST-ENC-001"]["help"]["text"]


def test_sarif_categories_keep_live_and_template_scans_apart():
    """GitHub replaces a category's alerts with the next upload in that category."""
    from mlwarden.reports.sarif import category
    assert category({"accounts": [ACCOUNT]}) == f"mlwarden/live/{ACCOUNT}/"
    assert category({"accounts": [ACCOUNT], "kind": "iac"}) == f"mlwarden/iac/{ACCOUNT}/"
    many = [f"{i:012d}" for i in range(40)]
    assert category({"accounts": many}) == category({"accounts": list(reversed(many))})
    assert category({"accounts": many}).startswith("mlwarden/live/40-accounts-")
