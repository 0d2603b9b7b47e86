"""Findings documents for the report tests, made by a real evaluation (Wasm engine) of a
small hand-built inventory whose tag values are hostile, as AWS values may be."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from mlwarden.engine.wasm_engine import WasmEngine
from mlwarden.evaluate import evaluate
from mlwarden.inventory import Inventory
from mlwarden.model import CoverageGap, Resource, SourceLocation
from mlwarden.policy.library import load_policies
from mlwarden.waivers import Waiver

ACCOUNT = "123456789012"
REGION = "eu-west-1"
XSS_TAG = "<script>alert(1)</script>"
ATTR_TAG = '" onmouseover="alert(2)'
SCRIPT_BREAK = "</script><script>alert(3)</script><!--"
FORMULA_TAG = "=HYPERLINK(http://evil.example/x)"
# The quote-bearing value travels in a tag no policy message repeats: it reaches the
# reports through evidence, the others through messages too.

# A tagging policy of our own (not shipped), so the hostile tag value travels into the
# finding's message and evidence exactly as a real policy would carry it.
OWNER_POLICY = '''# METADATA
# title: Notebooks name a plain owner
# description: The owner tag names who answers for the notebook.
# custom:
#   id: TST-TAG-001
#   severity: medium
#   category: tagging
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   controls:
#     ISO-42001: [A.3.2]
#   evidence: [tags.owner, tags.note]
package mlwarden_test.tagging.owner

import rego.v1

deny contains msg if {
	not input.resource.tags.owner
	msg := concat("", ["notebook ", input.resource.id, " has no owner tag"])
}

deny contains msg if {
	some ch in ["<", "=", "("]
	contains(input.resource.tags.owner, ch)
	msg := concat("", ["owner tag is not a plain name: ", input.resource.tags.owner])
}
'''

# Our own copy of a simple encryption rule: the report tests must not move when the
# shipped policies change.
KMS_POLICY = '''# METADATA
# title: Notebooks encrypt storage with a customer-managed key
# description: Without KmsKeyId the volume uses an AWS-owned key nobody can audit.
# custom:
#   id: TST-ENC-001
#   severity: high
#   category: encryption
#   resource_types: [AWS::SageMaker::NotebookInstance]
#   controls:
#     NIST-800-53: [SC-28, SC-12]
#     ISO-42001: [A.7.2]
#   remediation: notebook-kms
#   evidence: [properties.KmsKeyId]
package mlwarden_test.encryption.kms

import rego.v1

deny contains msg if {
	not input.resource.properties.KmsKeyId
	msg := concat("", ["notebook instance ", input.resource.id, " has no customer-managed KMS key"])
}
'''


def notebook(name: str, *, kms: str | None = None, tags: dict | None = None,
             source: SourceLocation | None = None, region: str = REGION) -> Resource:
    arn = f"arn:aws:sagemaker:{region}:{ACCOUNT}:notebook-instance/{name}"
    return Resource(type="AWS::SageMaker::NotebookInstance", id=name,
                    arn="" if source else arn, account=ACCOUNT, region=region, tags=tags or {},
                    properties={"NotebookInstanceName": name, "DirectInternetAccess": "Enabled",
                                "RootAccess": "Enabled", **({"KmsKeyId": kms} if kms else {})},
                    source=source or SourceLocation(kind="live"))


def hostile_inventory() -> Inventory:
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234"
    return Inventory(accounts=[ACCOUNT], regions=[REGION, "us-east-1"],
                     started="2026-11-27T10:00:00+00:00", finished="2026-11-27T10:01:00+00:00",
                     resources=[
                         notebook("nb-xss", tags={"owner": XSS_TAG, "note": ATTR_TAG}),
                         notebook("nb-break", kms=key, tags={"owner": SCRIPT_BREAK}),
                         notebook("nb-good", kms=key, tags={"owner": "ml-platform"}),
                         notebook("nb-east", tags={"owner": FORMULA_TAG}, region="us-east-1"),
                         notebook("nb-template", source=SourceLocation(
                             kind="cloudformation", file="templates/ml stack.yaml", line=42)),
                     ],
                     gaps=[CoverageGap(resource_type="AWS::SageMaker::NotebookInstance",
                                       account=ACCOUNT, region="ap-south-1",
                                       operation="ListNotebookInstances", error_code="AccessDenied",
                                       message="User is not authorized <b>here</b>")])


@pytest.fixture(scope="session")
def policy_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("policies")
    (d / "owner.rego").write_text(OWNER_POLICY)
    (d / "kms.rego").write_text(KMS_POLICY)
    return d


def evaluate_inventory(inv: Inventory, policy_dir: Path, *, waivers=(), today=dt.date(2026, 11, 27)):
    policy_set = load_policies([policy_dir], include_shipped=False)
    engine = WasmEngine(workers=1)
    engine.prepare(policy_set)
    return evaluate(inv, policy_set, engine, {}, waivers=list(waivers), today=today)


WAIVERS = [
    Waiver(policy_id="TST-TAG-001", resource="*nb-east", reason="legacy <owner>", owner="alice",
           expires=dt.date(2027, 1, 31)),
    Waiver(policy_id="TST-ENC-001", resource="*nb-east", reason="migrating", owner="bob",
           expires=dt.date(2026, 1, 1)),
    Waiver(policy_id="TST-ENC-*", resource="arn:aws:nothing", reason="stale", owner="carol",
           expires=dt.date(2027, 1, 1)),
]


@pytest.fixture(scope="session")
def hostile_doc(policy_dir):
    """A real evaluation: FAIL, PASS, WAIVED, an expired waiver, NOT_ASSESSED, a template resource."""
    return evaluate_inventory(hostile_inventory(), policy_dir, waivers=WAIVERS)


@pytest.fixture(scope="session")
def previous_doc(policy_dir):
    """An earlier scan: nb-good was unencrypted then (now resolved), nb-xss was not there."""
    inv = hostile_inventory()
    inv.resources = [r for r in inv.resources if r.id != "nb-xss"]
    for r in inv.resources:
        if r.id == "nb-good":
            r.properties.pop("KmsKeyId")
    return evaluate_inventory(inv, policy_dir)
