"""The HTML report's detail panel and filters in real headless Chromium: the remediation
in words (a runbook's title and what it will do, with the command only where a runbook
can act; else the policy's steps by hand, else what to change), controls with their
titles, and multi-select filters on status, severity, category and account."""
from __future__ import annotations

from pathlib import Path

import pytest

from mlwarden.model import Status
from mlwarden.reports.base import RenderContext
from mlwarden.reports.write import write_reports

from .conftest import ACCOUNT, KMS_POLICY, evaluate_inventory, hostile_inventory, notebook
from .browser import Watched, browser, page, sync_api  # noqa: F401 (fixtures); skips without Chromium

OTHER_ACCOUNT = "210987654321"

# Names a runbook mlwarden has: the panel says what it does and offers its command.
ROOT_POLICY = '''# METADATA
# title: Notebooks give users no root access
# description: Root on a notebook lets anyone who opens it change its software.
# custom:
#   id: TST-NET-003
#   severity: medium
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   controls:
#     AWS-FSBP: [SageMaker.3]
#   remediation: notebook-root-access
#   evidence: [properties.RootAccess]
package mlwarden_test.network.root

import rego.v1

# A violation that names its attribute (the shape of mlwarden.lib.util.violation).
deny contains {"msg": msg, "path": ["properties", "RootAccess"]} if {
	input.resource.properties.RootAccess == "Enabled"
	msg := concat("", ["notebook instance ", input.resource.id, " gives users root access"])
}
'''

# No runbook, steps by hand in its metadata.
INTERNET_POLICY = '''# METADATA
# title: Notebooks have no direct internet access
# description: A notebook with direct internet access can send data anywhere.
# custom:
#   id: TST-NET-001
#   severity: critical
#   category: network
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   remediation:
#     steps:
#       - "Stop the notebook instance (console: SageMaker > Notebook instances > Stop)."
#       - "Create a new one in a private subnet with DirectInternetAccess Disabled, copying the volume's work."
#   evidence: [properties.DirectInternetAccess]
package mlwarden_test.network.internet

import rego.v1

deny contains msg if {
	input.resource.properties.DirectInternetAccess == "Enabled"
	msg := concat("", ["notebook instance ", input.resource.id, " has direct internet access"])
}
'''


@pytest.fixture(scope="module")
def doc(tmp_path_factory):
    d = tmp_path_factory.mktemp("detail-policies")
    for name, text in (("kms.rego", KMS_POLICY), ("root.rego", ROOT_POLICY), ("internet.rego", INTERNET_POLICY)):
        (d / name).write_text(text)
    inv = hostile_inventory()
    other = notebook("nb-other", kms=f"arn:aws:kms:eu-west-1:{OTHER_ACCOUNT}:key/9")
    other.account, other.arn = OTHER_ACCOUNT, other.arn.replace(ACCOUNT, OTHER_ACCOUNT)
    other.properties["RootAccess"] = "Disabled"
    inv.resources.append(other)
    inv.accounts.append(OTHER_ACCOUNT)
    return evaluate_inventory(inv, d)


@pytest.fixture(scope="module")
def out(tmp_path_factory, doc) -> Path:
    d = tmp_path_factory.mktemp("detail-html")
    write_reports(doc, ["json", "html"], RenderContext(out_dir=d, inventory=hostile_inventory().to_dict()))
    return d


def _open(w: Watched, search: str) -> None:
    w.page.fill("#f-search", search)
    w.wait_count(1)
    w.page.locator("#findings-body tr").first.click()
    sync_api.expect(w.page.locator("#detail")).to_be_visible()


def test_a_finding_with_a_runbook_says_what_it_will_do_and_gives_its_command(page):
    pg = page.page
    _open(page, "nb-xss gives users root access")
    assert pg.locator("#d-remedy").inner_text() == \
        "Runbook notebook-root-access: Disable root access on the notebook instance."
    assert "stopped for the update and started again" in pg.locator("#d-remedy-does").inner_text()
    assert "--apply carries it out once approved" in pg.locator("#d-command-how").inner_text()
    arn = f"arn:aws:sagemaker:eu-west-1:{ACCOUNT}:notebook-instance/nb-xss"
    assert pg.locator("#d-command").inner_text() == \
        f"mlwarden remediate findings.json --policy TST-NET-003 --resource {arn}"
    assert pg.locator("#d-remedy-steps").is_hidden()
    # what is wrong, with the attribute; a live resource has no template line
    assert pg.locator("#d-violations li").all_inner_texts() == [
        "notebook instance nb-xss gives users root access (at properties.RootAccess)"]
    assert pg.locator("#d-at").inner_text() == ""
    # the control with its framework and title, not a bare id
    assert pg.locator("#d-controls li").all_inner_texts() == [
        "AWS-FSBP SageMaker.3 — Users should not have root access to SageMaker notebook instances"]


def test_a_policy_without_a_runbook_shows_its_steps_by_hand_and_no_command(page):
    pg = page.page
    _open(page, "nb-xss has direct internet access")
    assert pg.locator("#d-remedy").inner_text() == "No runbook for this policy: fix it by hand."
    assert pg.locator("#d-remedy-steps li").all_inner_texts() == [
        "Stop the notebook instance (console: SageMaker > Notebook instances > Stop).",
        "Create a new one in a private subnet with DirectInternetAccess Disabled, copying the volume's work.",
        "Re-scan to confirm."]
    assert pg.locator("#d-command-box").is_hidden()
    # a plain-message policy names no attribute: the message alone says what is wrong
    assert pg.locator("#d-violations-box").is_hidden()


def test_a_runbook_the_policy_names_but_mlwarden_lacks_is_said_and_what_to_change_is_named(page):
    pg = page.page
    _open(page, "nb-xss has no customer-managed KMS key")
    assert pg.locator("#d-remedy").inner_text() == ("No runbook for this policy (it names \u201cnotebook-kms\u201d, "
                                                    "which this mlwarden does not have): fix it by hand.")
    assert pg.locator("#d-remedy-steps li").all_inner_texts() == [
        "Change properties.KmsKeyId on this AWS::SageMaker::NotebookInstance so that: "
        "Notebooks encrypt storage with a customer-managed key.", "Re-scan to confirm."]
    assert pg.locator("#d-command-box").is_hidden()


def test_a_passed_finding_offers_no_command_even_with_a_runbook(page):
    pg = page.page
    page.choose("f-status", "PASS")
    page.choose("f-category", "network")
    _open(page, "nb-other")   # root access disabled: the root policy passed
    assert pg.locator("#d-policy").inner_text() == "TST-NET-003"
    assert pg.locator("#d-remedy").inner_text().startswith("Runbook notebook-root-access")
    assert pg.locator("#d-command-box").is_hidden()


def test_filters_take_several_values_each(page, doc):
    pg, findings = page.page, doc.findings
    page.choose("f-status", "FAIL", "NOT_ASSESSED")
    page.wait_count(sum(f.status in (Status.FAIL, Status.NOT_ASSESSED) for f in findings))
    assert {c[0] for c in page.cells()} == {"FAIL", "NOT_ASSESSED"}
    assert pg.locator("#f-status .multi-summary").inner_text() == "FAIL, NOT_ASSESSED"
    page.choose("f-severity", "critical", "medium")
    expected = [f for f in findings if f.status in (Status.FAIL, Status.NOT_ASSESSED)
                and f.severity.value in ("critical", "medium")]
    page.wait_count(len(expected))
    assert {c[1] for c in page.cells()} == {"critical", "medium"}
    pg.click("#f-reset")
    assert pg.locator("#f-status .multi-summary").inner_text() == "all"
    page.wait_count(len(findings))
    page.choose("f-category", "network", "encryption")
    page.wait_count(sum(f.category in ("network", "encryption") for f in findings))
    page.choose("f-account", OTHER_ACCOUNT)
    page.wait_count(sum(f.resource["account"] == OTHER_ACCOUNT and f.category in ("network", "encryption")
                        for f in findings))
    assert {c[5].split(" / ")[0] for c in page.cells()} == {OTHER_ACCOUNT}
    page.choose("f-account", ACCOUNT)       # both accounts ticked: every finding of the two categories
    page.wait_count(sum(f.category in ("network", "encryption") for f in findings))
    assert pg.locator("#f-account .multi-summary").inner_text() == f"{ACCOUNT}, {OTHER_ACCOUNT}"
